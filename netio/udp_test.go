package netio

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio/charset"
)

func startUDP(t *testing.T, cfg UDPConfig) (*UDPEndpoint, *collector) {
	t.Helper()
	col := &collector{}
	cfg.Sink = col
	u := NewUDP(cfg)
	if err := u.Start(context.Background()); err != nil {
		t.Fatalf("start udp %q: %v", cfg.Bind, err)
	}
	t.Cleanup(func() { u.Close() })
	return u, col
}

func TestUDPSendReceiveDecodesPerCharset(t *testing.T) {
	for _, tc := range []struct{ charset, text string }{
		{"utf-8", "héllo 你好 😀"},
		{"gbk", "你好，世界"},
		{"big5", "繁體中文"},
		{"shift_jis", "こんにちは"},
		{"euc-kr", "안녕하세요"},
	} {
		t.Run(tc.charset, func(t *testing.T) {
			cs := charset.MustLookup(tc.charset)
			listener, got := startUDP(t, UDPConfig{Bind: "127.0.0.1:0", Charset: cs})
			sender, sent := startUDP(t, UDPConfig{Bind: "127.0.0.1:0", Charset: cs})
			payload, err := cs.Encode(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if err := sender.SendTo(listener.LocalAddr().String(), payload); err != nil {
				t.Fatal(err)
			}
			recv := got.WaitFor(t, "received", kind(EventReceived), 1)[0]
			if recv.Text != tc.text || !bytes.Equal(recv.Data, payload) {
				t.Errorf("received text %q bytes % x, want %q % x", recv.Text, recv.Data, tc.text, payload)
			}
			if recv.Peer != sender.LocalAddr().String() || recv.Proto != "udp" {
				t.Errorf("received from %q proto %q, want %q udp", recv.Peer, recv.Proto, sender.LocalAddr())
			}
			if s := sent.WaitFor(t, "sent", kind(EventSent), 1)[0]; s.Text != tc.text {
				t.Errorf("sent event text %q, want %q", s.Text, tc.text)
			}
			if st := listener.Stats(); st.BytesIn != uint64(len(payload)) || st.MsgsIn != 1 {
				t.Errorf("listener stats %+v, want %d bytes in 1 message", st, len(payload))
			}
			if st := sender.Stats(); st.BytesOut != uint64(len(payload)) || st.MsgsOut != 1 {
				t.Errorf("sender stats %+v", st)
			}
		})
	}
}

func TestUDPLargestDatagramArrivesWhole(t *testing.T) {
	listener, got := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	sender, _ := startUDP(t, UDPConfig{})
	big := bytes.Repeat([]byte("0123456789abcdef"), MaxUDPPayload/16+1)[:MaxUDPPayload]
	if err := sender.SendTo(listener.LocalAddr().String(), big); err != nil {
		t.Fatal(err)
	}
	recv := got.WaitFor(t, "received", kind(EventReceived), 1)[0]
	if !bytes.Equal(recv.Data, big) {
		t.Errorf("got %d bytes, want %d", len(recv.Data), len(big))
	}
	err := sender.SendTo(listener.LocalAddr().String(), append(big, 'x'))
	if err == nil || !strings.Contains(err.Error(), "65508 bytes") {
		t.Errorf("oversized datagram: err = %v, want one naming the size", err)
	}
}

// Loopback broadcast: 127.255.255.255 reaches a socket bound to the wildcard address
// only with SO_BROADCAST on; with it off the engine refuses and says why.
func TestUDPBroadcastSwitch(t *testing.T) {
	listener, got := startUDP(t, UDPConfig{Bind: "0.0.0.0:0"})
	port := listener.LocalAddr().(*net.UDPAddr).Port
	dst := hostport.Join("127.255.255.255", port)

	off, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	err := off.SendTo(dst, []byte("nope"))
	if !errors.Is(err, ErrBroadcastOff) || !strings.Contains(err.Error(), "turn broadcast on") {
		t.Fatalf("broadcast with switch off: err = %v, want ErrBroadcastOff", err)
	}

	on, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0", Broadcast: true})
	if err := on.SendTo(dst, []byte("hello all")); err != nil {
		t.Fatalf("broadcast with switch on: %v", err)
	}
	recv := got.WaitFor(t, "received", kind(EventReceived), 1)[0]
	if recv.Text != "hello all" {
		t.Errorf("got %q", recv.Text)
	}

	// Turning the switch off again takes effect at once.
	if err := on.SetBroadcast(false); err != nil {
		t.Fatal(err)
	}
	if err := on.SendTo(dst, []byte("again")); !errors.Is(err, ErrBroadcastOff) {
		t.Errorf("after switching off: err = %v", err)
	}
}

func TestUDPEchoAndIPv6AndLocalhost(t *testing.T) {
	for _, bind := range []string{"127.0.0.1:0", "[::1]:0", "localhost:0"} {
		t.Run(bind, func(t *testing.T) {
			if strings.HasPrefix(bind, "[::1]") && !hasIPv6Loopback() {
				t.Skip("no IPv6 loopback on this machine")
			}
			echo, _ := startUDP(t, UDPConfig{Bind: bind, Echo: true})
			client, got := startUDP(t, UDPConfig{Bind: strings.Replace(bind, "localhost", "127.0.0.1", 1)})
			if err := client.SendTo(echo.LocalAddr().String(), []byte("ping")); err != nil {
				t.Fatal(err)
			}
			back := got.WaitFor(t, "echo", kind(EventReceived), 1)[0]
			if back.Text != "ping" || back.Peer != echo.LocalAddr().String() {
				t.Errorf("echo %q from %s", back.Text, back.Peer)
			}
			if st := echo.Stats(); st.MsgsIn != 1 || st.MsgsOut != 1 {
				t.Errorf("echo stats %+v", st)
			}
		})
	}
}

func hasIPv6Loopback() bool {
	c, err := net.ListenPacket("udp6", "[::1]:0")
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func TestUDPLifecycle(t *testing.T) {
	u, got := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	l := got.WaitFor(t, "listening", kind(EventListening), 1)[0]
	if l.Local != u.LocalAddr().String() || strings.HasSuffix(l.Local, ":0") {
		t.Errorf("listening on %q, want the real port %s", l.Local, u.LocalAddr())
	}
	u.Close()
	u.Close() // idempotent
	if n := len(got.WaitFor(t, "closed", kind(EventClosed), 1)); n != 1 {
		t.Errorf("%d closed events", n)
	}

	// A port in use is an error that errors.Is can match.
	a, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	b := NewUDP(UDPConfig{Bind: a.LocalAddr().String()})
	err := b.Start(context.Background())
	if err == nil {
		b.Close()
		t.Fatal("second bind on the same port succeeded")
	}
	if !IsAddrInUse(err) {
		t.Errorf("err = %v, want address in use", err)
	}

	// Cancelling the start context closes the endpoint.
	ctx, cancel := context.WithCancel(context.Background())
	col := &collector{}
	c := NewUDP(UDPConfig{Bind: "127.0.0.1:0", Sink: col})
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	col.WaitFor(t, "closed after cancel", kind(EventClosed), 1)
	c.Close()
}

func TestUDPBindNotLocal(t *testing.T) {
	// 192.0.2.1 is TEST-NET-1: never an address of this host, and nothing is sent.
	u := NewUDP(UDPConfig{Bind: "192.0.2.1:0"})
	err := u.Start(context.Background())
	if err == nil {
		u.Close()
		t.Fatal("bound to an address that is not ours")
	}
	if !strings.Contains(err.Error(), "not an address of this host") {
		t.Errorf("err = %v", err)
	}
}

// A datagram is a message: its text is decoded from its own bytes alone. A GBK
// character split across two datagrams shows as bytes in each, never as a whole
// character in the second (whose bytes do not hold it).
func TestUDPDecodesEachDatagramAlone(t *testing.T) {
	gbk := charset.MustLookup("gbk")
	listener, events := startUDP(t, UDPConfig{Bind: "127.0.0.1:0", Charset: gbk})
	sender, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	dst := listener.LocalAddr().String()
	for _, p := range [][]byte{{'a', 0xC4}, {0xE3, '!'}, {0xC4, 0xE3}} { // 你 is C4 E3
		if err := sender.SendTo(dst, p); err != nil {
			t.Fatal(err)
		}
	}
	got := events.WaitFor(t, "datagrams", kind(EventReceived), 3)
	for i, want := range []string{`a\xC4`, `\xE3!`, "你"} {
		if got[i].Text != want {
			t.Errorf("datagram %d (% x): text %q, want %q", i+1, got[i].Data, got[i].Text, want)
		}
	}
}
