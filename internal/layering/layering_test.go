// Package layering holds the test that keeps the import graph one-way: the
// engine never imports Fyne, its core carries no web client nor certificate
// minting, and the leaf packages stay leaves. The rules are in one table here,
// so a new package gets its rule where the others are.
package layering

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/sockdesk/sockdesk/"

// leaves are packages that import only the standard library and what is listed
// beside them (directly).
var leaves = map[string][]string{
	"netio/checksum":    nil,
	"netio/framing":     nil,
	"netio/extract":     nil,
	"netio/packet":      nil,
	"netio/pcapng":      {module + "netio/packet"},
	"netio/library":     {module + "internal/atomicfile", module + "internal/jsonfile"},
	"app/workspace":     {module + "internal/atomicfile", module + "internal/jsonfile"},
	"internal/neterr":   nil,
	"internal/hostport": nil,
	"app/tint":          nil,
}

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := map[string]bool{}
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(p.ImportPath, module)
		seen[rel] = true
		check(t, rel, p)
	}
	for rel := range leaves {
		if !seen[rel] {
			t.Errorf("the rule for %s names no package", rel)
		}
	}
	if !seen["netio"] || !seen["app/plot"] {
		t.Fatalf("go list did not list the engine and the app: %v", seen)
	}
}

func check(t *testing.T, rel string, p pkg) {
	t.Helper()
	if rel == "netio" || strings.HasPrefix(rel, "netio/") {
		for _, d := range p.Deps {
			if strings.HasPrefix(d, "fyne.io/") {
				t.Errorf("%s imports Fyne (%s)", rel, d)
			}
		}
	}
	if rel == "netio" {
		for _, d := range p.Deps {
			if d == "net/http" || d == module+"netio/selfsigned" {
				t.Errorf("the engine core imports %s", d)
			}
		}
	}
	if allowed, ok := leaves[rel]; ok {
		for _, imp := range p.Imports {
			if isThirdParty(imp) && !slices.Contains(allowed, imp) {
				t.Errorf("%s is a leaf and imports %s", rel, imp)
			}
		}
	}
	if rel == "app/plot" {
		// The chart imports the standard library, Fyne's widgets and the tint
		// leaf only, not Fyne's app package, so its tests run headless without cgo.
		for _, imp := range p.Imports {
			if isThirdParty(imp) && !strings.HasPrefix(imp, "fyne.io/fyne/v2") && imp != module+"app/tint" {
				t.Errorf("app/plot imports %s", imp)
			}
		}
		for _, d := range p.Deps {
			if d == "fyne.io/fyne/v2/app" || strings.HasPrefix(d, "github.com/go-gl/") {
				t.Errorf("app/plot depends on %s", d)
			}
		}
	}
}

// isThirdParty reports whether path is outside the standard library.
func isThirdParty(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return strings.Contains(first, ".")
}
