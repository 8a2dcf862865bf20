//go:build linux

package netio

import (
	"context"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/internal/loopbacktest"
)

// Connect timeout: a listener that does not answer the handshake makes Start give
// up after the configured timeout with an error that says so and matches Timeout.
func TestTCPClientConnectTimeout(t *testing.T) {
	addr := loopbacktest.FullListener(t)
	col := &collector{}
	c := NewTCPClient(TCPClientConfig{Addr: addr, Timeout: 200 * time.Millisecond, Sink: col})
	began := time.Now()
	err := c.Start(context.Background())
	took := time.Since(began)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if want := "netio: connect " + addr + ": no answer within 200ms: i/o timeout"; err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
	if took < 150*time.Millisecond || took > 3*time.Second {
		t.Errorf("gave up after %v, want about 200ms", took)
	}
	if len(col.Events()) != 0 {
		t.Errorf("events from a connection that never was: %v", eventtest.Describe(col.Events()))
	}
	c.Close()

	// Cancelling the attempt ends it at once, with the context's error.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	c = NewTCPClient(TCPClientConfig{Addr: addr, Timeout: time.Minute})
	if err := c.Start(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled connect: %v", err)
	}
}

// ICMP port unreachable on UDP: a datagram to a loopback port nobody has bound comes
// back as an error event naming the destination; the endpoint keeps working, and a
// send right after (which the kernel would fail with the earlier error) goes out.
func TestUDPPortUnreachable(t *testing.T) {
	for _, bind := range []string{"127.0.0.1:0", "", "[::1]:0"} {
		t.Run("bind "+bind, func(t *testing.T) {
			network, host := "udp4", "127.0.0.1"
			if strings.HasPrefix(bind, "[::1]") {
				if !hasIPv6Loopback() {
					t.Skip("no IPv6 loopback")
				}
				network, host = "udp6", "::1"
			}
			closed, err := net.ListenPacket(network, hostport.Join(host, 0))
			if err != nil {
				t.Fatal(err)
			}
			dst := closed.LocalAddr().String()
			closed.Close()
			open, err := net.ListenPacket(network, hostport.Join(host, 0))
			if err != nil {
				t.Fatal(err)
			}
			defer open.Close()

			u, got := startUDP(t, UDPConfig{Bind: bind})
			for range 3 { // back to back: each send may meet the previous one's ICMP
				if err := u.SendTo(dst, []byte("anyone?")); err != nil {
					t.Fatalf("send to a closed port: %v", err)
				}
			}
			errs := got.WaitFor(t, "port unreachable", kind(EventError), 3)
			for _, e := range errs {
				if e.Peer != dst || !errors.Is(e.Err, ErrPortUnreachable) || !errors.Is(e.Err, syscall.ECONNREFUSED) {
					t.Errorf("error event %s", show(e))
				}
			}
			if msg := errs[0].Err.Error(); !strings.HasPrefix(msg, "netio: udp send to "+dst+": port unreachable") {
				t.Errorf("error %q", msg)
			}
			// Still sending and receiving, to anyone.
			if err := u.SendTo(open.LocalAddr().String(), []byte("hello")); err != nil {
				t.Fatal(err)
			}
			open.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
			buf := make([]byte, 16)
			n, from, err := open.ReadFrom(buf)
			if err != nil || string(buf[:n]) != "hello" {
				t.Fatalf("open port got %q, %v", buf[:n], err)
			}
			open.WriteTo([]byte("back"), from)
			if e := got.WaitFor(t, "reply", kind(EventReceived), 1)[0]; e.Text != "back" {
				t.Errorf("reply %q", e.Text)
			}
			if st := u.Stats(); st.MsgsOut != 4 || st.MsgsIn != 1 {
				t.Errorf("counters %+v, want 4 out and 1 in", st)
			}
		})
	}
}
