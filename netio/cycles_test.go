package netio

import (
	"context"
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
)

// openFiles counts this process's open file descriptors, or -1 where /proc is not.
func openFiles() int {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(fds)
}

// settled waits until the goroutine count is at most want (goroutines of closed
// connections may take a moment to be scheduled out) and returns it.
func settled(want int) int {
	deadline := time.Now().Add(eventtest.WaitTimeout)
	for {
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// signal is a Sink that passes on one kind of event without blocking.
func signal(k EventKind) (Sink, <-chan struct{}) {
	ch := make(chan struct{}, 1)
	return SinkFunc(func(e Event) {
		if e.Kind == k {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}), ch
}

// Each endpoint started and stopped a thousand times, each time with real traffic,
// leaves no goroutine and no open file behind.
func TestStartStopCyclesLeakNothing(t *testing.T) {
	const cycles, slack = 1000, 2
	// The far end for the TCP client: accepts, drains, closes.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	acceptDone := make(chan struct{})
	go func() {
		defer close(acceptDone)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	defer func() { ln.Close(); <-acceptDone }()

	for _, tc := range []struct {
		name  string
		cycle func(t *testing.T)
	}{
		{"udp", func(t *testing.T) {
			sink, received := signal(EventReceived)
			u := NewUDP(UDPConfig{Bind: "127.0.0.1:0", Sink: sink})
			if err := u.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := u.SendTo(u.LocalAddr().String(), []byte("self")); err != nil {
				t.Fatal(err)
			}
			<-received
			u.Close()
		}},
		{"tcp server", func(t *testing.T) {
			sink, accepted := signal(EventAccepted)
			s := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Sink: sink})
			if err := s.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			c, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			<-accepted
			s.Close()
			c.Close()
		}},
		{"tcp client", func(t *testing.T) {
			c := NewTCPClient(TCPClientConfig{Addr: ln.Addr().String(), Timeout: eventtest.WaitTimeout})
			if err := c.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := c.Send([]byte("hello")); err != nil {
				t.Fatal(err)
			}
			c.Close()
		}},
		{"tcp relay", func(t *testing.T) {
			sink, connected := signal(EventConnected)
			r := NewTCPRelay(TCPRelayConfig{Listen: "127.0.0.1:0", Target: ln.Addr().String(), Sink: sink})
			if err := r.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			c, err := net.Dial("tcp", r.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			c.Write([]byte("hello"))
			<-connected
			r.Close()
			c.Close()
		}},
		{"failed starts", func(t *testing.T) {
			u := NewUDP(UDPConfig{Bind: "127.0.0.1:70000"})
			if u.Start(context.Background()) == nil {
				t.Fatal("bound port 70000")
			}
			u.Close()
			s := NewTCPServer(TCPServerConfig{Bind: ln.Addr().String()})
			if s.Start(context.Background()) == nil {
				t.Fatal("listened on a port in use")
			}
			s.Close()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 10 { // warm up what the runtime keeps (timers, poller)
				tc.cycle(t)
			}
			g0 := runtime.NumGoroutine()
			f0 := openFiles()
			began := time.Now()
			for range cycles {
				tc.cycle(t)
			}
			took := time.Since(began)
			g1 := settled(g0 + slack)
			f1 := openFiles()
			t.Logf("%d cycles in %v: goroutines %d -> %d, open files %d -> %d", cycles, took.Round(time.Millisecond), g0, g1, f0, f1)
			if g1 > g0+slack {
				t.Errorf("goroutines grew from %d to %d", g0, g1)
			}
			if f1 > f0+slack {
				t.Errorf("open files grew from %d to %d", f0, f1)
			}
		})
	}
}
