package netio

import (
	"bytes"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
)

// receivedBytes adds up what the received events of col hold.
func receivedBytes(col *collector) []byte {
	var all []byte
	for _, e := range col.Events() {
		if e.Kind == EventReceived {
			all = append(all, e.Data...)
		}
	}
	return all
}

// An idle connection's reads stop after idleAfter: the goroutine that handled
// them ends (and gives its buffer back), and the connection waits on the one
// that serves it. Data after each idle spell arrives whole and in order,
// a bulk stream too, and the connection still echoes.
func TestTCPIdleConnectionParksAndWakes(t *testing.T) {
	if !canWaitReadable {
		t.Skip("connections do not park on this system")
	}
	srv, got := startServer(t, TCPServerConfig{Echo: true})
	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got.WaitFor(t, "accepted", kind(EventAccepted), 1)
	idle := runtime.NumGoroutine()

	var sent bytes.Buffer
	bulk := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB: the buffer grows
	for round, msg := range [][]byte{[]byte("one"), []byte("two"), bulk, []byte("three")} {
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		sent.Write(msg)
		echo := make([]byte, len(msg))
		c.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
		if _, err := io.ReadFull(c, echo); err != nil || !bytes.Equal(echo, msg) {
			t.Fatalf("round %d: echo %v", round, err)
		}
		// Reading goes on on a goroutine of its own, which ends once idle.
		deadline := time.Now().Add(eventtest.WaitTimeout)
		for runtime.NumGoroutine() > idle {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: %d goroutines %v after the data, %d before it", round, runtime.NumGoroutine(), idleAfter, idle)
			}
			time.Sleep(idleAfter)
		}
	}
	if all := receivedBytes(got); !bytes.Equal(all, sent.Bytes()) {
		t.Errorf("received %d bytes, sent %d", len(all), sent.Len())
	}
	if st := srv.Stats(); st.BytesIn != uint64(sent.Len()) || st.BytesOut != uint64(sent.Len()) {
		t.Errorf("stats %+v, want %d bytes each way", st, sent.Len())
	}
}

// A parked connection that is disconnected, or whose server stops, ends with
// reason local at once.
func TestTCPParkedConnectionClosesLocally(t *testing.T) {
	srv, got := startServer(t, TCPServerConfig{})
	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("hi"))
	got.WaitFor(t, "received", kind(EventReceived), 1)
	time.Sleep(3 * idleAfter)
	id := srv.Clients()[0].ID
	done := make(chan error, 1)
	go func() { done <- srv.Disconnect(id) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(eventtest.WaitTimeout):
		t.Fatal("Disconnect of a parked connection did not return")
	}
	if e := got.WaitFor(t, "closed", kindFrom(EventClosed, c.LocalAddr().String()), 1)[0]; e.Reason != ReasonLocal {
		t.Errorf("reason %q", e.Reason)
	}
}
