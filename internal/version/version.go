// Package version says which Sockdesk this is: the version, the commit it was built
// from and that commit's date. Release builds stamp them at link time from git
// (scripts/version.sh):
//
//	go build -ldflags "-X github.com/sockdesk/sockdesk/internal/version.Version=0.2.0 ..."
//
// An unstamped build (go build, go install ...@latest) falls back to what the Go
// toolchain recorded: the module version and the VCS revision and time, when known.
package version

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Set at link time with -X; empty when the build was not stamped.
var (
	// Version is `git describe --tags` without its leading "v": "0.2.0" on a tag,
	// "0.2.0-3-gabc1234" three commits after it, "-dirty" with uncommitted changes.
	Version = ""
	// Commit is the full commit hash.
	Commit = ""
	// Date is the commit's date, RFC 3339 ("2025-01-31T12:00:00Z").
	Date = ""
)

// Info is one build's identity.
type Info struct {
	Version string // "dev" when nothing says better
	Commit  string // "" when unknown
	Date    string // "" when unknown
}

// Get is this program's identity: the stamped values, else the build information
// the Go toolchain embedded.
func Get() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return resolve(Info{Version: Version, Commit: Commit, Date: Date}, bi)
}

// resolve fills what stamped leaves empty from bi (which may be nil).
func resolve(stamped Info, bi *debug.BuildInfo) Info {
	info := stamped
	if bi != nil {
		if info.Version == "" {
			if v := bi.Main.Version; v != "" && v != "(devel)" {
				info.Version = strings.TrimPrefix(v, "v")
			}
		}
		var revision, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				if info.Date == "" {
					info.Date = s.Value
				}
			case "vcs.modified":
				modified = s.Value
			}
		}
		if info.Commit == "" && revision != "" {
			info.Commit = revision
			if modified == "true" {
				info.Commit += "-dirty"
			}
		}
	}
	if info.Version == "" {
		info.Version = "dev"
	}
	return info
}

// String is the one line `sockdesk --version` prints:
// "sockdesk 0.2.0 (commit 0123456789ab, 2025-01-31T12:00:00Z)".
func (i Info) String() string {
	var details []string
	if i.Commit != "" {
		details = append(details, "commit "+ShortCommit(i.Commit))
	}
	if i.Date != "" {
		details = append(details, i.Date)
	}
	if len(details) == 0 {
		return "sockdesk " + i.Version
	}
	return fmt.Sprintf("sockdesk %s (%s)", i.Version, strings.Join(details, ", "))
}

// ShortCommit is a commit hash cut to 12 characters (a "-dirty" mark is kept).
func ShortCommit(commit string) string {
	hash, dirty, _ := strings.Cut(commit, "-")
	if len(hash) > 12 {
		hash = hash[:12]
	}
	if dirty != "" {
		return hash + "-" + dirty
	}
	return hash
}
