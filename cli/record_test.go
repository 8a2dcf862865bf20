package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// `tcp connect --json | reader` where the reader starts late: every byte the
// peer sent reaches the pipe, none is skipped, and nothing is said on stderr.
// The program waits for the reader instead, which slows the peer down.
func TestPipeReaderStartingLateGetsEveryLine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	const total = 24 << 20
	peerDone := make(chan time.Time, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		chunk := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\n"), 1024) // 64 KiB
		for sent := 0; sent < total; sent += len(chunk) {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
		peerDone <- time.Now()
	}()

	pr, pw := io.Pipe()
	stderr := newOutBuf()
	code := make(chan int, 1)
	go func() {
		code <- Run(context.Background(), []string{"tcp", "connect", ln.Addr().String(), "--json"}, strings.NewReader(""), pw, stderr)
		pw.Close()
	}()
	time.Sleep(500 * time.Millisecond) // the reader starts late
	readerStart := time.Now()
	var got, lines int
	sc := bufio.NewScanner(pr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines++
		var ev struct {
			Event string
			Bytes int
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		if ev.Event == "received" {
			got += ev.Bytes
		}
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit %d, stderr %q", c, stderr)
		}
	case <-time.After(runLimit):
		t.Fatal("tcp connect did not end")
	}
	if got != total || stderr.String() != "" {
		t.Errorf("the pipe got %d bytes of %d in %d lines; stderr %q", got, total, lines, stderr)
	}
	if done := <-peerDone; !done.After(readerStart) {
		t.Logf("the peer finished writing before the reader started (the system buffered %d bytes)", total)
	}
}

// gatedWriter passes writes through until hold is called, then holds them
// until release: a pipe whose reader pauses.
type gatedWriter struct {
	*outBuf
	mu      sync.Mutex
	gate    chan struct{} // nil: open
	blocked chan struct{} // closed when a write first waits
}

func (g *gatedWriter) hold() {
	g.mu.Lock()
	g.gate, g.blocked = make(chan struct{}), make(chan struct{})
	g.mu.Unlock()
}

func (g *gatedWriter) release() {
	g.mu.Lock()
	close(g.gate)
	g.gate = nil
	g.mu.Unlock()
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	g.mu.Lock()
	gate, blocked := g.gate, g.blocked
	g.mu.Unlock()
	if gate != nil {
		select {
		case <-blocked:
		default:
			close(blocked)
		}
		<-gate
	}
	return g.outBuf.Write(p)
}

// `udp listen --json` into a pipe whose reader pauses: the listener waits for
// the reader, the system drops what its receive buffer cannot hold, and a
// dropped event says how many once a datagram comes after them: received and
// dropped add up to what was sent.
func TestSlowPipeUDPDropsAreReported(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only Linux counts the datagrams it drops")
	}
	defer func(size, chunks, rcvbuf int) { recordChunkSize, recordChunks, udpReadBuffer = size, chunks, rcvbuf }(recordChunkSize, recordChunks, udpReadBuffer)
	recordChunkSize, recordChunks, udpReadBuffer = 1<<10, 2, 1
	out := &gatedWriter{outBuf: newOutBuf()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	code := make(chan int, 1)
	go func() {
		code <- Run(ctx, []string{"udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json"}, nil, out, io.Discard)
	}()
	lines := out.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })
	port := portOf(t, parseEvents(t, lines)[0].Local)
	sender, err := net.Dial("udp", addr("127.0.0.1", port))
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()

	out.hold()
	const burst = 500
	fmt.Fprint(sender, "first")
	<-out.blocked
	for i := range burst {
		fmt.Fprintf(sender, "burst %d", i)
	}
	out.release()
	// Once the listener has read what the system kept, one more datagram tells.
	received := func(ls []string) int { return len(filter(parseEvents(t, ls), is("received"))) }
	for before, n := -1, received(out.lines()); n != before; n = received(out.lines()) {
		before = n
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Fprint(sender, "last")
	out.waitFor(t, "the last datagram", func(ls []string) bool {
		evs := parseEvents(t, ls)
		return len(evs) > 0 && evs[len(evs)-1].Text == "last"
	})
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("exit %d", c)
	}
	var recv, dropped int
	for _, l := range out.lines() {
		var ev struct {
			Event   string
			Dropped int
		}
		json.Unmarshal([]byte(l), &ev)
		switch ev.Event {
		case "received":
			recv++
		case "dropped":
			dropped += ev.Dropped
			if !strings.Contains(l, `"local":"127.0.0.1:`+strconv.Itoa(port)+`"`) {
				t.Errorf("dropped event %s", l)
			}
		}
	}
	if dropped == 0 || recv+dropped != 1+burst+1 {
		t.Errorf("received %d + dropped %d, sent %d", recv, dropped, 1+burst+1)
	}
}

// What standard output is decides what it gets: the null device nothing, a
// file or a pipe every event, only a terminal skips.
func TestScreenOf(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	for _, c := range []struct {
		name   string
		w      io.Writer
		want   screenKind
		isFile bool
	}{
		{"null device", null, screenNone, false},
		{"file", file, screenRecord, true},
		{"pipe", pw, screenRecord, false},
		{"writer", &bytes.Buffer{}, screenRecord, false},
	} {
		if got := screenOf(c.w); got != c.want || isRegularFile(c.w) != c.isFile {
			t.Errorf("%s: screen %d, file %v; want %d, %v", c.name, got, isRegularFile(c.w), c.want, c.isFile)
		}
	}
}
