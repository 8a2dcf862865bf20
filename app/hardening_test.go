package app

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// sendFromUDPPanel types a destination and a message and presses Send; it returns
// what the send box then says (empty when the send went out).
func sendFromUDPPanel(t *testing.T, q *queuedUI, p *udpPanel, host, port, msg string) string {
	t.Helper()
	p.send.causeGone()
	p.dstHost.SetText(host)
	p.dstPort.SetText(port)
	p.send.entry.SetText(msg)
	sent := p.sep.Load().Stats().MsgsOut
	test.Tap(p.send.sendBtn)
	uiWait(t, q, "the send to finish", func() bool {
		return p.send.note.isError() || p.sep.Load().Stats().MsgsOut > sent
	})
	if !p.send.note.isError() {
		return ""
	}
	return p.send.note.Text()
}

// Bad destinations are named at their field, in words, and nothing is sent.
func TestUDPPanelBadDestinations(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	for _, tc := range []struct{ host, port, msg, want string }{
		{"", "7788", "x", "Destination: enter a host name or address"},
		{"  ", "7788", "x", "Destination: enter a host name or address"},
		{"127.0.0.1", "", "x", "Destination port: port is empty"},
		{"127.0.0.1", "0", "x", "Destination port: port 0 is out of range 1-65535"},
		{"127.0.0.1", "-1", "x", "Destination port: port -1 is out of range 1-65535"},
		{"127.0.0.1", "65536", "x", "Destination port: port 65536 is out of range 1-65535"},
		{"127.0.0.1", "abc", "x", `Destination port: port "abc" is not a number`},
		{"nosuchhost.invalid", "9", "x", `Destination: host "nosuchhost.invalid" not found`},
		{"a host", "9", "x", `Destination: "a host" is not a host name or address`},
	} {
		got := sendFromUDPPanel(t, q, p, tc.host, tc.port, tc.msg)
		if !strings.Contains(got, tc.want) {
			t.Errorf("%q:%q: send box says %q, want %q", tc.host, tc.port, got, tc.want)
		}
	}
	// Over 65,507 bytes: typed, it would make the entry lay out a 64 KiB line, so
	// the payload goes straight to the panel's send and the box shows the result.
	sendFromUDPPanel(t, q, p, "127.0.0.1", "9", "x") // a valid destination
	p.send.sendDone(p.sendPayload(make([]byte, netio.MaxUDPPayload+1)))
	if want := "65508 bytes; the largest a datagram can carry is 65507"; !strings.Contains(p.send.note.Text(), want) {
		t.Errorf("oversized: send box says %q", p.send.note.Text())
	}
	if st := p.sep.Load().Stats(); st.MsgsOut != 1 {
		t.Errorf("%d datagrams went out, want only the valid one", st.MsgsOut)
	}
}

// IPv6 with and without brackets, for the local address and the destination.
func TestUDPPanelIPv6Forms(t *testing.T) {
	peer, err := net.ListenUDP("udp6", &net.UDPAddr{IP: net.IPv6loopback})
	if err != nil {
		t.Skip("no IPv6 loopback")
	}
	defer peer.Close()
	port := strconv.Itoa(peer.LocalAddr().(*net.UDPAddr).Port)
	for _, form := range []string{"::1", "[::1]"} {
		t.Run(form, func(t *testing.T) {
			e, q := newTestEnv(t)
			p := newUDPPanel(e)
			t.Cleanup(p.Close)
			p.bindAddr.SetText(form)
			p.bindPort.SetText("0")
			test.Tap(p.openBtn)
			if p.ep == nil {
				t.Fatalf("did not open on %s: %s", form, shown(p.session))
			}
			if got := sendFromUDPPanel(t, q, p, form, port, "v6 "+form); got != "" {
				t.Fatalf("send to %s: %q", form, got)
			}
			if got := string(readDatagram(t, (*net.UDPConn)(peer))); got != "v6 "+form {
				t.Errorf("peer got %q", got)
			}
		})
	}
}

// The TCP client takes IPv6 with and without brackets, and names a host that does
// not resolve at the Server field.
func TestTCPClientPanelHostForms(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	p.host.SetText("nosuchhost.invalid")
	p.port.SetText("9")
	test.Tap(p.connectBtn)
	uiWait(t, q, "the lookup failure", func() bool { return !p.connecting })
	if want := `Server: host "nosuchhost.invalid" not found`; !strings.Contains(shown(p.session), want) {
		t.Errorf("status %q, want %q", shown(p.session), want)
	}

	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback")
	}
	defer ln.Close()
	for _, form := range []string{"::1", "[::1]"} {
		p.host.SetText(form)
		p.port.SetText(strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
		test.Tap(p.connectBtn)
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		uiWait(t, q, "connected to "+form, func() bool { return p.client != nil })
		c.Close()
		uiWait(t, q, "the close", func() bool { return p.client == nil })
	}
}

// A port below 1024 without privileges (tests run as root, so the system's refusal
// is simulated) is named at the port field with the reason.
func TestBindErrorWording(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("netio: tcp listen 0.0.0.0:80: %w", syscall.EACCES), "Port: permission denied (binding a port below 1024 needs administrator rights)"},
		{fmt.Errorf("netio: udp bind 127.0.0.1:9: %w", syscall.EADDRINUSE), "Port: that port is already in use by another program or session"},
		{fmt.Errorf("netio: udp bind: %w", &hostport.Error{Input: "192.0.2.1:0", Reason: "192.0.2.1 is not an address of this host"}), "Address: 192.0.2.1 is not an address of this host"},
		{&net.DNSError{Err: "server misbehaving", Name: "example.test", IsTemporary: true}, `Address: cannot look up host "example.test": server misbehaving`},
		{errors.New("netio: something else"), "something else"},
	} {
		if got := errorText(bindError("Address", "Port", tc.err)); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
	if bindError("Address", "Port", nil) != nil {
		t.Error("no error became one")
	}
	// A broadcast refusal (EACCES underneath on Linux) keeps its own words.
	if got := errorText(fmt.Errorf("netio: udp send: %w", netio.ErrBroadcastOff)); !strings.Contains(got, "turn Broadcast on") {
		t.Errorf("broadcast: %q", got)
	}
}

// Hostile bytes from a client show escaped in the panel's log: one row each, no
// control character, no bidi override.
func TestTCPServerPanelShowsHostileBytesEscaped(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	test.Tap(p.startBtn)
	c, err := net.Dial("tcp4", p.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("\x1b[2J\x00 bad\xff rtl\u202eevil\u202c\nnext"))
	uiWait(t, q, "the message", func() bool { return logShows(p.log, "evil") })
	for _, l := range p.log.Lines() {
		if l != charset.DisplayText(l) {
			t.Errorf("row would be altered by its content: %q", l)
		}
	}
	if !logShows(p.log, `\x1B[2J\0 bad\xFF rtl\u{202E}evil\u{202C}\nnext`) {
		t.Errorf("log %q", p.log.Lines())
	}
}

// The pump takes at most maxPendingBytes from its queue while the UI is busy; the
// rest waits in the queue, which is bounded too.
func TestPumpBoundsWhatItHolds(t *testing.T) {
	q := netio.NewQueueBytes(1000, 1<<30)
	big := netio.Event{Kind: netio.EventReceived, Data: make([]byte, 1<<20)}
	for range 100 {
		q.Emit(big)
	}
	p := &pump{queue: q}
	pending, size := p.drain(nil, 0)
	if size < maxPendingBytes || size > maxPendingBytes+1<<20 || len(pending) != size>>20 {
		t.Errorf("drained %d events, %d bytes; bound %d", len(pending), size, maxPendingBytes)
	}
	if left := len(q.Events()); left != 100-len(pending) || q.Bytes() != int64(left)<<20 {
		t.Errorf("queue holds %d events, %d bytes", left, q.Bytes())
	}
}

// A datagram to a closed port: the ICMP error shows in the log, the session stays
// open and keeps sending.
func TestUDPPanelPortUnreachable(t *testing.T) {
	if !loopbacktest.ICMPErrorsReported {
		t.Skip("this system does not report port unreachable for unconnected UDP")
	}
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	closed := udpPeer(t, "")
	port := strconv.Itoa(closed.LocalAddr().(*net.UDPAddr).Port)
	closed.Close()
	if got := sendFromUDPPanel(t, q, p, "127.0.0.1", port, "anyone?"); got != "" {
		t.Fatalf("send: %q", got)
	}
	uiWait(t, q, "the ICMP error in the log", func() bool { return logShows(p.log, "port unreachable") })
	open := udpPeer(t, "")
	if got := sendFromUDPPanel(t, q, p, "127.0.0.1", strconv.Itoa(open.LocalAddr().(*net.UDPAddr).Port), "hello"); got != "" {
		t.Fatalf("second send: %q", got)
	}
	if got := string(readDatagram(t, open)); got != "hello" {
		t.Errorf("peer got %q", got)
	}
	if p.ep == nil {
		t.Error("the session closed")
	}
}

// An address that is neither an IP address nor a host name is called invalid at
// its field, not "not found": 999.1.1.1 has a number over 255.
func TestInvalidAddressesAreCalledInvalid(t *testing.T) {
	e, _ := newTestEnv(t)
	c := newTCPClientPanel(e)
	t.Cleanup(c.Close)
	c.host.SetText("999.1.1.1")
	c.port.SetText("80")
	test.Tap(c.connectBtn)
	if got := fieldErrors(c.form); !strings.Contains(got, `Server: ⚠ "999.1.1.1" is not a valid IPv4 address`) && !strings.Contains(got, `Server: "999.1.1.1" is not a valid IPv4 address`) {
		t.Errorf("TCP client: %q", got)
	}
	if c.connecting || c.client != nil {
		t.Error("a connect was tried")
	}
	u := openUDPPanel(t, e, "UTF-8")
	u.dstHost.SetText("1.2.3.4.5")
	u.dstPort.SetText("9")
	u.send.entry.SetText("x")
	test.Tap(u.send.sendBtn)
	q := e.ui.(*queuedUI)
	uiWait(t, q, "the refusal", func() bool { return u.send.note.isError() })
	if got := u.send.note.Text(); !strings.Contains(got, `"1.2.3.4.5" is not a valid IPv4 address`) || strings.Contains(got, "not found") {
		t.Errorf("UDP destination: %q", got)
	}
	if !strings.Contains(fieldErrors(u.form), "Destination") {
		t.Errorf("the destination field is not marked: %q", fieldErrors(u.form))
	}
	useLanguage(t, "zh-Hans")
	c.relabel()
	if got := fieldErrors(c.form); !strings.Contains(got, "不是有效的 IPv4 地址") {
		t.Errorf("in Chinese: %q", got)
	}
}
