package netio

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// startTarget runs a loopback TCP server standing in for a relay's target: serve
// runs for each connection on its own goroutine (loopbacktest.Serve).
func startTarget(t *testing.T, serve func(*net.TCPConn)) string {
	return loopbacktest.Serve(t, serve)
}

// echoTarget sends back everything and passes the client's FIN on as its own.
func echoTarget(c *net.TCPConn) {
	io.Copy(c, c)
	c.CloseWrite()
}

func startRelay(t *testing.T, cfg TCPRelayConfig) (*TCPRelay, *collector) {
	t.Helper()
	col := &collector{}
	cfg.Sink = col
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	r := NewTCPRelay(cfg)
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, col
}

func dialRelay(t *testing.T, r *TCPRelay) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", r.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(eventtest.WaitTimeout))
	return c.(*net.TCPConn)
}

// Several clients at once each push a few MiB through the relay to an echo target
// and read them back: every byte arrives unchanged both ways, the log carries both
// directions, and the counters add up.
func TestRelayPassesBytesBothWaysUnchanged(t *testing.T) {
	const clients, size = 3, 1 << 20
	r, col := startRelay(t, TCPRelayConfig{Target: startTarget(t, echoTarget)})

	var wg sync.WaitGroup
	errs := make(chan error, clients)
	sent := make([][32]byte, clients)
	addrs := make([]string, clients)
	for i := range clients {
		c := dialRelay(t, r)
		// Under -race on a busy machine 3 MiB each way takes seconds; the
		// deadline is only there to end a hang.
		c.SetDeadline(time.Now().Add(time.Minute))
		addrs[i] = c.LocalAddr().String()
		data := make([]byte, size)
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		sent[i] = sha256.Sum256(data)
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := c.Write(data); err != nil {
				errs <- err
			}
			c.CloseWrite()
		}()
		go func() {
			defer wg.Done()
			got, err := io.ReadAll(c) // to the target's FIN, passed on
			if err != nil {
				errs <- err
			} else if len(got) != size || sha256.Sum256(got) != sent[i] {
				errs <- fmt.Errorf("client %d: got %d bytes back, checksum differs or short", i, len(got))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	col.WaitFor(t, "closed pairs", func(e Event) bool { return e.Kind == EventClosed && e.Peer != "" }, clients)
	for i, addr := range addrs {
		var toTarget, toClient []byte
		for _, e := range col.Events() {
			if e.Kind != EventReceived || e.Peer != addr {
				continue
			}
			switch e.Dir {
			case DirToTarget:
				toTarget = append(toTarget, e.Data...)
			case DirToClient:
				toClient = append(toClient, e.Data...)
			default:
				t.Fatalf("received event without a direction: %s", show(e))
			}
		}
		if sha256.Sum256(toTarget) != sent[i] || sha256.Sum256(toClient) != sent[i] {
			t.Errorf("client %d: log has %d bytes to target and %d to client, not the data", i, len(toTarget), len(toClient))
		}
	}
	if s := r.Stats(); s.BytesIn != clients*size || s.BytesOut != clients*size {
		t.Errorf("totals %+v, want %d bytes each way", s, clients*size)
	}
	if n := len(r.Pairs()); n != 0 {
		t.Errorf("%d pairs left after every client finished", n)
	}
}

// A client's half-close reaches the target as EOF, and the target can still reply
// before it closes; the closed event says the client closed first.
func TestRelayPassesHalfCloseOn(t *testing.T) {
	target := startTarget(t, func(c *net.TCPConn) {
		got, _ := io.ReadAll(c)
		fmt.Fprintf(c, "got %d bytes: %s", len(got), got)
	})
	r, col := startRelay(t, TCPRelayConfig{Target: target})
	c := dialRelay(t, r)
	col.WaitFor(t, "connected to the target", kind(EventConnected), 1)
	pairs := r.Pairs()
	if len(pairs) != 1 || pairs[0].Client != c.LocalAddr().String() || pairs[0].Target != target {
		t.Fatalf("pairs %+v", pairs)
	}
	c.Write([]byte("hello"))
	c.CloseWrite()
	reply, err := io.ReadAll(c)
	if err != nil || string(reply) != "got 5 bytes: hello" {
		t.Fatalf("reply %q, %v", reply, err)
	}
	closed := col.WaitFor(t, "the pair closed", func(e Event) bool { return e.Kind == EventClosed && e.Peer != "" }, 1)[0]
	if closed.Dir != DirToTarget || closed.Reason != ReasonPeerClosed {
		t.Errorf("closed event: %s", show(closed))
	}
	client := c.LocalAddr().String()
	var toTarget, toClient string
	for _, e := range col.Events() {
		if e.Kind != EventReceived {
			continue
		}
		if e.Peer != client || e.Target != target {
			t.Errorf("received event names %s and %s, want the client %s and the target %s", e.Peer, e.Target, client, target)
		}
		switch e.Dir {
		case DirToTarget:
			toTarget += e.Text
		case DirToClient:
			toClient += e.Text
		}
	}
	if toTarget != "hello" || toClient != "got 5 bytes: hello" {
		t.Errorf("relayed %q to the target and %q to the client", toTarget, toClient)
	}
	if s := r.Stats(); s.BytesIn != 5 || s.BytesOut != 18 || s.MsgsIn != 1 || s.MsgsOut != 1 {
		t.Errorf("stats %+v", s)
	}
}

// A target that refuses: the client is closed, and an error names the target.
func TestRelayTargetRefused(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	target := ln.Addr().String()
	ln.Close()
	r, col := startRelay(t, TCPRelayConfig{Target: target, Timeout: eventtest.WaitTimeout})
	c := dialRelay(t, r)
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("client read %d bytes, %v; want the connection closed", n, err)
	}
	e := col.WaitFor(t, "the connect error", kind(EventError), 1)[0]
	if !errors.Is(e.Err, syscall.ECONNREFUSED) || !strings.Contains(e.Err.Error(), target) || e.Peer != c.LocalAddr().String() {
		t.Errorf("error event: %s", show(e))
	}
	col.WaitFor(t, "the client closed", kindFrom(EventClosed, c.LocalAddr().String()), 1)
	waitUntil(t, "no pairs", func() bool { return len(r.Pairs()) == 0 })
}

// A target's reset ends both directions: the client's connection is closed and
// the closed event blames the target.
func TestRelayTargetReset(t *testing.T) {
	target := startTarget(t, func(c *net.TCPConn) {
		c.Read(make([]byte, 16))
		c.SetLinger(0)
	})
	r, col := startRelay(t, TCPRelayConfig{Target: target})
	c := dialRelay(t, r)
	c.Write([]byte("ping"))
	if _, err := io.ReadAll(c); err != nil && !neterr.IsReset(err) {
		t.Fatalf("client read: %v", err)
	}
	closed := col.WaitFor(t, "the pair closed", kindFrom(EventClosed, c.LocalAddr().String()), 1)[0]
	if closed.Dir != DirToClient || closed.Reason != ReasonReset {
		t.Errorf("closed event: %s", show(closed))
	}
}

// Disconnect closes one pair; Close ends every pair and goroutine, and so does
// cancelling the context. goleak in TestMain checks nothing is left.
func TestRelayDisconnectAndClose(t *testing.T) {
	target := startTarget(t, echoTarget)
	col := &collector{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := NewTCPRelay(TCPRelayConfig{Listen: "127.0.0.1:0", Target: target, Sink: col})
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	a, b := dialRelay(t, r), dialRelay(t, r)
	col.WaitFor(t, "both connected", kind(EventConnected), 2)
	pairs := r.Pairs()
	if len(pairs) != 2 || pairs[0].ID >= pairs[1].ID {
		t.Fatalf("pairs %+v", pairs)
	}
	if err := r.Disconnect(pairs[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := r.Disconnect(pairs[0].ID); !errors.Is(err, ErrNoClient) {
		t.Errorf("second Disconnect: %v", err)
	}
	if _, err := a.Read(make([]byte, 1)); err == nil {
		t.Error("the disconnected client is still open")
	}
	// b still works.
	b.Write([]byte("still here"))
	buf := make([]byte, 10)
	if _, err := io.ReadFull(b, buf); err != nil || string(buf) != "still here" {
		t.Fatalf("b got %q, %v", buf, err)
	}

	cancel()
	waitUntil(t, "the relay closed", func() bool {
		evs := col.Events()
		last := evs[len(evs)-1]
		return last.Kind == EventClosed && last.Peer == ""
	})
	if _, err := b.Read(buf); err == nil {
		t.Error("Close left a client open")
	}
	for _, e := range col.Events() {
		if e.Kind == EventClosed && e.Peer != "" && e.Reason != ReasonLocal {
			t.Errorf("closed event: %s", show(e))
		}
	}
	if _, err := net.Dial("tcp", r.Addr().String()); err == nil {
		t.Error("the relay still accepts")
	}
	r.Close() // again: no effect
}

// Clients over MaxClients are refused and counted; a bad target is refused at Start.
func TestRelayMaxClientsAndBadTarget(t *testing.T) {
	r, col := startRelay(t, TCPRelayConfig{Target: startTarget(t, echoTarget), MaxClients: 1})
	dialRelay(t, r)
	col.WaitFor(t, "the first connected", kind(EventConnected), 1)
	second := dialRelay(t, r)
	if _, err := second.Read(make([]byte, 1)); err == nil {
		t.Error("the client over the limit was not closed")
	}
	col.WaitFor(t, "the refusal", func(e Event) bool { return e.Reason == ReasonMaxClients }, 1)
	if r.Rejected() != 1 {
		t.Errorf("rejected %d", r.Rejected())
	}

	for _, target := range []string{"", "127.0.0.1", ":9000", "127.0.0.1:70000"} {
		bad := NewTCPRelay(TCPRelayConfig{Listen: "127.0.0.1:0", Target: target})
		if err := bad.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "target") {
			t.Errorf("target %q: %v", target, err)
		}
		bad.Close()
	}
}

// Each direction has its own streaming decoder in the session charset: a GBK
// character the target splits across two writes still shows whole in the log.
func TestRelayLogIsDecodedPerDirection(t *testing.T) {
	gbk := charset.MustLookup("gbk")
	target := startTarget(t, func(c *net.TCPConn) {
		reply, _ := gbk.Encode("收到")
		buf := make([]byte, 64)
		n, _ := c.Read(buf)
		// Split a character across two writes: the decoder of that direction
		// keeps the half until the rest comes.
		c.Write(reply[:1])
		time.Sleep(20 * time.Millisecond)
		c.Write(append(reply[1:], buf[:n]...))
	})
	r, col := startRelay(t, TCPRelayConfig{Target: target, Charset: gbk})
	c := dialRelay(t, r)
	msg, _ := gbk.Encode("你好")
	c.Write(msg)
	want := append(append([]byte(nil), "\xca\xd5\xb5\xbd"...), msg...)
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("client got % x, %v", got, err)
	}
	col.WaitFor(t, "the request", func(e Event) bool { return e.Dir == DirToTarget && e.Text == "你好" }, 1)
	waitUntil(t, "the whole reply in the log", func() bool {
		toClient := ""
		for _, e := range col.Events() {
			if e.Dir == DirToClient && e.Kind == EventReceived {
				toClient += e.Text
			}
		}
		return toClient == "收到你好"
	})
}
