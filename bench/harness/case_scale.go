package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// dialers is how many clients connect at once: enough to keep the server's
// accept loop busy, few enough to stay inside the listen backlog (somaxconn).
const dialers = 64

// scaleResult is one server's side of case 4.
type scaleResult struct {
	rate      float64 // clients connected and answered per second
	perClient float64 // VmRSS growth per idle client, bytes
	rss0      int64   // KiB before any client
	rss1      int64   // KiB with every client connected, idle
}

// serverScale is case 4: cfg.clients clients connect to `sockdesk tcp serve
// --echo`, each sends one message and reads it back, then all stay connected and
// idle while the server's memory is read. The baseline is a bare Go echo server
// (a goroutine and a 16 KiB buffer per client).
func (b *bench) serverScale(ctx context.Context) error {
	base, err := b.scaleOne(ctx, false)
	if err != nil {
		return err
	}
	sd, err := b.scaleOne(ctx, true)
	if err != nil {
		return err
	}
	n := b.cfg.clients
	b.add(row{id: "4", what: fmt.Sprintf("tcp serve --echo, %d clients: connect + echo rate", n), sockdesk: fmt.Sprintf("%.0f clients/s", sd.rate),
		baseline: fmt.Sprintf("%.0f clients/s", base.rate), ratio: fmt.Sprintf("%.2f", sd.rate/base.rate)})
	b.add(row{id: "4", what: "  memory per idle client (VmRSS growth)", sockdesk: fmt.Sprintf("%.1f KiB", sd.perClient/1024),
		baseline: fmt.Sprintf("%.1f KiB", base.perClient/1024), ratio: fmt.Sprintf("%.2f", sd.perClient/base.perClient),
		target: "<= 1.30", pass: passMiss(sd.perClient <= 1.3*base.perClient)})
	return nil
}

func (b *bench) scaleOne(ctx context.Context, sockdesk bool) (scaleResult, error) {
	var r scaleResult
	var srv *child
	var port int
	var err error
	name := "baseline echo server"
	if sockdesk {
		name = "sockdesk tcp serve --echo"
		if srv, err = start(ctx, nil, b.bins.sockdesk, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--echo"); err != nil {
			return r, err
		}
		line, err := srv.readLine()
		if err != nil {
			return r, err
		}
		if port, err = portAtEnd(line); err != nil {
			return r, err
		}
	} else {
		if srv, err = start(ctx, nil, b.bins.tcpecho); err != nil {
			return r, err
		}
		var p struct{ Port int }
		if err := srv.readJSON(&p); err != nil {
			return r, err
		}
		port = p.Port
	}
	// The screen output (three lines per client) is read as it comes.
	var lines atomic.Int64
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := srv.out.Read(buf)
			lines.Add(int64(n))
			if err != nil {
				return
			}
		}
	}()
	defer srv.stop(time.Minute)

	time.Sleep(300 * time.Millisecond)
	pid := srv.cmd.Process.Pid
	if r.rss0, err = rssKiB(pid); err != nil {
		return r, err
	}
	t0 := time.Now()
	conns, err := connectAll(ctx, hostPort(port), b.cfg.clients)
	elapsed := time.Since(t0)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	if err != nil {
		return r, fmt.Errorf("%s: %w", name, err)
	}
	r.rate = float64(b.cfg.clients) / elapsed.Seconds()
	// Idle for a moment: what is measured is what the clients cost while connected,
	// not the garbage of serving them.
	time.Sleep(2 * time.Second)
	if r.rss1, err = rssKiB(pid); err != nil {
		return r, err
	}
	r.perClient = float64(r.rss1-r.rss0) * 1024 / float64(b.cfg.clients)
	b.notef("4", "%s: %d clients connected and echoed in %.2fs (%.0f/s); VmRSS %d KiB before, %d KiB with them idle: %.1f KiB each",
		name, b.cfg.clients, elapsed.Seconds(), r.rate, r.rss0, r.rss1, r.perClient/1024)
	return r, nil
}

// connectAll connects n clients, each sending one line and reading it back, and
// returns the connections, still open.
func connectAll(ctx context.Context, addr string, n int) ([]net.Conn, error) {
	conns := make([]net.Conn, n)
	next := atomic.Int64{}
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range dialers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := net.Dialer{Timeout: 10 * time.Second}
			buf := make([]byte, 64)
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				c, err := d.DialContext(ctx, "tcp", addr)
				if err == nil {
					conns[i] = c
					err = echoOnce(c, i, buf)
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("client %d: %w", i, err)
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return conns, firstErr
}

func echoOnce(c net.Conn, i int, buf []byte) error {
	msg := fmt.Appendf(buf[:0:32], "hello %d\n", i)
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(msg); err != nil {
		return err
	}
	got := buf[32 : 32+len(msg)]
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	if string(got) != string(msg) {
		return fmt.Errorf("echo %q, want %q", got, msg)
	}
	c.SetDeadline(time.Time{})
	return nil
}
