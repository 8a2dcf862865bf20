package app

import (
	"os"
	"runtime/debug"
)

// goMemoryBudget is the soft limit on the memory the Go runtime of the desktop app
// takes from the system. With the default GOGC alone the heap grows to twice what
// is live before a collection: a session following a full-rate stream kept about
// 80 MiB live, so the heap reached 160 MiB and the process 340 MiB (bench/uiwindow),
// against a target of 250 MB, of which about 150 MiB is not Go's (GL, X, the
// binary's pages). Under this limit the collector runs earlier instead: at full
// rate Go's share is now ~92 MiB and the process ~240 MiB. What a session may hold
// is sized to fit inside it with room to spare: about 33 MiB of fonts, a log view
// of 50,000 events and at most 16 MiB of their data, a display queue of 16 MiB and
// a pump batch of at most 8 MiB.
const goMemoryBudget = 96 << 20

// setMemoryBudget applies goMemoryBudget, unless the user set GOMEMLIMIT. It is a
// soft limit: when more is live than it allows, the runtime exceeds it rather than
// collect without end.
func setMemoryBudget() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(goMemoryBudget)
	}
}
