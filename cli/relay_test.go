package cli

import (
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// relayClient connects to a relay run and returns the connection; the test's
// cleanup closes it.
func relayClient(t *testing.T, to string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", to)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(waitLimit))
	return c
}

// listenPort reads the port of a listening line: "15:04:05.000 LISTEN tcp on
// 127.0.0.1:PORT[, relaying to ...]".
func listenPort(t *testing.T, line string) int {
	t.Helper()
	f := strings.Fields(line)
	if len(f) < 5 || f[1] != "LISTEN" {
		t.Fatalf("not a listening line: %q", line)
	}
	return portOf(t, strings.TrimSuffix(f[4], ","))
}

// A relay in front of an echo server: the client's bytes come back through it, and
// the relay prints both directions, with the target and the direction in JSON.
func TestTCPRelayJSONShowsBothDirections(t *testing.T) {
	target := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--echo", "--json")
	to := addr("127.0.0.1", target.waitPort())
	relay := start(t, nil, "tcp", "relay", "--listen", "127.0.0.1:0", "--to", to, "--json", "--count", "2", "--charset", "gbk")
	c := relayClient(t, addr("127.0.0.1", relay.waitPort()))
	msg := []byte{0xc4, 0xe3, 0xba, 0xc3} // 你好 in GBK
	c.Write(msg)
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || string(got) != string(msg) {
		t.Fatalf("echo through the relay: % x, %v", got, err)
	}
	if code := relay.wait(); code != 0 {
		t.Fatalf("relay: exit %d, stderr %q", code, relay.stderr)
	}
	client := c.LocalAddr().String()
	recv := filter(relay.events(), is("received"))
	if len(recv) != 2 {
		t.Fatalf("want 2 received events, got %+v", recv)
	}
	for i, dir := range []string{"to-target", "to-client"} {
		e := recv[i]
		if e.Dir != dir || e.Text != "你好" || e.Hex != "c4e3bac3" || e.Peer != client || e.Target != to || e.Client != 1 {
			t.Errorf("received #%d: %+v, want dir %s from %s via %s", i+1, e, dir, client, to)
		}
	}
	if code := target.stop(); code != 0 {
		t.Errorf("target: exit %d", code)
	}
}

// The text lines spell out the direction with arrows; the client's half-close
// reaches the target and the relay says who closed first.
func TestTCPRelayTextLines(t *testing.T) {
	target := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--echo")
	tline := target.stdout.waitFor(t, "the target listening", func(ls []string) bool { return len(ls) > 0 })[0]
	to := addr("127.0.0.1", listenPort(t, tline))
	relay := start(t, nil, "tcp", "relay", "--listen", "127.0.0.1:0", "--to", to)
	lline := relay.stdout.waitFor(t, "the relay listening", func(ls []string) bool { return len(ls) > 0 })[0]
	if !strings.Contains(lline, "relaying to "+to) {
		t.Errorf("listening line %q", lline)
	}
	c := relayClient(t, addr("127.0.0.1", listenPort(t, lline)))
	c.Write([]byte("ping"))
	if _, err := io.ReadFull(c, make([]byte, 4)); err != nil {
		t.Fatal(err)
	}
	c.(*net.TCPConn).CloseWrite()
	io.ReadAll(c) // the echo server closes once it sees the client's FIN
	client := c.LocalAddr().String()
	want := []string{
		"[client " + client + " → target " + to + "] 4 B: ping",
		"[target " + to + " → client " + client + "] 4 B: ping",
		"[client " + client + " ↔ target " + to + "] client closed first",
	}
	relay.stdout.waitFor(t, "both directions and the close", func(ls []string) bool {
		all := strings.Join(ls, "\n")
		for _, w := range want {
			if !strings.Contains(all, w) {
				return false
			}
		}
		return true
	})
	if code := relay.stop(); code != 0 {
		t.Errorf("relay: exit %d, stderr %q", code, relay.stderr)
	}
	target.stop()
}

// A target that refuses: the relay reports it, naming the target, closes the
// client and goes on listening.
func TestTCPRelayTargetRefused(t *testing.T) {
	to := addr("127.0.0.1", freePort(t))
	relay := start(t, nil, "tcp", "relay", "--listen", "127.0.0.1:0", "--to", to, "--json", "--connect-timeout", "5s")
	c := relayClient(t, addr("127.0.0.1", relay.waitPort()))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("client read %d, %v; want it closed", n, err)
	}
	e := relay.waitEvents("the connect error", 1, is("error"))[0]
	if !strings.Contains(e.Error, "connect target "+to) || !strings.Contains(e.Error, "refused") || e.Peer != c.LocalAddr().String() {
		t.Errorf("error event %+v", e)
	}
	if code := relay.stop(); code != 0 {
		t.Errorf("relay: exit %d, stderr %q", code, relay.stderr)
	}
}

func TestTCPRelayUsageAndListenErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--to", "127.0.0.1:9"}, "--listen: missing; give the [ADDR:]PORT to listen on (0 picks a free port)"},
		{[]string{"--listen", "0"}, "--to: missing; give the HOST:PORT to relay to"},
		{[]string{"--listen", "70000", "--to", "127.0.0.1:9"}, `--listen: ":70000": port 70000 is out of range 0-65535`},
		{[]string{"--listen", "0", "--to", "127.0.0.1"}, `--to: "127.0.0.1": missing port; expected HOST:PORT`},
		{[]string{"--listen", "0", "--to", ":9"}, `--to: ":9" has no host`},
		{[]string{"--listen", "0", "--to", "127.0.0.1:9", "--connect-timeout", "soon"}, `--connect-timeout: "soon" is not a duration (e.g. 500ms, 10s, 2m)`},
		{[]string{"--listen", "0", "--to", "127.0.0.1:9", "extra"}, `unexpected argument "extra"`},
	} {
		code, out, errOut := run(t, nil, append([]string{"tcp", "relay"}, tc.args...)...)
		if code != 2 || out != "" {
			t.Errorf("%q: exit %d, stdout %q; want 2 and nothing", tc.args, code, out)
		}
		if line := oneLine(t, errOut); line != "sockdesk: "+tc.want {
			t.Errorf("%q: got %q, want %q", tc.args, line, tc.want)
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	code, _, errOut := run(t, nil, "tcp", "relay", "--listen", "127.0.0.1:"+port, "--to", "127.0.0.1:9")
	if code != 1 {
		t.Fatalf("listen in use: exit %d", code)
	}
	wantHeldBy(t, oneLine(t, errOut), "sockdesk: --listen: 127.0.0.1:"+port, os.Getpid())
}
