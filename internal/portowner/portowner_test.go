package portowner

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkFound says whether procs names the child by PID and program name.
func checkFound(t *testing.T, what string, procs []Process, pid int) {
	t.Helper()
	exe := filepath.Base(os.Args[0])
	for _, p := range procs {
		if p.PID != pid {
			continue
		}
		// Linux keeps 15 characters of the name, lsof may keep fewer.
		if p.Name == "" || !strings.HasPrefix(exe, p.Name) {
			t.Errorf("%s: PID %d is named %q, want (a prefix of) %q", what, pid, p.Name, exe)
		}
		return
	}
	t.Errorf("%s: the child (PID %d) is not among %v", what, pid, procs)
}

func TestLookupFindsAChildHoldingTCPAndUDPPorts(t *testing.T) {
	child, tcpPort, udpPort := boundChild(t, nil)
	pid := child.Process.Pid
	for _, tc := range []struct {
		network string
		addr    netip.AddrPort
	}{
		{"tcp", netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), tcpPort)},
		{"tcp4", netip.AddrPortFrom(netip.IPv4Unspecified(), tcpPort)}, // a bind to 0.0.0.0 conflicts too
		{"tcp", netip.AddrPortFrom(netip.Addr{}, tcpPort)},
		{"udp", netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), udpPort)},
	} {
		procs, err := Lookup(tc.network, tc.addr)
		if errors.Is(err, ErrUnsupported) {
			t.Skip(err)
		}
		if err != nil {
			t.Fatalf("%s %v: %v", tc.network, tc.addr, err)
		}
		checkFound(t, tc.network+" "+tc.addr.String(), procs, pid)
		if len(procs) > 0 && os.Getenv("CI") == "" {
			t.Logf("%s %v: %v, command %q", tc.network, tc.addr, procs, procs[0].Command)
		}
	}
}

func TestLookupSaysWhenNothingHoldsThePort(t *testing.T) {
	_, tcpPort, _ := boundChild(t, nil)
	// Another loopback address does not conflict with 127.0.0.1.
	_, err := Lookup("tcp", netip.AddrPortFrom(netip.MustParseAddr("127.0.0.2"), tcpPort))
	if errors.Is(err, ErrUnsupported) {
		t.Skip(err)
	}
	if !errors.Is(err, ErrNoSocket) && !errors.Is(err, ErrNotVisible) {
		t.Errorf("a port held on another address: %v, want ErrNoSocket (or ErrNotVisible where the system cannot tell)", err)
	}
}

func TestLookupRejectsBadQueries(t *testing.T) {
	if _, err := Lookup("sctp", netip.MustParseAddrPort("127.0.0.1:80")); err == nil || !strings.Contains(err.Error(), `network "sctp"`) {
		t.Errorf("sctp: %v", err)
	}
	if _, err := Lookup("tcp", netip.MustParseAddrPort("127.0.0.1:0")); err == nil {
		t.Error("port 0: no error")
	}
}

func TestConflicts(t *testing.T) {
	p := func(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
	for _, tc := range []struct {
		sock, want string
		conflict   bool
	}{
		{"127.0.0.1:80", "127.0.0.1:80", true},
		{"0.0.0.0:80", "127.0.0.1:80", true},
		{"127.0.0.1:80", "0.0.0.0:80", true},
		{"[::]:80", "127.0.0.1:80", true},
		{"[::ffff:127.0.0.1]:80", "127.0.0.1:80", true},
		{"127.0.0.1:80", "127.0.0.2:80", false},
		{"127.0.0.1:81", "127.0.0.1:80", false},
	} {
		s := p(tc.sock)
		if got := conflicts(s.Addr(), s.Port(), p(tc.want)); got != tc.conflict {
			t.Errorf("socket %s, bind %s: conflict %v, want %v", tc.sock, tc.want, got, tc.conflict)
		}
	}
}

// The error a second bind gets is the one IsAddrInUse recognises, and the
// lookup then names the holder.
func TestAddressInUseNamesTheHolder(t *testing.T) {
	child, tcpPort, _ := boundChild(t, nil)
	addr := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), tcpPort)
	ln, err := net.Listen("tcp", addr.String())
	if err == nil {
		ln.Close()
		t.Fatalf("a second listener on %v succeeded", addr)
	}
	if !IsAddrInUse(err) {
		t.Fatalf("IsAddrInUse(%v) = false", err)
	}
	procs, err := Lookup("tcp", addr)
	if errors.Is(err, ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	checkFound(t, "after address in use", procs, child.Process.Pid)
	if IsAddrInUse(errors.New("connection refused")) {
		t.Error("IsAddrInUse of another error is true")
	}
}
