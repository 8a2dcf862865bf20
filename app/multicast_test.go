package app

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"github.com/sockdesk/sockdesk/netio"
)

// The Multicast section joins a group on the loopback interface on Open: a
// datagram sent to the group arrives in the log, and the panel's own sends to a
// group go out through the chosen interface to another member. Nothing leaves
// the host. The settings are remembered.
func TestUDPPanelMulticastOnLoopback(t *testing.T) {
	lo := loopbacktest.Interface(t)
	const group = "239.255.79.1"
	e, q := newTestEnv(t)
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("0.0.0.0")
	p.bindPort.SetText("0")
	p.mcast.groups.SetText(group)
	p.mcast.iface.SetSelected(lo)
	p.mcast.ttl.SetText("1")
	test.Tap(p.openBtn)
	if p.ep == nil {
		t.Fatalf("did not open: %s", shown(p.session))
	}
	if want := "joined " + group + " on " + lo; !strings.Contains(shown(p.session), want) {
		t.Errorf("status %q, want %q", shown(p.session), want)
	}
	if !p.mcast.groups.Disabled() || !p.mcast.iface.Disabled() {
		t.Error("the multicast fields stay editable while open")
	}
	uiWait(t, q, "the listening line naming the group", func() bool { return logShows(p.log, "(joined "+group+" on "+lo+")") })
	port := p.ep.LocalAddr().(*net.UDPAddr).Port

	// Another host-local sender to the group: the panel receives it.
	sender := netio.NewUDP(netio.UDPConfig{Bind: "127.0.0.1:0", Iface: lo})
	if err := sender.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	if err := sender.SendTo(hostport.Join(group, port), []byte("hello group")); err != nil {
		t.Fatal(err)
	}
	uiWait(t, q, "the group datagram in the log", func() bool { return logShows(p.log, "hello group") })

	// The panel sends to the group; another member on another port receives it.
	member, col := joinedMember(t, group, lo)
	p.dstHost.SetText(group)
	p.dstPort.SetText(strconv.Itoa(member.LocalAddr().(*net.UDPAddr).Port))
	p.send.entry.SetText("from the panel")
	test.Tap(p.send.sendBtn)
	uiWait(t, q, "the other member to receive", func() bool { return col.has("from the panel") })

	test.Tap(p.openBtn)
	if p.ep != nil || p.mcast.groups.Disabled() {
		t.Fatal("did not close, or the multicast fields stay disabled")
	}
	again := newUDPPanel(e)
	t.Cleanup(again.Close)
	if again.mcast.groups.Text != group || again.mcast.iface.Selected != lo || again.mcast.ttl.Text != "1" || !again.mcast.loop.Checked {
		t.Errorf("restored groups %q iface %q ttl %q loop %v", again.mcast.groups.Text, again.mcast.iface.Selected, again.mcast.ttl.Text, again.mcast.loop.Checked)
	}
}

// textSink keeps the text of received datagrams.
type textSink struct {
	ch chan string
}

func (s *textSink) Emit(e netio.Event) {
	if e.Kind == netio.EventReceived {
		select {
		case s.ch <- e.Text:
		default:
		}
	}
}

func (s *textSink) has(text string) bool {
	for {
		select {
		case got := <-s.ch:
			if got == text {
				return true
			}
		default:
			return false
		}
	}
}

func joinedMember(t *testing.T, group, iface string) (*netio.UDPEndpoint, *textSink) {
	t.Helper()
	col := &textSink{ch: make(chan string, 16)}
	m := netio.NewUDP(netio.UDPConfig{Join: []string{group}, Iface: iface, Sink: col})
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m, col
}

func TestUDPPanelMulticastBadInputIsNamed(t *testing.T) {
	e, _ := newTestEnv(t)
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	p.bindPort.SetText("0")
	for _, tc := range []struct{ bind, groups, ttl, want string }{
		{"0.0.0.0", "192.0.2.1", "", "Multicast group: 192.0.2.1 is not a multicast address"},
		{"0.0.0.0", "239.1.2.3, nonsense", "", `Multicast group: "nonsense" is not an IP address`},
		{"0.0.0.0", "239.1.2.3, ff02::1", "", "Multicast group: join: groups 239.1.2.3 and ff02::1 are of different IP families"},
		{"0.0.0.0", "239.1.2.3", "300", `TTL: "300" is not a number from 1 to 255 (empty = 1)`},
		{"127.0.0.1", "239.1.2.3", "", "Local address: bind address 127.0.0.1 would not receive datagrams sent to 239.1.2.3"},
	} {
		p.bindAddr.SetText(tc.bind)
		p.mcast.groups.SetText(tc.groups)
		p.mcast.ttl.SetText(tc.ttl)
		test.Tap(p.openBtn)
		if p.ep != nil || !strings.Contains(shown(p.session), tc.want) {
			t.Errorf("%s / %s / ttl %s: status %q, want %q", tc.bind, tc.groups, tc.ttl, shown(p.session), tc.want)
		}
		if p.ep != nil {
			test.Tap(p.openBtn)
		}
	}
}

// A TCP server on :: takes an IPv4 and an IPv6 client; the client list and the
// log say which family each used, and the bind field says what :: means.
func TestTCPServerPanelDualStack(t *testing.T) {
	if c, err := net.ListenPacket("udp6", "[::1]:0"); err != nil {
		t.Skip("skipped: no IPv6 on the loopback interface")
	} else {
		c.Close()
	}
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("::")
	if !strings.Contains(shown(p.session), "Listen on: all IPv4 and IPv6 addresses") {
		t.Errorf("no hint for :: in %q", shown(p.session))
	}
	p.bindPort.SetText("0")
	test.Tap(p.startBtn)
	if p.srv == nil {
		t.Fatalf("server did not start: %s", shown(p.session))
	}
	port := p.srv.Addr().(*net.TCPAddr).Port
	c4, err := net.Dial("tcp4", hostport.Join("127.0.0.1", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c4.Close()
	uiWait(t, q, "the IPv4 client", func() bool { return len(p.clients.items) == 1 })
	c6, err := net.Dial("tcp6", hostport.Join("::1", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c6.Close()
	uiWait(t, q, "both clients", func() bool { return len(p.clients.items) == 2 })
	if r := p.clients.rowText(1); !strings.Contains(r, c4.LocalAddr().String()+" · IPv4 ·") {
		t.Errorf("row 1 %q, want the IPv4 client unmapped with its family", r)
	}
	if r := p.clients.rowText(2); !strings.Contains(r, c6.LocalAddr().String()+" · IPv6 ·") {
		t.Errorf("row 2 %q, want the IPv6 client with its family", r)
	}
	uiWait(t, q, "the accepted lines", func() bool {
		return logShows(p.log, "["+c4.LocalAddr().String()+"] accepted via IPv4") && logShows(p.log, "accepted via IPv6")
	})
}
