package netio

import (
	"net"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/internal/hostport"
)

// A TCP server on [::] takes clients of both families where the system allows
// it (IPV6_V6ONLY off), and each accepted event and client entry says which
// family the client used; an IPv4 client shows unmapped, as 127.0.0.1.
func TestTCPServerDualStackReportsFamily(t *testing.T) {
	if !hasIPv6Loopback() {
		t.Skip("skipped: no IPv6 on the loopback interface")
	}
	srv, got := startServer(t, TCPServerConfig{Bind: "[::]:0"})
	port := srv.Addr().(*net.TCPAddr).Port
	c4, err := net.Dial("tcp4", hostport.Join("127.0.0.1", port))
	if err != nil {
		t.Skipf("skipped: this system's [::] listener takes no IPv4 clients (IPV6_V6ONLY on?): %v", err)
	}
	defer c4.Close()
	got.WaitFor(t, "accepted IPv4", kind(EventAccepted), 1)
	c6, err := net.Dial("tcp6", hostport.Join("::1", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c6.Close()
	acc := got.WaitFor(t, "accepted", kind(EventAccepted), 2)
	want := []struct{ prefix, family string }{{"127.0.0.1:", FamilyIPv4}, {"[::1]:", FamilyIPv6}}
	for i, w := range want {
		if !strings.HasPrefix(acc[i].Peer, w.prefix) || acc[i].Family != w.family {
			t.Errorf("accepted %d: peer %s family %q, want %s… %s", i, acc[i].Peer, acc[i].Family, w.prefix, w.family)
		}
	}
	clients := srv.Clients()
	if len(clients) != 2 || clients[0].Family != FamilyIPv4 || clients[1].Family != FamilyIPv6 || !strings.HasPrefix(clients[0].Addr, "127.0.0.1:") {
		t.Errorf("clients %+v, want one IPv4 (127.0.0.1) then one IPv6", clients)
	}
}

// The same for a UDP listener on [::]: datagrams from 127.0.0.1 and ::1 both
// arrive, each marked with its family.
func TestUDPListenerDualStackReportsFamily(t *testing.T) {
	if !hasIPv6Loopback() {
		t.Skip("skipped: no IPv6 on the loopback interface")
	}
	l, got := startUDP(t, UDPConfig{Bind: "[::]:0"})
	port := l.LocalAddr().(*net.UDPAddr).Port
	for _, from := range []struct{ network, dst, msg string }{
		{"udp4", hostport.Join("127.0.0.1", port), "from v4"},
		{"udp6", hostport.Join("::1", port), "from v6"},
	} {
		c, err := net.Dial(from.network, from.dst)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Write([]byte(from.msg)); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	for _, w := range []struct{ msg, prefix, family string }{{"from v4", "127.0.0.1:", FamilyIPv4}, {"from v6", "[::1]:", FamilyIPv6}} {
		e := got.WaitFor(t, w.msg, func(e Event) bool { return e.Kind == EventReceived && e.Text == w.msg }, 1)[0]
		if !strings.HasPrefix(e.Peer, w.prefix) || e.Family != w.family {
			t.Errorf("%s: peer %s family %q, want %s… %s", w.msg, e.Peer, e.Family, w.prefix, w.family)
		}
	}
}

func TestFamily(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:5000":          FamilyIPv4,
		"[::ffff:127.0.0.1]:5000": FamilyIPv4,
		"[::1]:5000":              FamilyIPv6,
		"[fe80::1%lo]:5000":       FamilyIPv6,
		"::1":                     FamilyIPv6,
		"10.0.0.1":                FamilyIPv4,
		"localhost:80":            "",
		"":                        "",
	} {
		if got := Family(in); got != want {
			t.Errorf("Family(%q) = %q, want %q", in, got, want)
		}
	}
}
