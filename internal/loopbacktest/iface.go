package loopbacktest

import (
	"net"
	"testing"
)

// Interface names this host's loopback interface (lo, lo0, ...), or skips the
// test, saying why, if there is none that is up.
func Interface(t *testing.T) string {
	t.Helper()
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagLoopback != 0 && ifc.Flags&net.FlagUp != 0 {
			return ifc.Name
		}
	}
	t.Skip("skipped: this host has no loopback interface that is up")
	return ""
}
