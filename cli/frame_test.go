package cli

import (
	"encoding/json"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fev is a JSON event with the framing fields.
type fev struct {
	jev
	Frame   string `json:"frame"`
	Framing string `json:"framing"`
}

func framedEvents(t *testing.T, r *cliRun, what string, n int, ok func(fev) bool) []fev {
	t.Helper()
	var got []fev
	r.stdout.waitFor(t, what, func(lines []string) bool {
		got = got[:0]
		for _, l := range lines {
			var e fev
			if err := json.Unmarshal([]byte(l), &e); err != nil {
				t.Fatalf("not a JSON event line: %q: %v", l, err)
			}
			if ok(e) {
				got = append(got, e)
			}
		}
		return len(got) >= n
	})
	return got
}

func isF(kind string) func(fev) bool { return func(e fev) bool { return e.Event == kind } }

func dialCLI(t *testing.T, port int) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr("127.0.0.1", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

func send(t *testing.T, c net.Conn, s string) {
	t.Helper()
	if _, err := c.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

func TestFrameUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"tcp", "serve", "--port", "0", "--frame", "length:4:3"}, "--frame length:4:3: SIZE must be 1, 2 or 4"},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--frame", "delim:0g"}, `--frame delim:0g: HEX: invalid character "g" at position 8`},
		{[]string{"tcp", "relay", "--listen", "0", "--to", "127.0.0.1:9", "--frame", "lines"}, `--frame lines: unknown framing "lines" (want none, line, ...`},
		{[]string{"tcp", "serve", "--port", "0", "--frame", " "}, "--frame: empty framing spec (want ..."},
		{[]string{"tcp", "serve", "--port", "0", "--max-frame", "100"}, "--max-frame: needs --frame SPEC (without framing a message is a read)"},
		{[]string{"tcp", "serve", "--port", "0", "--frame", "line", "--max-frame", "lots"}, `--max-frame: "lots" is not a size in bytes (e.g. 65536, 64KiB, 1MiB)`},
		{[]string{"tcp", "serve", "--port", "0", "--frame", "line", "--max-frame", "2048MiB"}, "--max-frame: 2048MiB is out of range (1 byte to 1 GiB)"},
		{[]string{"udp", "listen", "--port", "0", "--frame", "line"}, "--frame: UDP needs no framing: a datagram is already one message (framing is for tcp connect, tcp serve and tcp relay)"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--max-frame", "10", "x"}, "--max-frame: UDP needs no framing: ..."},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) { expectUsageError(t, c.args, c.want) })
	}
}

// tcp serve --frame line: frames coalesced in one write and one split over many
// writes are one event each with "frame" in JSON, exact:PING answers PING\r\n,
// the bytes left at the end are an incomplete frame, and --count counts frames.
func TestServeFrameLineJSON(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json", "--frame", "line",
		"--respond", `exact:PING=>PONG\n`, "--count", "5")
	l := framedEvents(t, srv, "listening", 1, isF("listening"))[0]
	if l.Framing != "line" {
		t.Errorf("listening event: framing %q", l.Framing)
	}
	c := dialCLI(t, portOf(t, l.Local))
	send(t, c, "PING\r\nhello\nPING\r\n")
	for _, piece := range []string{"wor", "ld", "\r", "\n", "tail"} {
		send(t, c, piece)
		time.Sleep(5 * time.Millisecond)
	}
	buf := make([]byte, 10)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "PONG\nPONG\n" {
		t.Fatalf("replies %q, %v", buf, err)
	}
	c.(*net.TCPConn).CloseWrite()
	if code := srv.wait(); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, srv.stderr)
	}
	got := framedEvents(t, srv, "frames", 5, isF("received"))
	want := []struct{ text, frame string }{{"PING\r\n", "complete"}, {"hello\n", "complete"}, {"PING\r\n", "complete"}, {"world\r\n", "complete"}, {"tail", "incomplete"}}
	for i, w := range want {
		if got[i].Text != w.text || got[i].Frame != w.frame || got[i].Bytes != len(w.text) {
			t.Errorf("frame %d: %q %s (%d B), want %q %s", i+1, got[i].Text, got[i].Frame, got[i].Bytes, w.text, w.frame)
		}
	}
	if sent := framedEvents(t, srv, "replies", 2, isF("sent")); sent[0].Rule != 1 || sent[1].Rule != 1 {
		t.Errorf("replies: %+v", sent)
	}
}

// The readable lines mark overflow frames and name the framing; --max-frame bounds them.
func TestServeFrameReadableLines(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--frame", "delim:03", "--max-frame", "8", "--count", "3")
	lines := srv.stdout.waitFor(t, "listening line", func(ls []string) bool { return len(ls) > 0 })
	if !strings.Contains(lines[0], ", framing delim:03 (frames end at 03)") {
		t.Errorf("listening line %q does not name the framing", lines[0])
	}
	port, err := portAtLineEnd(lines[0])
	if err != nil {
		t.Fatal(err)
	}
	c := dialCLI(t, port)
	send(t, c, "0123456789AB\x03ok\x03")
	if code := srv.wait(); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, srv.stderr)
	}
	var recv []string
	for _, l := range srv.stdout.lines() {
		if strings.Contains(l, " RECV ") {
			recv = append(recv, l)
		}
	}
	if len(recv) != 3 || !strings.Contains(recv[0], "8 B, overflow frame: 01234567") ||
		!strings.Contains(recv[1], `5 B, overflow frame: 89AB\x03`) || !strings.HasSuffix(recv[2], `3 B: ok\x03`) {
		t.Errorf("received lines:\n%s", strings.Join(recv, "\n"))
	}
}

// portAtLineEnd reads PORT from "... on HOST:PORT, framing ...".
func portAtLineEnd(line string) (int, error) {
	_, rest, _ := strings.Cut(line, " on ")
	hp, _, _ := strings.Cut(rest, ",")
	_, p, err := net.SplitHostPort(strings.TrimSpace(hp))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(p)
}

// tcp connect --frame modbus-tcp with a checksum-less binary protocol: two
// replies in one write are two frames; the connected event names the framing.
func TestConnectFrameModbus(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	served := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		defer c.Close()
		req := make([]byte, 12)
		if _, err := io.ReadFull(c, req); err != nil {
			served <- err
			return
		}
		// Two responses (transaction 1 and 2) in one write.
		_, err = c.Write([]byte("\x00\x01\x00\x00\x00\x07\x01\x03\x04\x00\x0a\x00\x0b" + "\x00\x02\x00\x00\x00\x05\x01\x03\x02\x00\x2a"))
		io.Copy(io.Discard, c)
		served <- err
	}()
	cl := start(t, nil, "tcp", "connect", ln.Addr().String(), "--json", "--frame", "modbus-tcp", "--hex",
		"--send", "00 01 00 00 00 06 01 03 00 00 00 02", "--count", "2")
	if code := cl.wait(); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, cl.stderr)
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if c := framedEvents(t, cl, "connected", 1, isF("connected"))[0]; c.Framing != "modbus-tcp" {
		t.Errorf("connected event: framing %q", c.Framing)
	}
	got := framedEvents(t, cl, "frames", 2, isF("received"))
	if got[0].Hex != "000100000007010304000a000b" || got[1].Hex != "000200000005010302002a" || got[0].Frame != "complete" {
		t.Errorf("frames %+v", got)
	}
}

// tcp relay --frame line frames each direction; the bytes pass unchanged.
func TestRelayFrameLine(t *testing.T) {
	target, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	go func() {
		c, err := target.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()
	r := start(t, nil, "tcp", "relay", "--listen", "127.0.0.1:0", "--to", target.Addr().String(), "--json", "--frame", "line")
	l := framedEvents(t, r, "listening", 1, isF("listening"))[0]
	c := dialCLI(t, portOf(t, l.Local))
	send(t, c, "a\nb\nc")
	buf := make([]byte, 5)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "a\nb\nc" {
		t.Fatalf("echo through the relay %q, %v", buf, err)
	}
	for _, dir := range []string{"to-target", "to-client"} {
		got := framedEvents(t, r, dir, 2, func(e fev) bool { return e.Event == "received" && e.Dir == dir })
		if len(got) != 2 || got[0].Text != "a\n" || got[1].Text != "b\n" || got[1].Frame != "complete" {
			t.Errorf("%s frames %+v", dir, got)
		}
	}
	c.Close()
	for _, dir := range []string{"to-target", "to-client"} {
		got := framedEvents(t, r, dir+" rest", 3, func(e fev) bool { return e.Event == "received" && e.Dir == dir })
		if got[2].Text != "c" || got[2].Frame != "incomplete" {
			t.Errorf("%s last frame %+v", dir, got[2])
		}
	}
}
