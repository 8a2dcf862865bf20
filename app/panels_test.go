package app

import (
	"bytes"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/app/logview"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// newTestEnv gives a panel a test app, a window and a queued UI runner: the test
// goroutine plays Fyne's goroutine by flushing the queue.
func newTestEnv(t *testing.T) (env, *queuedUI) {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("test")
	t.Cleanup(w.Close)
	q := &queuedUI{}
	return env{app: a, win: w, ui: q}, q
}

// uiWait runs queued UI work until cond holds; loopback delivers in microseconds,
// the deadline only matters when something is broken.
func uiWait(t *testing.T, q *queuedUI, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		q.Flush()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 5s for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func logShows(v *logview.View, substr string) bool {
	for _, l := range v.Lines() {
		if strings.Contains(l, substr) {
			return true
		}
	}
	return false
}

func gbkBytes(t *testing.T, s string) []byte {
	t.Helper()
	cs, _ := charset.Lookup("gbk")
	b, err := cs.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func udpPeer(t *testing.T, addr string) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func readDatagram(t *testing.T, c *net.UDPConn) []byte {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 65536)
	n, _, err := c.ReadFromUDP(buf)
	if err != nil {
		t.Fatalf("peer read: %v", err)
	}
	return buf[:n]
}

func openUDPPanel(t *testing.T, e env, charset string) *udpPanel {
	t.Helper()
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	p.charset.SetSelected(charset)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	test.Tap(p.openBtn)
	if p.ep == nil {
		t.Fatalf("UDP panel did not open: %s", shown(p.session))
	}
	return p
}

func TestUDPPanelExchangesGBKWithALoopbackPeer(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "GBK")
	local := p.ep.LocalAddr().(*net.UDPAddr)
	if !strings.Contains(p.Title(), ":"+strconv.Itoa(local.Port)+" ●") {
		t.Errorf("title %q does not show the port and state", p.Title())
	}

	peer := udpPeer(t, "")
	peer.WriteToUDP(gbkBytes(t, "你好，设备"), local)
	uiWait(t, q, "the GBK datagram in the log", func() bool { return logShows(p.log, "你好，设备") })

	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(peer.LocalAddr().(*net.UDPAddr).Port))
	p.send.entry.SetText("收到")
	test.Tap(p.send.sendBtn)
	if got := readDatagram(t, peer); !bytes.Equal(got, gbkBytes(t, "收到")) {
		t.Errorf("peer got % x, want GBK 收到", got)
	}
	uiWait(t, q, "counters to count both ways", func() bool {
		s := p.counters.Text()
		return strings.Contains(s, "In 1 msg") && strings.Contains(s, "Out 1 msg")
	})
	uiWait(t, q, "the sent line in the log", func() bool { return logShows(p.log, "收到") })
	if got := p.prefs.recent("dsthost"); len(got) == 0 || got[0] != "127.0.0.1" {
		t.Errorf("recent destinations %v", got)
	}

	test.Tap(p.openBtn)
	if p.ep != nil || p.Title() != "UDP" || p.openBtn.Text != "Open" {
		t.Errorf("after Close: title %q, button %q", p.Title(), p.openBtn.Text)
	}
	// The counters still show what the session did once it is closed.
	p.apply(nil)
	if s := p.counters.Text(); !strings.Contains(s, "In 1 msg") || !strings.Contains(s, "Out 1 msg") {
		t.Errorf("counters after Close: %q", s)
	}
}

func TestUDPPanelBadInputIsNamed(t *testing.T) {
	e, q := newTestEnv(t)
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	for _, tc := range []struct{ addr, port, want string }{
		{"127.0.0.1", "70000", "Local port: port 70000 is out of range 0-65535"},
		{"127.0.0.1", "abc", `Local port: port "abc" is not a number`},
		{"127.0.0.1", "", "Local port: port is empty"},
		{"192.0.2.1", "0", "not an address of this host"},
	} {
		p.bindAddr.SetText(tc.addr)
		p.bindPort.SetText(tc.port)
		test.Tap(p.openBtn)
		if p.ep != nil || !strings.Contains(shown(p.session), tc.want) {
			t.Errorf("%s:%s: status %q, want %q", tc.addr, tc.port, shown(p.session), tc.want)
		}
	}

	// A port another session holds.
	first := openUDPPanel(t, e, "UTF-8")
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText(strconv.Itoa(first.ep.LocalAddr().(*net.UDPAddr).Port))
	test.Tap(p.openBtn)
	if !strings.Contains(shown(p.session), "already in use") {
		t.Errorf("port in use: status %q", shown(p.session))
	}

	// Bad hex in the send box names the position; bad destination port is named.
	p.bindPort.SetText("0")
	test.Tap(p.openBtn)
	p.send.mode.SetSelected("Hex")
	p.send.entry.SetText("c4 zz")
	test.Tap(p.send.sendBtn)
	if !strings.Contains(p.send.note.Text(), "position 4") {
		t.Errorf("bad hex: %q", p.send.note.Text())
	}
	p.send.entry.SetText("c4e3")
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText("0")
	test.Tap(p.send.sendBtn)
	uiWait(t, q, "the destination port error", func() bool { return strings.Contains(p.send.note.Text(), "port 0 is out of range 1-65535") })
	// The first session kept working throughout.
	if first.ep == nil {
		t.Error("the other session closed")
	}
}

func TestUDPPanelBroadcastSwitch(t *testing.T) {
	e, q := newTestEnv(t)
	listener, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4zero})
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	p := openUDPPanel(t, e, "UTF-8")
	p.dstHost.SetText("127.255.255.255")
	p.dstPort.SetText(strconv.Itoa(listener.LocalAddr().(*net.UDPAddr).Port))
	p.send.entry.SetText("anyone?")
	test.Tap(p.send.sendBtn)
	uiWait(t, q, "the broadcast refusal", func() bool { return strings.Contains(p.send.note.Text(), "turn Broadcast on") })

	test.Tap(p.broadcast)
	test.Tap(p.send.sendBtn)
	if got := string(readDatagram(t, listener)); got != "anyone?" {
		t.Errorf("listener got %q", got)
	}
}

func TestTCPClientPanelConnectSendReceiveAndPeerClose(t *testing.T) {
	e, q := newTestEnv(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	p.charset.SetSelected("GBK")
	p.host.SetText("127.0.0.1")
	p.port.SetText(strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	test.Tap(p.connectBtn)
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	uiWait(t, q, "connected", func() bool { return p.client != nil })
	if !strings.Contains(p.Title(), "TCP → 127.0.0.1:") || p.connectBtn.Text != "Disconnect" {
		t.Errorf("title %q button %q", p.Title(), p.connectBtn.Text)
	}

	p.send.entry.SetText("你好")
	test.Tap(p.send.sendBtn)
	got := make([]byte, 4)
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(peer, got); err != nil || !bytes.Equal(got, gbkBytes(t, "你好")) {
		t.Errorf("peer got % x, %v", got, err)
	}
	// A character split across two segments still shows whole.
	reply := gbkBytes(t, "服务器")
	peer.Write(reply[:3])
	uiWait(t, q, "the first part", func() bool { return logShows(p.log, "服") })
	peer.Write(reply[3:])
	uiWait(t, q, "the rest", func() bool { return logShows(p.log, "务器") })
	if logShows(p.log, `\x`) {
		t.Errorf("a split character shows as bytes: %v", p.log.Lines())
	}

	peer.Close()
	uiWait(t, q, "the peer's close", func() bool { return p.client == nil })
	if !strings.Contains(p.bar.Text(), "server closed") || !logShows(p.log, "] server closed") {
		t.Errorf("state %q, log %v", p.bar.Text(), p.log.Lines())
	}
	if p.connectBtn.Text != "Connect" {
		t.Errorf("button %q", p.connectBtn.Text)
	}
}

func TestTCPClientPanelErrors(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	for _, tc := range []struct{ host, port, timeout, want string }{
		{"", "80", "10", "Server: enter a host name or address"},
		{"127.0.0.1", "0", "10", "Port: port 0 is out of range 1-65535"},
		{"127.0.0.1", "80", "-1", "Timeout:"},
	} {
		p.host.SetText(tc.host)
		p.port.SetText(tc.port)
		p.timeout.SetText(tc.timeout)
		test.Tap(p.connectBtn)
		if !strings.Contains(shown(p.session), tc.want) {
			t.Errorf("%+v: status %q", tc, shown(p.session))
		}
	}
	ln, _ := net.Listen("tcp4", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	p.host.SetText("127.0.0.1")
	p.port.SetText(strconv.Itoa(port))
	p.timeout.SetText("5")
	test.Tap(p.connectBtn)
	uiWait(t, q, "the refusal", func() bool { return strings.Contains(shown(p.session), "connection refused") })
	if p.connectBtn.Text != "Connect" {
		t.Errorf("button %q after refusal", p.connectBtn.Text)
	}
}

func TestTCPServerPanelServesManyClients(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.charset.SetSelected("GBK")
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	test.Tap(p.startBtn)
	if p.srv == nil {
		t.Fatalf("server did not start: %s", shown(p.session))
	}
	addr := p.srv.Addr().String()
	var conns []net.Conn
	for i := range 3 {
		c, err := net.Dial("tcp4", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write(gbkBytes(t, "客户"+strconv.Itoa(i)))
		conns = append(conns, c)
	}
	uiWait(t, q, "three clients listed", func() bool { return len(p.clients.items) == 3 && logShows(p.log, "客户2") })
	if !strings.Contains(p.clients.rowText(0), "All clients (3)") || !strings.Contains(p.clients.rowText(1), conns[0].LocalAddr().String()) {
		t.Errorf("rows %q, %q", p.clients.rowText(0), p.clients.rowText(1))
	}
	if !strings.Contains(p.Title(), "(3) ●") {
		t.Errorf("title %q", p.Title())
	}

	read := func(c net.Conn, n int) string {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, n)
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatalf("read: %v", err)
		}
		return string(buf)
	}

	// Select the second client: the log shows only it, and Send goes only to it.
	p.clients.table.Select(widget.TableCellID{Row: 2})
	if p.clients.selectedID != p.clients.items[1].ID || !strings.Contains(p.target.Text, conns[1].LocalAddr().String()) {
		t.Fatalf("selected %d, target %q", p.clients.selectedID, p.target.Text)
	}
	if logShows(p.log, "客户0") || !logShows(p.log, "客户1") {
		t.Errorf("filtered log %v", p.log.Lines())
	}
	p.send.entry.SetText("one")
	test.Tap(p.send.sendBtn)
	if got := read(conns[1], 3); got != "one" {
		t.Errorf("selected client got %q", got)
	}

	// All clients.
	p.clients.table.Select(widget.TableCellID{Row: 0})
	p.send.entry.SetText("all")
	test.Tap(p.send.sendBtn)
	for _, c := range conns {
		if got := read(c, 3); got != "all" {
			t.Errorf("%s got %q", c.LocalAddr(), got)
		}
	}

	// Disconnect the first; the third leaves on its own.
	p.clients.table.Select(widget.TableCellID{Row: 1})
	test.Tap(p.clients.disconnectBtn)
	conns[0].SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := conns[0].Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("disconnected client read: %v", err)
	}
	conns[2].Close()
	uiWait(t, q, "one client left", func() bool { return len(p.clients.items) == 1 })
	p.clients.table.Select(widget.TableCellID{Row: 0})
	if !logShows(p.log, "["+conns[2].LocalAddr().String()+"] client closed") || !logShows(p.log, "closed here") {
		t.Errorf("log lacks the departures: %v", p.log.Lines())
	}
	uiWait(t, q, "the counters", func() bool { return strings.Contains(p.counters.Text(), "In 3 msgs") })

	test.Tap(p.startBtn)
	if p.srv != nil || len(p.clients.items) != 0 {
		t.Error("server still running after Stop")
	}
}

func TestTCPServerPanelMaxClientsAndBadInput(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	p.maxClients.SetText("-3")
	test.Tap(p.startBtn)
	if p.srv != nil || !strings.Contains(shown(p.session), "Max clients") {
		t.Fatalf("status %q", shown(p.session))
	}
	p.maxClients.SetText("1")
	test.Tap(p.startBtn)
	c1, _ := net.Dial("tcp4", p.srv.Addr().String())
	defer c1.Close()
	uiWait(t, q, "the first client", func() bool { return len(p.clients.items) == 1 })
	c2, _ := net.Dial("tcp4", p.srv.Addr().String())
	defer c2.Close()
	uiWait(t, q, "the refusal in the log", func() bool { return logShows(p.log, "max clients") })
	if len(p.clients.items) != 1 {
		t.Errorf("%d clients", len(p.clients.items))
	}
}

// Each kind remembers its last form values across sessions (and restarts: Fyne
// preferences persist them).
func TestPanelsRememberFormValues(t *testing.T) {
	e, _ := newTestEnv(t)
	first := newUDPPanel(e)
	first.charset.SetSelected("Big5")
	test.Tap(first.echo)
	first.bindAddr.SetText("127.0.0.1")
	first.bindPort.SetText("0")
	test.Tap(first.openBtn)
	first.Close()
	second := newUDPPanel(e)
	t.Cleanup(second.Close)
	if second.charset.Selected != "Big5" || second.bindAddr.Text != "127.0.0.1" || second.bindPort.Text != "0" || !second.echo.Checked {
		t.Errorf("restored charset %q bind %q port %q echo %v", second.charset.Selected, second.bindAddr.Text, second.bindPort.Text, second.echo.Checked)
	}
	// Another kind keeps its own.
	srv := newTCPServerPanel(e)
	t.Cleanup(srv.Close)
	if srv.charset.Selected != "UTF-8" {
		t.Errorf("TCP server panel took the UDP charset: %q", srv.charset.Selected)
	}
}

// UTF-8 with characters from several scripts, over TCP, both ways.
func TestTCPClientPanelUTF8(t *testing.T) {
	e, q := newTestEnv(t)
	srv, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	p.charset.SetSelected("UTF-8")
	p.host.SetText("localhost")
	p.port.SetText(strconv.Itoa(srv.Addr().(*net.TCPAddr).Port))
	test.Tap(p.connectBtn)
	peer, err := srv.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	uiWait(t, q, "connected", func() bool { return p.client != nil })
	peer.Write([]byte("héllo 世界 😀 Ωμέγα"))
	uiWait(t, q, "the UTF-8 line", func() bool { return logShows(p.log, "héllo 世界 😀 Ωμέγα") })
}
