package netio

import (
	"io"
	"net"
	"sync/atomic"
	"testing"

	"github.com/sockdesk/sockdesk/netio/charset"
)

// Before Start (or after a failed one) the address getters say nil and sends say
// ErrNotStarted, on every kind of endpoint, instead of panicking.
func TestEndpointsBeforeStart(t *testing.T) {
	u := NewUDP(UDPConfig{})
	if u.LocalAddr() != nil || u.SetBroadcast(true) == nil {
		t.Errorf("UDP before Start: LocalAddr %v", u.LocalAddr())
	}
	if err := u.SendTo("127.0.0.1:9", []byte("x")); err == nil {
		t.Error("UDP send before Start worked")
	}
	srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0"})
	if srv.Addr() != nil {
		t.Errorf("TCP server before Start: Addr %v", srv.Addr())
	}
	r := NewTCPRelay(TCPRelayConfig{Listen: "127.0.0.1:0", Target: "127.0.0.1:9"})
	if r.Addr() != nil {
		t.Errorf("relay before Start: Addr %v", r.Addr())
	}
	c := NewTCPClient(TCPClientConfig{Addr: "127.0.0.1:9"})
	if c.LocalAddr() != nil || c.RemoteAddr() != nil {
		t.Error("TCP client before Start has addresses")
	}
	for _, closer := range []io.Closer{u, srv, r, c} {
		closer.Close()
	}
}

// A relay takes a pair off its list before the pair's closed event goes out, so a
// sink (a UI) that sees "closed" and asks for the list never finds the pair on it.
func TestRelayPairGoneBeforeItsClosedEvent(t *testing.T) {
	target := startTarget(t, func(c *net.TCPConn) { io.Copy(io.Discard, c) })
	var r *TCPRelay
	var listed atomic.Int64
	listed.Store(-1)
	col := &collector{}
	r = NewTCPRelay(TCPRelayConfig{Listen: "127.0.0.1:0", Target: target, Sink: SinkFunc(func(e Event) {
		if e.Kind == EventClosed && e.Peer != "" {
			listed.Store(int64(len(r.Pairs())))
		}
		col.Emit(e)
	})})
	if err := r.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c := dialRelay(t, r)
	col.WaitFor(t, "connected to the target", kind(EventConnected), 1)
	c.Close()
	col.WaitFor(t, "the pair's close", func(e Event) bool { return e.Kind == EventClosed && e.Peer != "" }, 1)
	if n := listed.Load(); n != 0 {
		t.Errorf("the list held %d pairs when the pair's closed event went out", n)
	}
}

// SetCharset changes how what arrives next is decoded, on a running endpoint, for
// UDP and for a TCP connection that is already open.
func TestSetCharsetOnARunningEndpoint(t *testing.T) {
	gbk, big5 := charset.MustLookup("gbk"), charset.MustLookup("big5")
	listener, events := startUDP(t, UDPConfig{Bind: "127.0.0.1:0", Charset: gbk})
	sender, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	ni, _ := big5.Encode("你")
	if err := sender.SendTo(listener.LocalAddr().String(), ni); err != nil {
		t.Fatal(err)
	}
	events.WaitFor(t, "the first datagram", kind(EventReceived), 1)
	listener.SetCharset(big5)
	if err := sender.SendTo(listener.LocalAddr().String(), ni); err != nil {
		t.Fatal(err)
	}
	got := events.WaitFor(t, "the second datagram", kind(EventReceived), 2)
	if got[0].Text == "你" || got[1].Text != "你" {
		t.Errorf("texts %q then %q; want Big5's 你 only after the switch", got[0].Text, got[1].Text)
	}

	srv, sEvents := startServer(t, TCPServerConfig{Charset: gbk})
	cli, _ := startClient(t, srv.Addr().String(), nil)
	sEvents.WaitFor(t, "accepted", kind(EventAccepted), 1)
	srv.SetCharset(big5)
	if err := cli.Send(ni); err != nil {
		t.Fatal(err)
	}
	if e := sEvents.WaitFor(t, "received", kind(EventReceived), 1)[0]; e.Text != "你" {
		t.Errorf("TCP after the switch: %q", e.Text)
	}
}
