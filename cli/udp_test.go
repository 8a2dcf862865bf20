package cli

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestUDPListenDecodesEachSendersCharset(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "2", "--charset", "gbk")
	port := l.waitPort()
	to := addr("127.0.0.1", port)

	// GBK text to a GBK listener decodes right; UTF-8 bytes arrive unchanged (and
	// decode as whatever GBK makes of them).
	if code, out, errOut := run(t, nil, "udp", "send", "--to", to, "--charset", "gbk", "你好"); code != 0 {
		t.Fatalf("gbk send: exit %d, stderr %q, stdout %q", code, errOut, out)
	}
	if code, _, errOut := run(t, nil, "udp", "send", "你好", "--to", to); code != 0 {
		t.Fatalf("utf-8 send: exit %d, stderr %q", code, errOut)
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d, stderr %q", code, l.stderr)
	}
	evs := l.events()
	if evs[0].Event != "listening" || evs[len(evs)-1].Event != "closed" {
		t.Errorf("want listening first and closed last, got %+v", evs)
	}
	recv := filter(evs, is("received"))
	if len(recv) != 2 {
		t.Fatalf("want 2 received events, got %d:\n%s", len(recv), l.stdout)
	}
	if r := recv[0]; r.Text != "你好" || r.Hex != "c4e3bac3" || r.Bytes != 4 || r.Proto != "udp" {
		t.Errorf("GBK datagram: got %+v", r)
	}
	if r := recv[1]; r.Hex != "e4bda0e5a5bd" || r.Bytes != 6 || r.Text == "你好" {
		t.Errorf("UTF-8 datagram to a GBK listener: got %+v", r)
	}
	for _, r := range recv {
		if !strings.HasPrefix(r.Peer, "127.0.0.1:") {
			t.Errorf("peer should be the IPv4 sender, got %q", r.Peer)
		}
	}
}

func TestUDPSendModes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		hex  string
		text string
	}{
		{"hex", []string{"--hex", "0x48, 0x49"}, "4849", "HI"},
		// ff and fe are never UTF-8, so the listener's decoder shows both at once
		// (a lead byte like c4 would be held back for the next datagram).
		{"hex interspersed", []string{"ff fe", "--hex"}, "fffe", `\xFF\xFE`},
		{"escapes", []string{"--escapes", `a\tb\x00\r\n`}, "610962000d0a", "a\tb\x00\r\n"},
		{"text keeps backslashes", []string{`a\tb`}, "615c7462", `a\tb`},
		{"empty datagram", []string{""}, "", ""},
		{"dash after --", []string{"--", "-v"}, "2d76", "-v"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "1")
			to := addr("127.0.0.1", l.waitPort())
			args := append([]string{"udp", "send", "--to", to, "--json"}, tc.args...)
			code, out, errOut := run(t, nil, args...)
			if code != 0 {
				t.Fatalf("send: exit %d, stderr %q", code, errOut)
			}
			sent := filter(parseEvents(t, strings.Split(strings.TrimSpace(out), "\n")), is("sent"))
			if len(sent) != 1 || sent[0].Hex != tc.hex || sent[0].Peer != to {
				t.Errorf("sender's sent event: %+v", sent)
			}
			if code := l.wait(); code != 0 {
				t.Fatalf("listener: exit %d", code)
			}
			recv := filter(l.events(), is("received"))
			if len(recv) != 1 || recv[0].Hex != tc.hex || recv[0].Text != tc.text {
				t.Errorf("received %+v, want hex %q text %q", recv, tc.hex, tc.text)
			}
		})
	}
}

func TestUDPSendRepeat(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "3")
	to := addr("127.0.0.1", l.waitPort())
	code, _, errOut := run(t, nil, "udp", "send", "--to", to, "--repeat", "3", "--interval", "10ms", "tick")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d", code)
	}
	if recv := filter(l.events(), is("received")); len(recv) != 3 {
		t.Errorf("want 3 datagrams, got %d", len(recv))
	}
}

// --wait keeps the socket open for the echo; --count ends the wait at the first reply.
func TestUDPSendWaitShowsReply(t *testing.T) {
	echo := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--echo")
	to := addr("127.0.0.1", echo.waitPort())

	code, out, errOut := run(t, nil, "udp", "send", "--to", to, "--wait", "1s", "ping?")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "RECV udp ["+to+"] 5 B: ping?") {
		t.Errorf("the echo should be printed as a text line, got:\n%s", out)
	}

	r := start(t, nil, "udp", "send", "--to", to, "--wait", "30s", "--count", "1", "--json", "ping!")
	if code := r.wait(); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, r.stderr)
	}
	recv := filter(r.events(), is("received"))
	if len(recv) != 1 || recv[0].Text != "ping!" || recv[0].Peer != to {
		t.Errorf("want the echo of ping! from %s, got %+v", to, recv)
	}
	if code := echo.stop(); code != 0 {
		t.Errorf("echo listener: exit %d", code)
	}
	if n := len(filter(echo.events(), is("sent"))); n != 2 {
		t.Errorf("the listener should have echoed 2 datagrams, sent %d", n)
	}
}

// Broadcast on loopback: 127.255.255.255 is lo's broadcast address (127.0.0.0/8), and
// Linux delivers such a datagram to every socket bound to the port on a wildcard
// address, when the sender has SO_BROADCAST.
func TestUDPBroadcast(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "0.0.0.0", "--json", "--count", "1")
	port := l.waitPort()
	to := addr("127.255.255.255", port)

	code, out, errOut := run(t, nil, "udp", "send", "--to", to, "hello")
	if code != 2 {
		t.Fatalf("without --broadcast: want exit 2, got %d (stdout %q)", code, out)
	}
	if line := oneLine(t, errOut); !strings.Contains(line, "--broadcast") {
		t.Errorf("the message should say to add --broadcast: %q", line)
	}
	if out != "" {
		t.Errorf("nothing should be opened or printed, got %q", out)
	}

	code, _, errOut = run(t, nil, "udp", "send", "--to", to, "--broadcast", "hello")
	if code != 0 {
		t.Fatalf("with --broadcast: exit %d, stderr %q", code, errOut)
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d", code)
	}
	if recv := filter(l.events(), is("received")); len(recv) != 1 || recv[0].Text != "hello" {
		t.Errorf("broadcast not received: %+v", recv)
	}
}

func TestUDPIPv6Loopback(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "::1", "--json", "--count", "1")
	port := l.waitPort()
	to := addr("::1", port)
	if code, _, errOut := run(t, nil, "udp", "send", "--to", to, "--from", "[::1]:0", "v6"); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d", code)
	}
	if recv := filter(l.events(), is("received")); len(recv) != 1 || recv[0].Text != "v6" || !strings.HasPrefix(recv[0].Peer, "[::1]:") {
		t.Errorf("got %+v", recv)
	}
}

// --from binds the given port: the listener sees it as the sender's port.
func TestUDPSendFrom(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "1")
	to := addr("127.0.0.1", l.waitPort())
	// A port that is free now; a race with another process taking it is harmless
	// to loopback tests but would show as a bind failure here.
	from := freeUDPPort(t)
	code, _, errOut := run(t, nil, "udp", "send", "--to", to, "--from", "127.0.0.1:"+strconv.Itoa(from), "x")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	l.wait()
	if recv := filter(l.events(), is("received")); len(recv) != 1 || recv[0].Peer != addr("127.0.0.1", from) {
		t.Errorf("want a datagram from port %d, got %+v", from, recv)
	}
}

func TestUDPListenPortInUse(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json")
	port := l.waitPort()
	code, _, errOut := run(t, nil, "udp", "listen", "--port", strconv.Itoa(port), "--bind", "127.0.0.1")
	if code != 1 {
		t.Fatalf("want exit 1, got %d", code)
	}
	wantHeldBy(t, oneLine(t, errOut), "sockdesk: --port: 127.0.0.1:"+strconv.Itoa(port), os.Getpid())
	l.stop()
}

// Ctrl-C ends a listener cleanly: status 0, the closed event printed, the log
// complete.
func TestUDPListenCancel(t *testing.T) {
	logPath := t.TempDir() + "/udp.log"
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--log", logPath)
	l.stdout.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })
	if code := l.stop(); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, l.stderr)
	}
	lines := l.stdout.lines()
	if len(lines) != 2 || !strings.Contains(lines[0], "LISTEN udp on 127.0.0.1:") || !strings.Contains(lines[1], "CLOSE udp 127.0.0.1:") {
		t.Errorf("want a LISTEN and a CLOSE line, got %q", lines)
	}
	if got := readLines(t, logPath); len(got) != 2 {
		t.Errorf("the log should have both events, got %q", got)
	}
	if l.stderr.String() != "" {
		t.Errorf("stderr: %q", l.stderr)
	}
}
