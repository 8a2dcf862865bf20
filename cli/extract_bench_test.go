package cli

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"
)

// lineCounter is a stdout that counts the lines written to it and lets a
// sender wait until enough have come.
type lineCounter struct {
	mu    sync.Mutex
	cond  *sync.Cond
	lines int
	first []byte // the first line: the listening event
}

func newLineCounter() *lineCounter {
	c := &lineCounter{}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	if c.first == nil {
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			c.first = append([]byte(nil), p[:i]...)
		}
	}
	c.lines += bytes.Count(p, []byte{'\n'})
	c.mu.Unlock()
	c.cond.Broadcast()
	return len(p), nil
}

// waitLines waits until n lines have been written, or the run has ended.
func (c *lineCounter) waitLines(n int, done <-chan struct{}) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.lines < n {
		select {
		case <-done:
			return c.first
		default:
		}
		c.cond.Wait()
	}
	return c.first
}

// listenRun runs `udp listen --json --count n` plus extra flags, sends it n
// datagrams of msg from a socket of the benchmark's own, and returns how long
// the listener took from the first datagram to the last one's line. At most
// window datagrams are in flight (sent, not yet printed), so nothing is lost
// in the socket's buffer and the time is the listener's own: what it costs to
// receive, decode, extract, queue and print each datagram as fast as it can.
func listenRun(b *testing.B, n int, msg []byte, extra ...string) time.Duration {
	const window = 256
	out := newLineCounter()
	args := append([]string{"udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", strconv.Itoa(n)}, extra...)
	done := make(chan struct{})
	var code int
	go func() {
		defer close(done)
		code = Run(context.Background(), args, nil, out, &bytes.Buffer{})
		out.cond.Broadcast()
	}()
	listening := out.waitLines(1, done)
	_, port, err := net.SplitHostPort(listenLocal(listening))
	if err != nil {
		b.Fatalf("no listening line: %q (exit %d)", listening, code)
	}
	conn, err := net.Dial("udp", "127.0.0.1:"+port)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		// Line 1 is the listening event; datagram i prints line i+2.
		out.waitLines(i+2-window, done)
		if _, err := conn.Write(msg); err != nil {
			b.Fatal(err)
		}
	}
	out.waitLines(n+1, done)
	elapsed := time.Since(t0)
	select {
	case <-done:
	case <-time.After(runLimit):
		b.Fatalf("the listener did not end after %d datagrams", n)
	}
	if code != 0 {
		b.Fatalf("listener: exit %d", code)
	}
	return elapsed
}

// listenLocal reads "local" from the listening event's JSON line.
func listenLocal(line []byte) string {
	const key = `"local":"`
	i := bytes.Index(line, []byte(key))
	if i < 0 {
		return ""
	}
	rest := line[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// The cost of --extract kv on a UDP listener receiving as fast as it can: the
// same telemetry datagrams to `udp listen --json` without and with the rule,
// alternating in the same run, the best of five runs of each kept (the
// machine is shared: a slow moment should not count against either side).
// Reported: ns per datagram of each, and kv/plain, the ratio of the times per
// datagram (1.00 = free).
func BenchmarkUDPListenExtractKV(b *testing.B) {
	msg := []byte("温度=23.5℃ 湿度=41% 电压=3.31V seq=12345")
	n := max(b.N, 1000)
	plain, kv := time.Duration(1<<62), time.Duration(1<<62)
	for range 5 {
		plain = min(plain, listenRun(b, n, msg))
		kv = min(kv, listenRun(b, n, msg, "--extract", "kv"))
	}
	perPlain := float64(plain.Nanoseconds()) / float64(n)
	perKV := float64(kv.Nanoseconds()) / float64(n)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(perPlain, "plain-ns/msg")
	b.ReportMetric(perKV, "kv-ns/msg")
	b.ReportMetric(perKV/perPlain, "kv/plain")
}
