package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Every wait in these tests is bounded; a command that hangs fails its test instead
// of the whole run.
const (
	runLimit  = 20 * time.Second // for a command to finish
	waitLimit = 10 * time.Second // for an expected line to appear
)

// outBuf is an io.Writer that tests can read while Run writes to it.
type outBuf struct {
	mu     sync.Mutex
	b      bytes.Buffer
	notify chan struct{} // closed and replaced on every write
}

func newOutBuf() *outBuf { return &outBuf{notify: make(chan struct{})} }

func (o *outBuf) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.b.Write(p)
	close(o.notify)
	o.notify = make(chan struct{})
	return len(p), nil
}

func (o *outBuf) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// lines returns the complete lines written so far.
func (o *outBuf) lines() []string {
	s := o.String()
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return strings.Split(s[:i], "\n")
	}
	return nil
}

// waitFor waits until ok(lines) holds and returns the lines.
func (o *outBuf) waitFor(t *testing.T, what string, ok func([]string) bool) []string {
	t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		ch := o.notify
		o.mu.Unlock()
		if ls := o.lines(); ok(ls) {
			return ls
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; output so far:\n%s", what, o.String())
			return nil
		}
	}
}

// cliRun is one Run on its own goroutine, as a subprocess would be.
type cliRun struct {
	t              *testing.T
	args           []string
	stdout, stderr *outBuf
	cancel         context.CancelFunc
	done           chan struct{}
	code           int
}

// start runs the command line args in the background. The test's cleanup cancels it
// (Ctrl-C) and waits for it, so nothing outlives the test.
func start(t *testing.T, stdin io.Reader, args ...string) *cliRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &cliRun{t: t, args: args, stdout: newOutBuf(), stderr: newOutBuf(), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.code = Run(ctx, args, stdin, r.stdout, r.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(runLimit):
			t.Errorf("%q did not end after cancel", args)
		}
	})
	return r
}

// wait waits for the command to end and returns its exit status.
func (r *cliRun) wait() int {
	r.t.Helper()
	select {
	case <-r.done:
		return r.code
	case <-time.After(runLimit):
		r.t.Fatalf("%q did not end; stdout:\n%s\nstderr:\n%s", r.args, r.stdout, r.stderr)
		return -1
	}
}

// stop is Ctrl-C: cancel, then wait.
func (r *cliRun) stop() int {
	r.t.Helper()
	r.cancel()
	return r.wait()
}

// run runs a command line to the end.
func run(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := start(t, stdin, args...)
	code = r.wait()
	return code, r.stdout.String(), r.stderr.String()
}

// jev is the JSON form of an event, as a script reads it.
type jev struct {
	Time   string `json:"time"`
	TS     int64  `json:"ts_ms"`
	Event  string `json:"event"`
	Proto  string `json:"proto"`
	Local  string `json:"local"`
	Peer   string `json:"peer"`
	Client uint64 `json:"client"`
	Family string `json:"family"`
	Target string `json:"target"`
	Dir    string `json:"dir"`
	Bytes  int    `json:"bytes"`
	Text   string `json:"text"`
	Hex    string `json:"hex"`
	Reason string `json:"reason"`
	Error  string `json:"error"`
	Rule   int    `json:"rule"`
}

func parseEvents(t *testing.T, lines []string) []jev {
	t.Helper()
	evs := make([]jev, 0, len(lines))
	for _, l := range lines {
		var e jev
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("not a JSON event line: %q: %v", l, err)
		}
		evs = append(evs, e)
	}
	return evs
}

// events parses the JSON lines printed so far.
func (r *cliRun) events() []jev {
	r.t.Helper()
	return parseEvents(r.t, r.stdout.lines())
}

// waitEvents waits until n events satisfy ok, and returns those.
func (r *cliRun) waitEvents(what string, n int, ok func(jev) bool) []jev {
	r.t.Helper()
	var got []jev
	r.stdout.waitFor(r.t, what, func(lines []string) bool {
		got = filter(parseEvents(r.t, lines), ok)
		return len(got) >= n
	})
	return got
}

// waitPort waits for the listening event and returns its port.
func (r *cliRun) waitPort() int {
	r.t.Helper()
	ev := r.waitEvents("the listening event", 1, is("listening"))[0]
	return portOf(r.t, ev.Local)
}

func portOf(t *testing.T, hostport string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(hostport)
	if err != nil {
		t.Fatalf("bad address %q: %v", hostport, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func is(kind string) func(jev) bool { return func(e jev) bool { return e.Event == kind } }

func filter(evs []jev, ok func(jev) bool) []jev {
	var out []jev
	for _, e := range evs {
		if ok(e) {
			out = append(out, e)
		}
	}
	return out
}

func addr(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }

// oneLine checks that stderr is exactly one "sockdesk: " line and returns it.
func oneLine(t *testing.T, stderr string) string {
	t.Helper()
	if !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "sockdesk: ") {
		t.Fatalf("stderr should be one \"sockdesk: \" line, got %q", stderr)
	}
	return strings.TrimSuffix(stderr, "\n")
}

// freePort returns a loopback TCP port that nothing listens on (just closed).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return p
}

// freeUDPPort returns a loopback UDP port that nothing is bound to (just closed).
func freeUDPPort(t *testing.T) int {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := pc.LocalAddr().(*net.UDPAddr).Port
	pc.Close()
	return p
}

// readLines reads a file's lines.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// expectUsageError runs the command line with args and checks it exits 2 with one
// stderr line equal to want (or starting with it, when want ends in "...") and prints
// nothing on stdout.
func expectUsageError(t *testing.T, args []string, want string) {
	t.Helper()
	code, out, errOut := run(t, nil, args...)
	if code != 2 {
		t.Fatalf("want exit 2, got %d (stderr %q)", code, errOut)
	}
	line := strings.TrimPrefix(oneLine(t, errOut), "sockdesk: ")
	if prefix, ok := strings.CutSuffix(want, "..."); ok {
		if !strings.HasPrefix(line, prefix) {
			t.Errorf("got  %q\nwant %q", line, want)
		}
	} else if line != want {
		t.Errorf("got  %q\nwant %q", line, want)
	}
	if out != "" {
		t.Errorf("stdout should be empty, got %q", out)
	}
}
