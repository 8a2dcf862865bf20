package version

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	vcs := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/sockdesk/sockdesk", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2025-01-31T12:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	installed := &debug.BuildInfo{Main: debug.Module{Path: "github.com/sockdesk/sockdesk", Version: "v0.3.1"}}
	for _, c := range []struct {
		name    string
		stamped Info
		bi      *debug.BuildInfo
		want    Info
	}{
		{"stamped wins", Info{"0.2.0-3-gabc1234", "abc1234def", "2025-02-01T00:00:00Z"}, vcs,
			Info{"0.2.0-3-gabc1234", "abc1234def", "2025-02-01T00:00:00Z"}},
		{"vcs fallback", Info{}, vcs,
			Info{"dev", "0123456789abcdef0123456789abcdef01234567-dirty", "2025-01-31T12:00:00Z"}},
		{"go install", Info{}, installed, Info{"0.3.1", "", ""}},
		{"nothing known", Info{}, nil, Info{"dev", "", ""}},
		{"partly stamped", Info{Version: "0.2.0"}, vcs,
			Info{"0.2.0", "0123456789abcdef0123456789abcdef01234567-dirty", "2025-01-31T12:00:00Z"}},
	} {
		if got := resolve(c.stamped, c.bi); got != c.want {
			t.Errorf("%s: resolve = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestString(t *testing.T) {
	for _, c := range []struct {
		info Info
		want string
	}{
		{Info{"0.2.0", "0123456789abcdef0123", "2025-01-31T12:00:00Z"}, "sockdesk 0.2.0 (commit 0123456789ab, 2025-01-31T12:00:00Z)"},
		{Info{"dev", "0123456789abcdef0123-dirty", ""}, "sockdesk dev (commit 0123456789ab-dirty)"},
		{Info{"dev", "", ""}, "sockdesk dev"},
	} {
		if got := c.info.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.info, got, c.want)
		}
	}
}

// TestStampedBuild links a program with -X as scripts/version.sh's flags do and
// runs it: the variables' import path and names are what the packaging stamps.
func TestStampedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	exe := filepath.Join(t.TempDir(), "printversion")
	const pkg = "github.com/sockdesk/sockdesk/internal/version"
	ldflags := "-X " + pkg + ".Version=9.8.7-1-gfeedbee -X " + pkg + ".Commit=feedbeefeedbeefeedbeefeedbeefeedbeefeedb -X " + pkg + ".Date=2025-03-04T05:06:07Z"
	build := exec.Command("go", "build", "-buildvcs=false", "-ldflags", ldflags, "-o", exe, "./testdata/printversion")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(exe).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	want := []string{
		"9.8.7-1-gfeedbee|feedbeefeedbeefeedbeefeedbeefeedbeefeedb|2025-03-04T05:06:07Z",
		"sockdesk 9.8.7-1-gfeedbee (commit feedbeefeedb, 2025-03-04T05:06:07Z)",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("stamped program printed\n%s\nwant\n%s", out, strings.Join(want, "\n"))
	}

	// The same program unstamped and without VCS information says "dev".
	build = exec.Command("go", "build", "-buildvcs=false", "-o", exe, "./testdata/printversion")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err = exec.Command(exe).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != "dev||\nsockdesk dev" {
		t.Errorf("unstamped program printed %q", got)
	}
}
