package netio

import (
	"bytes"
	"context"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
)

// echoes checks that c still gets an echo of msg within eventtest.WaitTimeout.
func echoes(c net.Conn, msg string) bool {
	c.SetDeadline(time.Now().Add(eventtest.WaitTimeout))
	if _, err := c.Write([]byte(msg)); err != nil {
		return false
	}
	buf := make([]byte, len(msg))
	_, err := io.ReadFull(c, buf)
	return err == nil && string(buf) == msg
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// Clients that connect and never send hold a slot each and cost a fixed, small
// amount (one read buffer, one goroutine); the server keeps serving the others, and
// stopping it ends them all at once.
func TestTCPServerSilentClients(t *testing.T) {
	const n = 200
	got := newTally()
	srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Echo: true, Sink: got})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	before := heapInUse()
	silent := make([]net.Conn, n)
	for i := range silent {
		c, err := net.DialTimeout("tcp", srv.Addr().String(), eventtest.WaitTimeout)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		silent[i] = c
	}
	waitUntil(t, "the silent clients accepted", func() bool { return got.accepted.Load() == n })
	perClient := (int64(heapInUse()) - int64(before)) / n
	t.Logf("%d silent clients: about %d bytes of heap each", n, perClient)
	if perClient > 48<<10 {
		t.Errorf("a silent client costs %d bytes of heap; the read buffer is %d", perClient, serverReadBuffer)
	}

	active, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer active.Close()
	if !echoes(active, "anybody home?") {
		t.Error("the server stopped serving while silent clients wait")
	}
	began := time.Now()
	srv.Close()
	if took := time.Since(began); took > eventtest.WaitTimeout {
		t.Errorf("Close took %v", took)
	}
	for _, c := range silent {
		c.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Fatal("a silent client was not closed")
		}
	}
	if got.closedBy(ReasonLocal) != n+2 {
		t.Errorf("closed: %v", got.closed)
	}
}

// A flood of connections past MaxClients: each is refused and counted, the clients
// inside keep being served while it lasts, and the table stays at the limit.
func TestTCPServerConnectionFlood(t *testing.T) {
	const limit, flood, workers = 5, 400, 40
	got := newTally()
	srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", MaxClients: limit, Echo: true, Sink: got})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	keep := make([]net.Conn, limit)
	for i := range keep {
		c, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		keep[i] = c
	}
	waitUntil(t, "the clients inside", func() bool { return len(srv.Clients()) == limit })

	var connected atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range flood / workers {
				c, err := net.DialTimeout("tcp", srv.Addr().String(), eventtest.WaitTimeout)
				if err != nil {
					continue
				}
				connected.Add(1)
				// Refused means closed at once: read sees the end, not data.
				c.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
				c.Read(make([]byte, 1))
				c.Close()
			}
		}()
	}
	// The clients inside are answered all through the flood.
	flooding := make(chan struct{})
	go func() { wg.Wait(); close(flooding) }()
	for i := 0; ; i++ {
		if !echoes(keep[i%limit], "still served") {
			t.Fatalf("client %d not served during the flood", i%limit)
		}
		select {
		case <-flooding:
		default:
			continue
		}
		break
	}
	n := connected.Load()
	if n < flood*9/10 {
		t.Errorf("only %d of %d flood connections got through the handshake", n, flood)
	}
	// The count goes up before the refusal's event goes out: wait for both.
	waitUntil(t, "every refusal counted and reported", func() bool {
		return srv.Rejected() == uint64(n) && got.closedBy(ReasonMaxClients) == int(n)
	})
	if got.closedBy(ReasonMaxClients) != int(n) || len(srv.Clients()) != limit {
		t.Errorf("refusals reported %d, counted %d of %d; clients %d", got.closedBy(ReasonMaxClients), srv.Rejected(), n, len(srv.Clients()))
	}
	for i, c := range keep {
		if !echoes(c, "after") {
			t.Errorf("client %d not served after the flood", i)
		}
	}
}

// A peer sends a gigabyte without a newline (and with NULs and ANSI escapes in it)
// while the display never keeps up: memory stays bounded, because the engine holds
// no line (each read is one event), per-connection buffers are bounded, and the
// display queue drops by bytes; the counters still count every byte.
func TestTCPServerGigabyteWithoutNewlines(t *testing.T) {
	got := newTally()
	screen := NewQueueBytes(65536, 8<<20) // a display that is never drained
	srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Sink: Tee(got, screen)})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	var peak atomic.Uint64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-stopSampling:
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()

	chunk := bytes.Repeat([]byte("no newline here \x00\x1b[2J\x1b[31m "), 256<<10/32)
	began := time.Now()
	for sent := 0; sent < gigabyte; sent += len(chunk) {
		c.SetWriteDeadline(time.Now().Add(eventtest.WaitTimeout))
		if _, err := c.Write(chunk[:min(len(chunk), gigabyte-sent)]); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, "every byte counted", func() bool { return got.bytesIn.Load() == gigabyte })
	close(stopSampling)
	<-sampled
	t.Logf("%d MiB in %v; peak heap in use %d MiB; display queue dropped %d, holds %d KiB",
		gigabyte>>20, time.Since(began).Round(time.Millisecond), peak.Load()>>20, screen.Dropped(), screen.Bytes()>>10)
	// Bounded means independent of the gigabyte: the display queue's 8 MiB, the
	// events on their way, and the garbage of the reads between two collections.
	// A streaming connection reads 64 KiB at a time, so each read's copy and its
	// decoded text are large objects of their own: 64-66 MiB seen at the peak.
	if peak.Load() > 96<<20 {
		t.Errorf("heap in use reached %d MiB", peak.Load()>>20)
	}
	if st := srv.Stats(); st.BytesIn != gigabyte || srv.Clients()[0].Stats.BytesIn != gigabyte {
		t.Errorf("counters %+v, want %d bytes in", st, gigabyte)
	}
	if screen.Dropped() == 0 || screen.Bytes() > 8<<20 {
		t.Errorf("display queue: dropped %d, holds %d bytes", screen.Dropped(), screen.Bytes())
	}
}
