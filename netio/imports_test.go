package netio

import (
	"os/exec"
	"strings"
	"testing"
)

// The engine stays an engine: no package under netio imports Fyne, even
// indirectly, and the core carries neither net/http (the web trace's) nor the
// certificate minting of package selfsigned.
func TestImports(t *testing.T) {
	const core = "github.com/sockdesk/sockdesk/netio"
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Deps \",\"}}", core+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, " ")
		seen++
		for _, d := range strings.Split(deps, ",") {
			if strings.HasPrefix(d, "fyne.io/") {
				t.Errorf("%s imports %s", pkg, d)
			}
			if pkg == core && (d == "net/http" || d == core+"/selfsigned") {
				t.Errorf("the core imports %s", d)
			}
		}
	}
	if seen < 2 {
		t.Fatalf("go list listed %d packages: %q", seen, out)
	}
}
