package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/eventlog"
)

// blockedWriter holds every Write until released, like a terminal nobody scrolls.
type blockedWriter struct {
	release chan struct{}
	mu      sync.Mutex
	buf     strings.Builder
}

func (w *blockedWriter) Write(p []byte) (int, error) {
	<-w.release
	w.mu.Lock()
	w.buf.Write(p)
	w.mu.Unlock()
	return len(p), nil
}

func (w *blockedWriter) lines() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Split(strings.TrimSuffix(w.buf.String(), "\n"), "\n")
}

// When a terminal cannot keep up, the screen skips events but the log and --count
// see every one; the output says how many were skipped as it happens, and the end
// of the run says it again on stderr.
func TestSlowTerminalLosesOnlyTheScreenCopy(t *testing.T) {
	logPath := t.TempDir() + "/all.log"
	stdout := &blockedWriter{release: make(chan struct{})}
	stderr := newOutBuf()
	defer func(n int) { queueSize = n }(queueSize)
	queueSize = 100
	// More than the queue and what the printer buffers (64 KiB) before it blocks.
	const total = 5000
	o := sessionOpts{json: true, logPath: logPath, logFormat: eventlog.FormatJSON, count: total, charset: charset.UTF8}
	s, err := startSession(context.Background(), o, &env{stdout: stdout, stderr: stderr, screen: screenTerminal})
	if err != nil {
		t.Fatal(err)
	}
	for i := range total {
		s.sink.Emit(netio.Event{Time: time.Now(), Kind: netio.EventReceived, Proto: "udp", Peer: "127.0.0.1:9", Data: []byte{byte(i)}})
	}
	if context.Cause(s.ctx) != errCountReached {
		t.Errorf("the counter should have ended the session, cause %v", context.Cause(s.ctx))
	}
	dropped := s.queue.Dropped()
	if dropped == 0 {
		t.Fatal("the queue should have dropped events")
	}
	close(stdout.release)
	if err := s.end(nil); err != nil {
		t.Fatal(err)
	}
	if got := len(readLines(t, logPath)); got != total {
		t.Errorf("log has %d events, want %d", got, total)
	}
	var shown, told uint64
	for _, l := range stdout.lines() {
		var ev struct {
			Event   string
			Skipped uint64
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		switch ev.Event {
		case "received":
			shown++
		case "skipped":
			told += ev.Skipped
		}
	}
	if shown != total-dropped || told != dropped {
		t.Errorf("printed %d events and said %d were skipped; want %d - %d skipped", shown, told, total, dropped)
	}
	want := fmt.Sprintf("sockdesk: %d events not shown (the terminal was too slow); the log file has them\n", dropped)
	if stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}

// A terminal and a pipe both get each event as it comes: a script reading line by
// line sees each event without waiting for more.
func TestOutputFlushesPromptly(t *testing.T) {
	for _, screen := range []screenKind{screenRecord, screenTerminal} {
		t.Run(fmt.Sprint(screen), func(t *testing.T) { testOutputFlushesPromptly(t, screen) })
	}
}

func testOutputFlushesPromptly(t *testing.T, screen screenKind) {
	pr, pw := io.Pipe()
	s, err := startSession(context.Background(), sessionOpts{json: true, charset: charset.UTF8}, &env{stdout: pw, stderr: io.Discard, screen: screen})
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	for i := range 3 {
		s.sink.Emit(netio.Event{Time: time.Now(), Kind: netio.EventReceived, Proto: "tcp", Data: []byte{'a' + byte(i)}, Text: string(rune('a' + i))})
		select {
		case l := <-lines:
			if ev := parseEvents(t, []string{l})[0]; ev.Text != string(rune('a'+i)) {
				t.Errorf("got %+v", ev)
			}
		case <-time.After(waitLimit):
			t.Fatalf("event %d was not flushed", i)
		}
	}
	if err := s.end(nil); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	for range lines {
	}
}

// IPv4 peers of a dual-stack socket are shown as IPv4.

// A log that cannot be written is a run-time failure at the end of the run.
func TestLogWriteError(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	code, _, errOut := run(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--timeout", "50ms", "--log", "/dev/full")
	if code != 1 {
		t.Fatalf("want exit 1, got %d (%q)", code, errOut)
	}
	if line := oneLine(t, errOut); !strings.HasPrefix(line, "sockdesk: --log: write log /dev/full: ") {
		t.Errorf("got %q", line)
	}
}

func TestParseArgsInterspersed(t *testing.T) {
	fs := newFlagSet("test")
	hex := fs.Bool("hex", false, "")
	to := fs.String("to", "", "")
	var sends listFlag
	fs.Var(&sends, "send", "")
	for _, tc := range []struct {
		args []string
		pos  string
	}{
		{[]string{"a", "--to", "x", "b", "--hex"}, "a b"},
		{[]string{"--to=x", "a", "-hex", "--", "--send", "-c"}, "a --send -c"},
		{[]string{"--send", "--", "--to", "x", "a"}, "a"}, // "--" as a flag's value
		{[]string{"-", "--to", "x"}, "-"},
	} {
		*hex, *to, sends = false, "", nil
		pos, err := parseArgs(fs, tc.args, &env{stdout: io.Discard})
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if strings.Join(pos, " ") != tc.pos || *to != "x" {
			t.Errorf("%q: positional %q (want %q), --to %q", tc.args, pos, tc.pos, *to)
		}
	}
	if _, err := parseArgs(fs, []string{"--help"}, &env{stdout: io.Discard}); !errors.Is(err, errHelp) {
		t.Errorf("--help: %v", err)
	}
}
