//go:build !windows

package portowner

import (
	"net/netip"
	"testing"
)

func TestParseLsof(t *testing.T) {
	out := "p101\ncnginx\nf6\nn*:8080\np202\ncclient\nf3\nn127.0.0.1:5555->127.0.0.1:8080\np303\ncv6\nf4\nn[::]:8080\np404\ncother\nf5\nn[::1]:8080\n"
	procs := parseLsof(out, netip.MustParseAddrPort("127.0.0.1:8080"))
	if len(procs) != 2 || procs[0] != (Process{PID: 101, Name: "nginx"}) || procs[1].PID != 303 {
		t.Errorf("parsed %+v, want nginx (101, on *) and v6 (303, on [::]); not the client (its port is 5555) nor other (on ::1)", procs)
	}
}
