// Package loopbacktest holds test helpers that netio, cli and app share: ways to
// make faults happen on loopback, with nothing leaving this machine. Only test
// files import it.
package loopbacktest

import "runtime"

// ICMPErrorsReported says whether the engine reports ICMP port unreachable for
// UDP on this system: only Linux (IP_RECVERR) does.
const ICMPErrorsReported = runtime.GOOS == "linux"
