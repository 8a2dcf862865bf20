package cli

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// A TCP server with rules answers every match on a connection that stays open,
// each reply shown as sent by its rule.
func TestTCPServeRespondEveryMatch(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json",
		"--respond", "re:^GET (\\S+)=>got $1 #{counter}\\n",
		"--respond", "contains:PING=>PONG\\n")
	to := addr("127.0.0.1", srv.waitPort())
	conn, err := net.DialTimeout("tcp", to, waitLimit)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(waitLimit))
	rd := bufio.NewReader(conn)
	for i, tc := range []struct{ send, want string }{
		{"GET /a\n", "got /a #1\n"},
		{"a PING\n", "PONG\n"},
		{"GET /b\n", "got /b #2\n"},
		{"GET /c\n", "got /c #3\n"},
	} {
		// One message, then its reply, so each arrives as its own chunk.
		if _, err := conn.Write([]byte(tc.send)); err != nil {
			t.Fatal(err)
		}
		got, err := rd.ReadString('\n')
		if err != nil || got != tc.want {
			t.Fatalf("message %d %q: reply %q (%v), want %q", i+1, tc.send, got, err, tc.want)
		}
	}
	sent := srv.waitEvents("sent events", 4, is("sent"))
	for i, rule := range []int{1, 2, 1, 1} {
		if sent[i].Rule != rule {
			t.Errorf("sent %d: rule %d, want %d", i+1, sent[i].Rule, rule)
		}
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("server: exit %d", code)
	}
}

// udp listen replies to each datagram's sender; udp send fills {counter} per send.
func TestUDPListenRespondAndSendCounter(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json",
		"--respond", "re:^ping (\\d+)$=>pong $1 {hex:21}")
	to := addr("127.0.0.1", l.waitPort())
	r := start(t, nil, "udp", "send", "--to", to, "--repeat", "3", "--interval", "10ms", "--wait", "30s", "--count", "3", "--json", "ping {counter}")
	if code := r.wait(); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, r.stderr)
	}
	sent, recv := filter(r.events(), is("sent")), filter(r.events(), is("received"))
	if len(sent) != 3 || len(recv) != 3 {
		t.Fatalf("sent %d, received %d; want 3 and 3", len(sent), len(recv))
	}
	for i := range 3 {
		if want := fmt.Sprintf("ping %d", i+1); sent[i].Text != want {
			t.Errorf("send %d: %q, want %q", i+1, sent[i].Text, want)
		}
		if want := fmt.Sprintf("pong %d !", i+1); recv[i].Text != want {
			t.Errorf("reply %d: %q, want %q", i+1, recv[i].Text, want)
		}
	}
	if code := l.stop(); code != 0 {
		t.Errorf("listener: exit %d", code)
	}
}

// tcp connect answers what the server sends, and fills {counter} per --send.
func TestTCPConnectRespond(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c := start(t, nil, "tcp", "connect", ln.Addr().String(), "--json", "--send", "hi {counter}\\n",
		"--escapes", "--respond", "hex:05=>hex:06 {hex:07}")
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(waitLimit))
	rd := bufio.NewReader(conn)
	if line, err := rd.ReadString('\n'); err != nil || line != "hi 1\n" {
		t.Fatalf("client sent %q (%v), want hi 1", line, err)
	}
	for range 2 {
		if _, err := conn.Write([]byte{0x05}); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 2)
		if _, err := rd.Read(buf[:1]); err != nil {
			t.Fatal(err)
		}
		if _, err := rd.Read(buf[1:]); err != nil {
			t.Fatal(err)
		}
		if buf[0] != 6 || buf[1] != 7 {
			t.Fatalf("reply % x, want 06 07", buf)
		}
	}
	if code := c.stop(); code != 0 {
		t.Errorf("client: exit %d, stderr %q", code, c.stderr)
	}
}

// Bad rules and placeholders are usage errors naming the flag, rule and position.
func TestRespondAndPlaceholderErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"udp", "listen", "--port", "0", "--respond", "a=>b", "--respond", "PING"}, "--respond #2: rule: no => between MATCH and REPLY"},
		{[]string{"tcp", "serve", "--port", "0", "--respond", "PING=>hex:01 zz"}, `--respond #1: reply: hex: invalid character "z" at position 14`},
		{[]string{"tcp", "connect", "127.0.0.1:1", "--respond", "re:(x=>y"}, "--respond #1: match: regexp: missing closing )"},
		{[]string{"tcp", "serve", "--port", "0", "--respond", "x=>{countr}"}, "--respond #1: reply: placeholder: unknown placeholder {countr} at position 4"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "a{hex:0g}"}, `MESSAGE: hex: invalid character "g" at position 8`},
	} {
		code, _, errOut := run(t, nil, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %s", tc.args, code, errOut, tc.want)
		}
	}
}
