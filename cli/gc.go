package cli

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's pace while a command runs (GOGC=400),
// unless the user set GOGC. A socket command keeps little memory live, and a
// full-rate stream allocates one buffer per read (64 KiB over TCP, each
// datagram over UDP): at Go's default pace the collector would run hundreds of
// times a second, and its cycles, returning pages to the system and taking them
// back, cost more than the reading itself (BENCHMARKS.md, case 1). The heap may
// then grow to five times what is live instead of twice, which for the command
// line is a few MiB more.
const gcPercent = 400

// paceGC sets gcPercent and returns what puts the previous pace back.
func paceGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(gcPercent)
	return func() { debug.SetGCPercent(old) }
}
