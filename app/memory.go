package app

import (
	"os"
	"runtime/debug"
)

// goMemoryBudget is the soft limit on the memory the Go runtime of the desktop app
// takes from the system. With the default GOGC alone the heap grows to twice what
// is live before a collection: a session following a full-rate stream keeps about
// 80 MiB live (100,000 log events, the queue and the pump's batch, the fonts), so
// the heap reached 160 MiB and the process 340 MiB (bench/uiwindow). Under this
// limit the collector runs earlier instead, about once a second at full rate, and
// the process stays near 250 MiB, of which about 120 MiB is not Go's (GL, X, the
// binary's pages).
const goMemoryBudget = 112 << 20

// setMemoryBudget applies goMemoryBudget, unless the user set GOMEMLIMIT. It is a
// soft limit: when more is live than it allows, the runtime exceeds it rather than
// collect without end.
func setMemoryBudget() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(goMemoryBudget)
	}
}
