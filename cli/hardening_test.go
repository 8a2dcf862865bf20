package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/eventlog"
)

// More bad input, each caught before a socket opens: status 2, one line naming the
// flag and the problem (and, for text, the position).
func TestBadInputHardening(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"udp", "send", "--to", "127.0.0.1:-1", "x"}, `--to: "127.0.0.1:-1": port -1 is out of range 1-65535`},
		{[]string{"udp", "send", "--to", "127.0.0.1:abc", "x"}, `--to: "127.0.0.1:abc": port "abc" is not a number`},
		{[]string{"udp", "send", "--to", "", "x"}, "--to: missing; give the destination HOST:PORT"},
		{[]string{"udp", "send", "--to", "[::1]", "x"}, `--to: "[::1]": missing port; expected [IPv6]:PORT`},
		{[]string{"udp", "send", "--to", "fe80::1", "x"}, `--to: "fe80::1": put an IPv6 address in brackets, e.g. [::1]:9000`},
		{[]string{"udp", "send", "--to", "a b:9", "x"}, `--to: "a b:9": host "a b" has a space or control character in it`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--escapes", `\x4`}, `MESSAGE: escapes: incomplete \x escape at position 1`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--hex", "c4 e"}, "MESSAGE: hex: odd number of digits (last digit at position 4)"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--hex", "0x"}, "MESSAGE: hex: no digits after prefix at position 1"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--charset", "big5", "ab😀"}, `MESSAGE: character "😀" (U+1F600) at position 3 cannot be encoded in Big5`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--charset", "klingon", "x"}, `--charset: unknown charset "klingon" (known: UTF-8, ...`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--repeat", "-5", "x"}, "--repeat: -5 is negative"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--repeat", "2", "--interval", "2h", "x"}, "--interval: 2h is too long (at most 1h0m0s)"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--repeat", "2", "--interval", "1e400", "x"}, `--interval: "1e400" is not a duration (e.g. 500ms, 10s, 2m)`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--from", "192.0.2.1:0", "x"}, "--from: 192.0.2.1 is not an address of this host"},
		{[]string{"udp", "listen", "--port", "0", "--bind", "192.0.2.1"}, "--bind: 192.0.2.1 is not an address of this host"},
		{[]string{"tcp", "serve", "--port", "0", "--bind", "2001:db8::1"}, "--bind: 2001:db8::1 is not an address of this host"},
		{[]string{"tcp", "serve", "--port", "0", "--bind", "[2001:db8::1]"}, "--bind: 2001:db8::1 is not an address of this host"},
		{[]string{"tcp", "serve", "--port", "abc"}, `--port: port "abc" is not a number`},
		{[]string{"tcp", "connect", "127.0.0.1:0"}, `HOST:PORT: "127.0.0.1:0": port 0 is out of range 1-65535`},
		{[]string{"tcp", "connect", ":9"}, `HOST:PORT: ":9" has no host`},
		{[]string{"tcp", "connect", "::1:9"}, `HOST:PORT: "::1:9": put an IPv6 address in brackets, e.g. [::1]:9000`},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--escapes", "--send", `ok\`}, `--send: escapes: trailing backslash at position 3`},
		{[]string{"udp", "listen", "--port", "0", "--log", filepath.Join(dir, "no", "such", "dir.log")},
			`--log: cannot write "` + filepath.Join(dir, "no", "such", "dir.log") + `": no such file or directory`},
		{[]string{"tcp", "serve", "--port", "0", "--log", dir}, `--log: cannot write "` + dir + `": is a directory`},
	} {
		name := strings.Join(tc.args, " ")
		t.Run(name[:min(len(name), 60)], func(t *testing.T) {
			expectUsageError(t, tc.args, tc.want)
		})
	}
}

// IPv6 with and without brackets, for binding and for destinations.
func TestIPv6Forms(t *testing.T) {
	if c, err := net.ListenPacket("udp6", "[::1]:0"); err != nil {
		t.Skip("no IPv6 loopback")
	} else {
		c.Close()
	}
	for _, bind := range []string{"::1", "[::1]"} {
		l := start(t, nil, "udp", "listen", "--port", "0", "--bind", bind, "--json", "--count", "1")
		to := "[::1]:" + fmt.Sprint(l.waitPort())
		if code, _, errOut := run(t, nil, "udp", "send", "--to", to, "v6 "+bind); code != 0 {
			t.Fatalf("send to %s: exit %d, %q", to, code, errOut)
		}
		if code := l.wait(); code != 0 {
			t.Fatalf("listener on %s: exit %d", bind, code)
		}
	}
}

// The privileged-port message, for the case tests cannot produce as root: the error
// the system gives (EACCES) is worded for the port and is a run-time failure.
func TestPermissionDeniedWording(t *testing.T) {
	err := listenError("127.0.0.1", 80, fmt.Errorf("netio: tcp listen 127.0.0.1:80: %w", syscall.EACCES))
	var xe *exitError
	if !errors.As(err, &xe) || xe.code != exitFailure || xe.msg != "--port: permission denied binding 127.0.0.1:80 (ports below 1024 need privileges)" {
		t.Errorf("got %+v", err)
	}
	err = fromError("", 80, fmt.Errorf("netio: udp bind :80: %w", syscall.EACCES))
	if !errors.As(err, &xe) || xe.msg != "--from: permission denied binding port 80 (ports below 1024 need privileges)" {
		t.Errorf("--from: got %+v", err)
	}
}

// checkTerminalSafe fails if out holds anything but text lines a terminal shows as
// they are: no control character but the newlines, no bidi override, no C1 control.
func checkTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: invalid UTF-8", what)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line != charset.DisplayText(line) {
			t.Errorf("%s: line would steer a terminal: %q", what, line)
		}
	}
}

// A hostile peer's bytes reach the terminal escaped, in text and JSON output, one
// line per event, and the log file the same.
func TestHostileBytesOnTheTerminal(t *testing.T) {
	payloads := [][]byte{
		[]byte("\x1b[2J\x1b[H\x1b]0;pwned\x07"),
		[]byte("NUL\x00 bad\xff\xfe rtl\u202eevil\u202c c1\u009b del\x7f"),
		[]byte("line\nbreak\r\u2028\u2029"),
	}
	for _, asJSON := range []bool{false, true} {
		t.Run(fmt.Sprintf("json=%v", asJSON), func(t *testing.T) {
			logPath := filepath.Join(t.TempDir(), "x.log")
			args := []string{"tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--count", fmt.Sprint(len(payloads)), "--log", logPath}
			if asJSON {
				args = append(args, "--json", "--log-format", "json")
			}
			srv := start(t, nil, args...)
			srv.stdout.waitFor(t, "listening", func(ls []string) bool { return len(ls) > 0 })
			first := srv.stdout.lines()[0]
			var port int
			if asJSON {
				port = portOf(t, parseEvents(t, []string{first})[0].Local)
			} else {
				port = portOf(t, first[strings.LastIndexByte(first, ' ')+1:])
			}
			c, err := net.Dial("tcp", addr("127.0.0.1", port))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for i, p := range payloads {
				c.Write(p)
				srv.stdout.waitFor(t, "each payload", func(ls []string) bool { return len(ls) >= 3+i })
			}
			if code := srv.wait(); code != 0 {
				t.Fatalf("exit %d, %q", code, srv.stderr)
			}
			out := srv.stdout.String()
			// listening, accepted, 3 received, the client closed, the listener closed
			if n := strings.Count(out, "\n"); n != 7 {
				t.Errorf("%d lines for 7 events:\n%s", n, out)
			}
			checkTerminalSafe(t, "stdout", out)
			logged, _ := os.ReadFile(logPath)
			checkTerminalSafe(t, "log", string(logged))
			if asJSON {
				recv := filter(parseEvents(t, srv.stdout.lines()), is("received"))
				for i, e := range recv {
					if e.Hex != fmt.Sprintf("%x", payloads[i]) {
						t.Errorf("raw bytes changed: %s", e.Hex)
					}
				}
			}
		})
	}
}

// The disk under the log fills up while a server runs: one line on stderr when it
// happens, the server keeps receiving and showing, and the run ends with status 1
// without saying it again.
func TestLogDiskFullWhileServing(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json", "--log", "/dev/full")
	to := addr("127.0.0.1", srv.waitPort())
	c, err := net.Dial("tcp", to)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("first"))
	srv.waitEvents("the first message", 1, is("received"))
	want := "sockdesk: --log: write log /dev/full: no space left on device; events are no longer logged"
	srv.stderr.waitFor(t, "the log failure reported while running", func(ls []string) bool { return len(ls) > 0 })
	c.Write([]byte("after the failure"))
	recv := srv.waitEvents("a message after the failure", 2, is("received"))
	if recv[1].Text != "after the failure" {
		t.Errorf("got %+v", recv[1])
	}
	if code := srv.stop(); code != 1 {
		t.Errorf("want exit 1, got %d", code)
	}
	if line := oneLine(t, srv.stderr.String()); line != want {
		t.Errorf("stderr %q\nwant   %q", line, want)
	}
}

// The log file is removed while logging: said once on stderr, and the run goes on
// (the open file keeps taking the events; there is nothing to fail).
func TestLogRemovedWhileListening(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "gone.log")
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--log", logPath)
	to := addr("127.0.0.1", l.waitPort())
	if err := os.Remove(logPath); err != nil {
		t.Fatal(err)
	}
	l.stderr.waitFor(t, "the removal reported", func(ls []string) bool { return len(ls) > 0 })
	if code, _, errOut := run(t, nil, "udp", "send", "--to", to, "still here"); code != 0 {
		t.Fatalf("send: exit %d %q", code, errOut)
	}
	l.waitEvents("the datagram", 1, is("received"))
	if code := l.stop(); code != 0 {
		t.Errorf("want exit 0, got %d", code)
	}
	line := oneLine(t, l.stderr.String())
	if !strings.Contains(line, "gone.log") || !strings.Contains(line, "removed or renamed") {
		t.Errorf("stderr %q", line)
	}
}

// When the terminal fell behind and the log failed too, the end of the run does not
// claim the log has what the screen missed.
func TestSlowOutputAndFailedLog(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	stdout := &blockedWriter{release: make(chan struct{})}
	stderr := newOutBuf()
	defer func(n int) { queueSize = n }(queueSize)
	queueSize = 10
	o := sessionOpts{logPath: "/dev/full", logFormat: eventlog.FormatText, charset: charset.UTF8}
	s, err := startSession(context.Background(), o, &env{stdout: stdout, stderr: stderr, screen: screenTerminal})
	if err != nil {
		t.Fatal(err)
	}
	for range 2000 {
		s.sink.Emit(netio.Event{Kind: netio.EventReceived, Proto: "udp", Data: make([]byte, 200)})
	}
	close(stdout.release)
	err = s.end(nil)
	var xe *exitError
	if !errors.As(err, &xe) || xe.code != exitFailure || xe.msg != "" {
		t.Errorf("end = %#v, want a silent status 1", err)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "sockdesk: --log: write log /dev/full: no space left on device") ||
		!strings.HasSuffix(lines[1], "events not shown (the terminal was too slow)") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// A datagram to a port nobody has bound: the ICMP error comes back as an error event
// naming the destination. The send itself succeeded (UDP promises no delivery), so
// the status is 0.
func TestUDPSendPortUnreachable(t *testing.T) {
	if !loopbacktest.ICMPErrorsReported {
		t.Skip("this system does not report port unreachable for unconnected UDP")
	}
	to := addr("127.0.0.1", freeUDPPort(t))
	r := start(t, nil, "udp", "send", "--to", to, "--wait", "2s", "--json", "anyone?")
	errs := r.waitEvents("the port unreachable error", 1, is("error"))
	if errs[0].Peer != to || !strings.Contains(errs[0].Error, "port unreachable") {
		t.Errorf("error event %+v", errs[0])
	}
	if code := r.stop(); code != 0 {
		t.Errorf("exit %d, %q", code, r.stderr)
	}
}

// Standard input without newlines is not held whole: text goes out in pieces of at
// most a megabyte, cut between characters, and arrives complete; hex, where a cut
// could split a byte, is refused beyond a megabyte per line.
func TestStdinWithoutNewlines(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// 3 MiB of text, with a 3-byte character across each megabyte boundary.
	var in bytes.Buffer
	for in.Len() < 3*maxLine {
		in.WriteString("ab你")
	}
	want := in.Bytes()
	c := start(t, bytes.NewReader(want), "tcp", "connect", ln.Addr().String())
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(want))
	if _, err := io.ReadFull(peer, got); err != nil || !bytes.Equal(got, want) {
		t.Errorf("peer got %d bytes (%v), equal %v", len(got), err, bytes.Equal(got, want))
	}
	peer.Close()
	if code := c.wait(); code != 0 {
		t.Errorf("exit %d, %q", code, c.stderr)
	}

	hex := strings.Repeat("41", maxLine) // 2 MiB of hex, no newline
	c = start(t, strings.NewReader(hex), "tcp", "connect", ln.Addr().String(), "--hex")
	peer, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if code := c.wait(); code != 2 {
		t.Errorf("want exit 2, got %d", code)
	}
	if line := oneLine(t, c.stderr.String()); line != "sockdesk: standard input line 1: longer than 1048576 bytes without a newline (in hex mode lines must end sooner)" {
		t.Errorf("got %q", line)
	}
}
