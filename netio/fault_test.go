package netio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
)

// tally is a Sink that counts instead of keeping: received bytes, and closed events
// by reason. Tests that move megabytes use it so the test is not what holds memory.
type tally struct {
	bytesIn  atomic.Uint64
	msgsIn   atomic.Uint64
	accepted atomic.Int64
	mu       sync.Mutex
	closed   map[CloseReason]int
	errs     []error
}

func newTally() *tally { return &tally{closed: make(map[CloseReason]int)} }

func (c *tally) Emit(e Event) {
	switch e.Kind {
	case EventReceived:
		c.bytesIn.Add(uint64(len(e.Data)))
		c.msgsIn.Add(1)
	case EventAccepted:
		c.accepted.Add(1)
	case EventClosed:
		c.mu.Lock()
		c.closed[e.Reason]++
		c.mu.Unlock()
	case EventError:
		c.mu.Lock()
		c.errs = append(c.errs, e.Err)
		c.mu.Unlock()
	}
}

func (c *tally) closedBy(r CloseReason) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed[r]
}

// stream writes chunks to c until it fails or stop closes, and returns the error.
func stream(c net.Conn, stop <-chan struct{}) error {
	chunk := bytes.Repeat([]byte("stream-"), 1<<10)
	for {
		select {
		case <-stop:
			return nil
		default:
		}
		c.SetWriteDeadline(time.Now().Add(eventtest.WaitTimeout))
		if _, err := c.Write(chunk); err != nil {
			return err
		}
	}
}

// A client resets its connection in the middle of a stream: the server reports a
// reset for that client only, its counters match what it reported receiving, and it
// goes on serving the others.
func TestTCPServerPeerResetMidStream(t *testing.T) {
	got := newTally()
	srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Echo: true, Sink: got})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	other, _ := startClient(t, srv.Addr().String(), nil)

	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- stream(c, stop) }()
	// Drain the echo so the server never blocks writing it back.
	go io.Copy(io.Discard, c)
	waitUntil(t, "a megabyte received", func() bool { return got.bytesIn.Load() > 1<<20 })
	close(stop)
	<-done
	c.(*net.TCPConn).SetLinger(0)
	c.Close() // RST in the middle of the stream
	waitUntil(t, "the reset reported", func() bool { return got.closedBy(ReasonReset) == 1 })

	if st := srv.Stats(); st.BytesIn != got.bytesIn.Load() || st.MsgsIn != got.msgsIn.Load() {
		t.Errorf("server totals %+v, received events %d B in %d", st, got.bytesIn.Load(), got.msgsIn.Load())
	}
	if err := other.Send([]byte("still there?")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the other client's echo", func() bool { return other.Stats().BytesIn == 12 })
	if n := len(srv.Clients()); n != 1 {
		t.Errorf("%d clients left, want the other one", n)
	}
}

// The server resets in the middle of a stream the client receives, and while the
// client is sending: the client reports a reset (not an error), its counters match
// the events, and a send afterwards fails cleanly.
func TestTCPClientPeerResetMidStream(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := newTally()
	cli := NewTCPClient(TCPClientConfig{Addr: ln.Addr().String(), Sink: got, Timeout: eventtest.WaitTimeout})
	if err := cli.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- stream(peer, stop) }()
	sendErr := make(chan error, 1)
	go func() {
		for {
			if err := cli.Send([]byte("client talking ")); err != nil {
				sendErr <- err
				return
			}
		}
	}()
	waitUntil(t, "a megabyte received", func() bool { return got.bytesIn.Load() > 1<<20 })
	close(stop)
	<-done
	peer.(*net.TCPConn).SetLinger(0)
	peer.Close()
	select {
	case <-cli.Done():
	case <-time.After(eventtest.WaitTimeout):
		t.Fatal("the client did not see the reset")
	}
	waitUntil(t, "the reset reported", func() bool { return got.closedBy(ReasonReset)+got.closedBy(ReasonPeerClosed) == 1 })
	if got.closedBy(ReasonReset) != 1 {
		t.Errorf("closed by %v, want reset", got.closed)
	}
	err = <-sendErr
	if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, syscall.EPIPE) && !errors.Is(err, net.ErrClosed) {
		t.Errorf("send after the reset: %v", err)
	}
	if st := cli.Stats(); st.BytesIn != got.bytesIn.Load() {
		t.Errorf("client counted %d bytes in, events say %d", st.BytesIn, got.bytesIn.Load())
	}
}

// The server half-closes (shutdown write) after its last words: the client shows
// them, reports the peer closing, and closes its side too.
func TestTCPClientPeerHalfClose(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cli, got := startClient(t, ln.Addr().String(), nil)
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	peer.Write([]byte("last words"))
	peer.(*net.TCPConn).CloseWrite()
	<-cli.Done()
	if e := got.WaitFor(t, "closed", kind(EventClosed), 1)[0]; e.Reason != ReasonPeerClosed {
		t.Errorf("reason %q", e.Reason)
	}
	if e := got.WaitFor(t, "received", kind(EventReceived), 1)[0]; e.Text != "last words" {
		t.Errorf("got %q", e.Text)
	}
	peer.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
	if _, err := peer.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("the client should close its side too: read %v", err)
	}
}

// Stopping a server while 100 clients are sending: Close returns promptly, every
// client is closed (reason local), the totals match the events, and another server
// (another session) is untouched.
func TestTCPServerStoppedWhile100ClientsSend(t *testing.T) {
	const n = 100
	other, otherEvents := startServer(t, TCPServerConfig{Echo: true})
	probe, probeEvents := startClient(t, other.Addr().String(), nil)

	got := newTally()
	srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Sink: got})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Connect them all first, then let them go together: dialing while the first
	// ones already stream makes each dial wait for a busy scheduler.
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.DialTimeout("tcp", srv.Addr().String(), eventtest.WaitTimeout)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	stop := make(chan struct{})
	ends := make(chan error, n)
	for _, c := range conns {
		go func() { ends <- stream(c, stop) }()
	}
	waitUntil(t, "100 clients sending", func() bool {
		return got.accepted.Load() == n && got.bytesIn.Load() > n*(1<<16)
	})
	began := time.Now()
	srv.Close()
	// The senders share this process's two cores with the server (and, under the
	// race detector, run ten times slower): Close took up to 3 s so, and only a
	// hang is a failure.
	took := time.Since(began)
	t.Logf("Close took %v with %d clients sending", took, n)
	if took > 3*eventtest.WaitTimeout {
		t.Errorf("Close took %v with 100 busy clients", took)
	}
	// Every sender finds its connection gone.
	for range n {
		select {
		case err := <-ends:
			if err == nil {
				t.Error("a sender was not cut off")
			}
		case <-time.After(eventtest.WaitTimeout):
			close(stop)
			t.Fatal("a sender is still sending to a stopped server")
		}
	}
	if local := got.closedBy(ReasonLocal); local != n+1 { // the clients and the listener
		t.Errorf("closed here: %d, want %d; all: %v", local, n+1, got.closed)
	}
	if st := srv.Stats(); st.BytesIn != got.bytesIn.Load() || st.MsgsIn != got.msgsIn.Load() {
		t.Errorf("totals %+v, events %d B in %d", st, got.bytesIn.Load(), got.msgsIn.Load())
	}
	if len(srv.Clients()) != 0 {
		t.Errorf("clients after Close: %v", srv.Clients())
	}
	// The other session did not notice.
	if err := probe.Send([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if e := probeEvents.WaitFor(t, "echo", kind(EventReceived), 1)[0]; e.Text != "ping" {
		t.Errorf("other server echoed %q", e.Text)
	}
	if len(otherEvents.Events()) == 0 || len(other.Clients()) != 1 {
		t.Error("the other server lost its client")
	}
}

// Sends on an endpoint that never started fail with ErrNotStarted instead of
// crashing the front end that raced a failed Start.
func TestSendBeforeStart(t *testing.T) {
	u := NewUDP(UDPConfig{})
	if err := u.SendTo("127.0.0.1:9", []byte("x")); !errors.Is(err, ErrNotStarted) {
		t.Errorf("UDP: %v", err)
	}
	u.Close()
	c := NewTCPClient(TCPClientConfig{Addr: "127.0.0.1:9"})
	if err := c.Send([]byte("x")); !errors.Is(err, ErrNotStarted) {
		t.Errorf("TCP client: %v", err)
	}
	if c.Stats() != (Stats{}) {
		t.Error("stats of a client that never connected")
	}
	select {
	case <-c.Done():
	default:
		t.Error("Done of a client that never connected should not block")
	}
	c.Close()
	s := NewTCPServer(TCPServerConfig{})
	if _, err := s.SendAll([]byte("x")); err != nil {
		t.Errorf("server SendAll: %v", err)
	}
	if err := s.Send(1, []byte("x")); !errors.Is(err, ErrNoClient) {
		t.Errorf("server Send: %v", err)
	}
	s.Close()
}
