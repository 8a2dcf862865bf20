package cli

import (
	"net"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
)

// `udp listen --join` on the loopback interface receives what `udp send` sends to
// the group through it; nothing leaves the host.
func TestUDPMulticastListenAndSend(t *testing.T) {
	lo := loopbacktest.Interface(t)
	const group = "239.255.78.1"
	l := start(t, nil, "udp", "listen", "--port", "0", "--join", group, "--iface", lo, "--json", "--count", "1")
	ev := l.waitEvents("the listening event", 1, is("listening"))[0]
	if want := "joined " + group + " on " + lo; ev.Text != want {
		t.Errorf("listening text %q, want %q", ev.Text, want)
	}
	if !strings.HasPrefix(ev.Local, "0.0.0.0:") {
		t.Errorf("listening on %s, want the IPv4 wildcard", ev.Local)
	}
	to := addr(group, portOf(t, ev.Local))
	code, out, errOut := run(t, nil, "udp", "send", "--to", to, "--iface", lo, "--ttl", "1", "to the group")
	if code != 0 {
		t.Fatalf("send: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "SEND udp ["+to+"]") {
		t.Errorf("send printed %q", out)
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d, stderr %q", code, l.stderr)
	}
	recv := filter(l.events(), is("received"))
	if len(recv) != 1 || recv[0].Text != "to the group" || recv[0].Family != "IPv4" {
		t.Errorf("received %+v", recv)
	}
}

// The text form says which groups were joined on which interface.
func TestUDPMulticastListeningLine(t *testing.T) {
	lo := loopbacktest.Interface(t)
	l := start(t, nil, "udp", "listen", "--port", "0", "--join", "239.255.78.2,239.255.78.3", "--iface", lo)
	lines := l.stdout.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })
	if want := "(joined 239.255.78.2, 239.255.78.3 on " + lo + ")"; !strings.HasSuffix(lines[0], want) || !strings.Contains(lines[0], "LISTEN udp on 0.0.0.0:") {
		t.Errorf("listening line %q, want it to end %q", lines[0], want)
	}
	if code := l.stop(); code != 0 {
		t.Errorf("exit %d, stderr %q", code, l.stderr)
	}
}

func TestUDPMulticastBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"udp", "listen", "--port", "0", "--join", "192.0.2.1"}, "--join: 192.0.2.1 is not a multicast address (IPv4: 224.0.0.0/4, IPv6: ff00::/8)"},
		{[]string{"udp", "listen", "--port", "0", "--join", "239.1.2.3,"}, "--join: missing multicast group address"},
		{[]string{"udp", "listen", "--port", "0", "--join", "groupname"}, `--join: "groupname" is not an IP address`},
		{[]string{"udp", "listen", "--port", "0", "--join", "239.1.2.3", "--join", "ff02::1"}, "--join: 239.1.2.3 and ff02::1 are of different IP families; run one listener per family"},
		{[]string{"udp", "listen", "--port", "0", "--join", "239.1.2.3", "--iface", "sdnope9"}, "--iface: no interface named sdnope9"},
		{[]string{"udp", "listen", "--port", "0", "--iface", "lo"}, "--iface: needs --join GROUP (the interface to join the group on)"},
		{[]string{"udp", "listen", "--port", "0", "--join", "239.1.2.3", "--bind", "127.0.0.1"}, "--bind: 127.0.0.1 would not receive datagrams sent to 239.1.2.3; leave --bind out (it binds 0.0.0.0)"},
		{[]string{"udp", "send", "--to", "239.1.2.3:9", "--ttl", "0", "x"}, "--ttl: 0 is out of range (1 to 255)"},
		{[]string{"udp", "send", "--to", "239.1.2.3:9", "--ttl", "256", "x"}, "--ttl: 256 is out of range (1 to 255)"},
		{[]string{"udp", "send", "--to", "239.1.2.3:9", "--ttl", "one", "x"}, `--ttl: "one" is not a whole number`},
		{[]string{"udp", "send", "--to", "239.1.2.3:9", "--iface", "sdnope9", "x"}, "--iface: no interface named sdnope9"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--ttl", "2", "x"}, "--ttl: only applies to a multicast destination, and 127.0.0.1 is not one"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--no-loop", "x"}, "--no-loop: only applies to a multicast destination, and 127.0.0.1 is not one"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) { expectUsageError(t, tc.args, tc.want) })
	}
}

// An interface with no IPv4 address cannot join an IPv4 group: bad --iface.
func TestUDPMulticastInterfaceWithoutIPv4(t *testing.T) {
	name := ""
	ifs, _ := net.Interfaces()
	for _, ifc := range ifs {
		addrs, _ := ifc.Addrs()
		has4 := false
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
				has4 = true
			}
		}
		if !has4 {
			name = ifc.Name
			break
		}
	}
	if name == "" {
		t.Skip("skipped: every interface of this host has an IPv4 address")
	}
	expectUsageError(t, []string{"udp", "listen", "--port", "0", "--join", "239.1.2.3", "--iface", name}, "--iface: interface "+name+" has no IPv4 address")
}

// `tcp serve --bind ::` takes an IPv4 and an IPv6 client and says which family
// each used.
func TestTCPServeDualStackFamilies(t *testing.T) {
	if c, err := net.ListenPacket("udp6", "[::1]:0"); err != nil {
		t.Skip("skipped: no IPv6 on the loopback interface")
	} else {
		c.Close()
	}
	s := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "::")
	lines := s.stdout.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })
	f := strings.Fields(lines[0])
	port := portOf(t, f[len(f)-1])
	for _, c := range []struct{ network, host, family string }{{"tcp4", "127.0.0.1", "IPv4"}, {"tcp6", "::1", "IPv6"}} {
		conn, err := net.Dial(c.network, addr(c.host, port))
		if err != nil {
			t.Fatalf("%s client: %v", c.family, err)
		}
		defer conn.Close()
		want := "accepted via " + c.family
		s.stdout.waitFor(t, want, func(ls []string) bool {
			for _, l := range ls {
				if strings.Contains(l, want) && strings.Contains(l, addr(c.host, 0)[:len(addr(c.host, 0))-1]) {
					return true
				}
			}
			return false
		})
	}
	if code := s.stop(); code != 0 {
		t.Errorf("exit %d, stderr %q", code, s.stderr)
	}
}
