package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// genResult is the summary `gen --json` prints.
func genResult(t *testing.T, out string) genSummary {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one summary line, got %q", out)
	}
	var s genSummary
	if err := json.Unmarshal([]byte(lines[0]), &s); err != nil {
		t.Fatalf("summary %q: %v", lines[0], err)
	}
	return s
}

// The generator against an in-process `udp listen`: every message arrives, in
// order, numbered, and the summary counts them.
func TestGenUDP(t *testing.T) {
	const n = 200
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", fmt.Sprint(n))
	to := addr("127.0.0.1", l.waitPort())
	code, out, errOut := run(t, nil, "gen", "udp", to, "--count", fmt.Sprint(n), "--json")
	if code != 0 || errOut != "" {
		t.Fatalf("gen: exit %d, stderr %q", code, errOut)
	}
	s := genResult(t, out)
	if s.Event != "summary" || s.Proto != "udp" || s.Peer != to || s.Messages != n || s.Bytes != n*genDefaultSize ||
		s.End != "count" || s.Rate != 0 || s.MsgRate <= 0 || s.MBRate <= 0 || s.Elapsed <= 0 {
		t.Errorf("summary %+v", s)
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d, stderr %q", code, l.stderr)
	}
	recv := filter(l.events(), is("received"))
	if len(recv) != n {
		t.Fatalf("listener got %d datagrams, want %d", len(recv), n)
	}
	for i, r := range recv {
		if want := fmt.Sprintf("%d ", i+1); !strings.HasPrefix(r.Text, want) || r.Bytes != genDefaultSize || strings.Trim(r.Text[len(want):], ".") != "" {
			t.Fatalf("datagram %d: %q (%d bytes), want %q and dots, %d bytes", i, r.Text, r.Bytes, want, genDefaultSize)
		}
	}
}

// Paced: the run cannot end before its last message was due, and the rate shown
// (first message to last) is not above the rate asked for.
func TestGenUDPPaced(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json")
	to := addr("127.0.0.1", l.waitPort())
	code, out, errOut := run(t, nil, "gen", "udp", to, "seq={counter}", "--count", "6", "--rate", "100", "--json", "--size", "12")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	s := genResult(t, out)
	if s.Messages != 6 || s.Bytes != 72 || s.Elapsed < 0.05 || s.MsgRate > 100.000001 || s.Rate != 100 || s.RateUnit != "msg/s" {
		t.Errorf("summary %+v", s)
	}
	recv := l.waitEvents("6 datagrams", 6, is("received"))
	if recv[5].Text != "seq=6......." {
		t.Errorf("the sixth datagram is %q", recv[5].Text)
	}
	code, out, _ = run(t, nil, "gen", "udp", to, "--duration", "100ms", "--rate", "6400B/s")
	if code != 0 || !strings.HasPrefix(out, "sent ") || !strings.Contains(out, "(target: 6400 B/s)") {
		t.Errorf("text summary: exit %d, %q", code, out)
	}
	// 6400 B/s of 64-byte messages is one each 10 ms: 10 in 100 ms, at most.
	var sent int
	if _, err := fmt.Sscanf(out, "sent %d messages", &sent); err != nil || sent < 1 || sent > 10 {
		t.Errorf("%d messages in 100 ms at 100 msg/s: %q", sent, out)
	}
}

// Over TCP, with both ends logging: the server receives every byte the summary
// counts (the run ends with a half-close, so nothing is lost to a reset), and
// the generator's log has one sent line per message.
func TestGenTCPWithLogs(t *testing.T) {
	const n = 500
	dir := t.TempDir()
	srvLog, genLog := dir+"/server.log", dir+"/gen.log"
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json", "--log", srvLog)
	to := addr("127.0.0.1", srv.waitPort())
	code, out, errOut := run(t, nil, "gen", "tcp", to, `m{counter}\n`, "--escapes", "--count", fmt.Sprint(n), "--log", genLog, "--json")
	if code != 0 || errOut != "" {
		t.Fatalf("gen: exit %d, stderr %q", code, errOut)
	}
	s := genResult(t, out)
	var want strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&want, "m%d\n", i)
	}
	if s.Messages != n || s.Bytes != uint64(want.Len()) || s.Proto != "tcp" {
		t.Errorf("summary %+v, want %d messages, %d bytes", s, n, want.Len())
	}
	srv.waitEvents("the client's close", 1, func(e jev) bool { return e.Event == "closed" && e.Peer != "" })
	var got strings.Builder
	for _, e := range filter(srv.events(), is("received")) {
		got.WriteString(e.Text)
	}
	if got.String() != want.String() {
		t.Errorf("the server received %d bytes, want the %d sent, in order", got.Len(), want.Len())
	}
	if srv.stop() != 0 {
		t.Errorf("server: %q", srv.stderr)
	}
	sends := 0
	for _, l := range readLines(t, genLog) {
		if strings.Contains(l, " SEND tcp ") {
			sends++
		}
	}
	if sends != n {
		t.Errorf("the generator's log has %d SEND lines, want %d", sends, n)
	}
}

// A destination where nothing listens: the run goes on, and stderr says once
// how many errors came back (Linux reports ICMP port unreachable per datagram).
func TestGenUDPNobodyListening(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ICMP errors for unconnected UDP sockets are reported on Linux")
	}
	code, out, errOut := run(t, nil, "gen", "udp", addr("127.0.0.1", freeUDPPort(t)), "--count", "5", "--rate", "200")
	if code != 0 || !strings.HasPrefix(out, "sent 5 messages") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	line := oneLine(t, errOut)
	if !strings.Contains(line, "reported while sending") || !strings.Contains(line, "port unreachable") {
		t.Errorf("stderr %q", line)
	}
}

func TestGenBadInput(t *testing.T) {
	const to = "127.0.0.1:9"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, `udp|tcp: missing; use "gen udp HOST:PORT" or "gen tcp HOST:PORT"`},
		{[]string{"sctp", to}, `"sctp": unknown protocol; use udp or tcp`},
		{[]string{"udp"}, "HOST:PORT: missing; give the address to send to"},
		{[]string{"udp", "127.0.0.1", "--count", "1"}, `HOST:PORT: "127.0.0.1": missing port; expected HOST:PORT`},
		{[]string{"tcp", ":9", "--count", "1"}, `HOST:PORT: ":9" has no host`},
		{[]string{"udp", to, "a", "b"}, `unexpected argument "b" (quote a MESSAGE that has spaces)`},
		{[]string{"udp", to}, "--count or --duration: missing; say how many messages or for how long (e.g. --count 1000, --duration 10s)"},
		{[]string{"udp", to, "--count", "1", "--duration", "1s"}, "--count and --duration cannot be used together"},
		{[]string{"udp", to, "--count", "0"}, "--count: must be at least 1"},
		{[]string{"udp", to, "--count", "x"}, `--count: "x" is not a whole number`},
		{[]string{"udp", to, "--count", "1000000001"}, "--count: 1000000001 is too large (at most 1000000000)"},
		{[]string{"udp", to, "--duration", "0"}, "--duration: must be more than 0"},
		{[]string{"udp", to, "--duration", "2h"}, "--duration: 2h0m0s is too long (at most 1h0m0s)"},
		{[]string{"udp", to, "--duration", "soon"}, `--duration: "soon" is not a duration (e.g. 500ms, 10s, 2m)`},
		{[]string{"udp", to, "--count", "1", "--rate", "fast"}, `--rate: "fast" is not a rate (e.g. 1000 for messages/s, 5MB/s or 100KiB/s for bytes/s; 0 = as fast as possible)`},
		{[]string{"udp", to, "--count", "1", "--rate", "-5"}, "--rate: -5 is negative"},
		{[]string{"udp", to, "--count", "1", "--rate", "10Mb/s"}, `--rate: "10Mb/s": sockdesk counts bytes, B, not bits, b (e.g. 1000 for messages/s, 5MB/s or 100KiB/s for bytes/s; 0 = as fast as possible)`},
		{[]string{"udp", to, "--count", "1", "--rate", "10MB"}, `--rate: "10MB": unknown unit "MB" (e.g. 1000 for messages/s, 5MB/s or 100KiB/s for bytes/s; 0 = as fast as possible)`},
		{[]string{"udp", to, "--count", "1", "--rate", "1e13"}, `--rate: "1e13": unknown unit "e13" (e.g. 1000 for messages/s, 5MB/s or 100KiB/s for bytes/s; 0 = as fast as possible)`},
		{[]string{"udp", to, "--count", "1", "--rate", "2000000000000"}, "--rate: 2e+12 is too high (at most 1e+12)"},
		{[]string{"udp", to, "--count", "1", "--size", "0"}, "--size: must be at least 1"},
		{[]string{"udp", to, "--count", "1", "--size", "70000"}, "--size: 70000 bytes is more than a UDP datagram can carry (65507 bytes)"},
		{[]string{"tcp", to, "--count", "1", "--size", "2000000"}, "--size: 2000000 bytes is too large (at most 1048576)"},
		{[]string{"udp", to, strings.Repeat("a", 65502) + "{counter}", "--count", "100000"}, "MESSAGE: 65508 bytes is more than a UDP datagram can carry (65507 bytes)..."},
		{[]string{"tcp", to, "", "--count", "1"}, "MESSAGE: empty (a TCP message needs at least one byte)"},
		{[]string{"udp", to, "--count", "1", "--hex"}, "--hex: applies to MESSAGE, and there is none"},
		{[]string{"udp", to, "--count", "1", "--hex", "01 {counter} 0g"}, `MESSAGE: hex: invalid character "g" at position 15`},
		{[]string{"udp", to, "--count", "1", "--charset", "gbk", "😀"}, `MESSAGE: character "😀" (U+1F600) at position 1 cannot be encoded in GBK`},
		{[]string{"udp", to, "--count", "1", "--connect-timeout", "1s"}, "--connect-timeout: only for gen tcp"},
		{[]string{"tcp", to, "--count", "1", "--from", "1234"}, "--from: only for gen udp"},
		{[]string{"tcp", to, "--count", "1", "--broadcast"}, "--broadcast: only for gen udp"},
		{[]string{"udp", to, "--count", "1", "--from", "127.0.0.1:70000"}, `--from: "127.0.0.1:70000": port 70000 is out of range 0-65535`},
		{[]string{"udp", "127.255.255.255:9", "--count", "1"}, "HOST:PORT: 127.255.255.255 is a broadcast address; add --broadcast to send to it"},
		{[]string{"udp", to, "--count", "1", "--log-format", "json"}, "--log-format: needs --log FILE"},
		{[]string{"udp", to, "--count", "1", "--timeout", "1s"}, "unknown flag --timeout (see sockdesk help)"},
	} {
		args := append([]string{"gen"}, tc.args...)
		name := strings.Join(args, " ")
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			expectUsageError(t, args, tc.want)
		})
	}
}

func TestGenHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "gen"}, {"gen", "--help"}} {
		code, out, _ := run(t, nil, args...)
		if code != 0 || !strings.Contains(out, "sockdesk gen udp|tcp HOST:PORT") || !strings.Contains(out, "{counter}") {
			t.Errorf("%q: exit %d:\n%s", args, code, out)
		}
	}
}
