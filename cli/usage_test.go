package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// Bad usage and bad input: status 2, one line naming the flag (or argument) and the
// problem, nothing opened and nothing on stdout.
func TestBadInput(t *testing.T) {
	big := strings.Repeat("a", 65508)
	for _, tc := range []struct {
		args []string
		want string // the whole line, or its start when it ends in "..."
	}{
		{[]string{"udp", "listen", "--port", "65536"}, "--port: port 65536 is out of range 0-65535"},
		{[]string{"udp", "listen", "--port", "-1"}, "--port: port -1 is out of range 0-65535"},
		{[]string{"udp", "listen", "--port", "http"}, `--port: port "http" is not a number`},
		{[]string{"udp", "listen"}, "--port: missing; give the port to listen on (0 picks a free one)"},
		{[]string{"udp", "listen", "--port", "0", "--charset", "foo"}, `--charset: unknown charset "foo" (known: UTF-8, GBK, ...`},
		{[]string{"udp", "listen", "--port", "0", "--count", "-1"}, "--count: -1 is negative"},
		{[]string{"udp", "listen", "--port", "0", "--count", "many"}, `--count: "many" is not a whole number`},
		{[]string{"udp", "listen", "--port", "0", "--count", "99999999999999999999"}, "--count: 99999999999999999999 is too large (at most 1000000000)"},
		{[]string{"udp", "listen", "--port", "0", "--timeout", "soon"}, `--timeout: "soon" is not a duration (e.g. 500ms, 10s, 2m)`},
		{[]string{"udp", "listen", "--port", "0", "--timeout", "-5s"}, "--timeout: -5s is negative"},
		{[]string{"udp", "listen", "--port", "0", "--echo=maybe"}, `--echo: "maybe" is not true or false (the flag alone means true)`},
		{[]string{"udp", "listen", "--port", "0", "--bind", "127.0.0.1:80"}, `--bind: "127.0.0.1:80" is not an address; give the address only, the port goes in --port`},
		{[]string{"udp", "listen", "--port", "0", "--log", "x.log", "--log-format", "xml"}, `--log-format: unknown log format "xml" (known: text, json)`},
		{[]string{"udp", "listen", "--port", "0", "--log-format", "json"}, "--log-format: needs --log FILE"},
		{[]string{"udp", "listen", "--port", "0", "extra"}, `unexpected argument "extra"`},
		{[]string{"udp", "listen", "--port"}, "--port: needs a value"},
		{[]string{"udp", "listen", "--port", "0", "--frobnicate"}, "unknown flag --frobnicate (see sockdesk help)"},

		{[]string{"udp", "send", "hi"}, "--to: missing; give the destination HOST:PORT"},
		{[]string{"udp", "send", "--to", "127.0.0.1", "hi"}, `--to: "127.0.0.1": missing port; expected HOST:PORT`},
		{[]string{"udp", "send", "--to", "127.0.0.1:0", "hi"}, `--to: "127.0.0.1:0": port 0 is out of range 1-65535`},
		{[]string{"udp", "send", "--to", "127.0.0.1:70000", "hi"}, `--to: "127.0.0.1:70000": port 70000 is out of range 1-65535`},
		{[]string{"udp", "send", "--to", "::1:9", "hi"}, `--to: "::1:9": put an IPv6 address in brackets, e.g. [::1]:9000`},
		{[]string{"udp", "send", "--to", ":9", "hi"}, `--to: ":9" has no host`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9"}, `MESSAGE: missing (an empty datagram is "")`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "hello", "world"}, `unexpected argument "world" (quote a MESSAGE that has spaces)`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--hex", "48 4g"}, `MESSAGE: hex: invalid character "g" at position 5`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--hex", ""}, `MESSAGE: hex: no bytes`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--escapes", `a\q`}, `MESSAGE: escapes: unknown escape \q at position 2`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--charset", "gbk", "ab😀"}, `MESSAGE: character "😀" (U+1F600) at position 3 cannot be encoded in GBK`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--hex", "--escapes", "41"}, "--hex and --escapes cannot be used together"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--repeat", "0", "x"}, "--repeat: must be at least 1"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--repeat", "1000000001", "x"}, "--repeat: 1000000001 is too large (at most 1000000000)"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--repeat", "2", "--interval", "-1s", "x"}, "--interval: -1s is negative"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--interval", "often", "x"}, `--interval: "often" is not a duration (e.g. 500ms, 10s, 2m)`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--wait", "-1", "x"}, "--wait: -1 is negative"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--from", "127.0.0.1:65536", "x"}, `--from: "127.0.0.1:65536": port 65536 is out of range 0-65535`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", big}, "MESSAGE: 65508 bytes is more than a UDP datagram can carry (65507 bytes)"},
		{[]string{"udp", "send", "--to", "127.255.255.255:9", "x"}, "--to: 127.255.255.255 is a broadcast address; add --broadcast to send to it"},
		{[]string{"udp", "send", "--to", "255.255.255.255:9", "x"}, "--to: 255.255.255.255 is a broadcast address; add --broadcast to send to it"},

		{[]string{"tcp", "connect"}, "HOST:PORT: missing; give the address to connect to"},
		{[]string{"tcp", "connect", "127.0.0.1"}, `HOST:PORT: "127.0.0.1": missing port; expected HOST:PORT`},
		{[]string{"tcp", "connect", "127.0.0.1:9", "hello"}, `unexpected argument "hello" (messages go in --send, or on standard input)`},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--hex", "--send", "zz"}, `--send: hex: invalid character "z" at position 1`},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--hex", "--send", "41", "--send", "4g"}, `--send #2: hex: invalid character "g" at position 2`},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--send", "😀", "--charset", "latin1"}, `--send: character "😀" (U+1F600) at position 1 cannot be encoded in ISO-8859-1`},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--connect-timeout", "forever"}, `--connect-timeout: "forever" is not a duration (e.g. 500ms, 10s, 2m)`},
		{[]string{"tcp", "serve"}, "--port: missing; give the port to listen on (0 picks a free one)"},
		{[]string{"tcp", "serve", "--port", "0", "--max-clients", "-1"}, "--max-clients: -1 is negative"},
		{[]string{"tcp", "serve", "--port", "0", "--max-clients", "lots"}, `--max-clients: "lots" is not a whole number`},

		{[]string{"charsets", "all"}, `unexpected argument "all"`},
		{[]string{"interfaces", "--verbose"}, "unknown flag --verbose (see sockdesk help)"},
	} {
		name := strings.Join(tc.args, " ")
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			expectUsageError(t, tc.args, tc.want)
		})
	}
}

// A host that does not resolve is a run-time failure (status 1), not bad usage.
func TestUnknownHost(t *testing.T) {
	for _, args := range [][]string{
		{"udp", "send", "--to", "nosuchhost.invalid:9", "x"},
		{"tcp", "connect", "nosuchhost.invalid:9", "--send", "x"},
	} {
		code, _, errOut := run(t, nil, args...)
		if code != 1 {
			t.Errorf("%q: want exit 1, got %d (%q)", args, code, errOut)
			continue
		}
		if line := oneLine(t, errOut); !strings.Contains(line, "nosuchhost.invalid") {
			t.Errorf("%q: %q", args, line)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"help", "udp", "send"}, {"udp", "send", "--help"}, {"tcp", "serve", "-h"}} {
		code, out, errOut := run(t, nil, args...)
		if code != 0 || !strings.HasPrefix(out, "Usage:") || errOut != "" {
			t.Errorf("%q: exit %d, stdout %.40q, stderr %q", args, code, out, errOut)
		}
	}
	_, out, _ := run(t, nil, "help")
	for _, c := range commands() {
		if !strings.Contains(out, "sockdesk "+c.path+" ") {
			t.Errorf("usage does not show %q", c.path)
		}
	}
	_, out, _ = run(t, nil, "udp", "send", "--help")
	if !strings.Contains(out, "--broadcast") || strings.Contains(out, "tcp serve") {
		t.Errorf("udp send --help should show that command only:\n%s", out)
	}
}

func TestUnknownCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `sockdesk: unknown command "frobnicate"`},
		{[]string{"udp"}, `sockdesk: udp: missing sub-command; use "udp send" or "udp listen"`},
		{[]string{"tcp", "listen", "--port", "0"}, `sockdesk: tcp: unknown sub-command "listen"; use "tcp connect", "tcp serve" or "tcp relay"`},
		{nil, "Usage: sockdesk COMMAND [FLAGS] [ARGUMENTS]"},
	} {
		code, out, errOut := run(t, nil, tc.args...)
		if code != 2 || out != "" {
			t.Errorf("%q: exit %d, stdout %q", tc.args, code, out)
		}
		if first, _, _ := strings.Cut(errOut, "\n"); first != tc.want || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%q: stderr starts %q, want %q and the usage", tc.args, first, tc.want)
		}
	}
}

func TestCharsets(t *testing.T) {
	code, out, _ := run(t, nil, "charsets")
	if code != 0 || !strings.HasPrefix(out, "UTF-8 ") || !strings.Contains(out, "\nGBK ") || !strings.Contains(out, "cp936") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, nil, "charsets", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	found := false
	for _, l := range lines {
		var c struct {
			Name    string   `json:"name"`
			Aliases []string `json:"aliases"`
		}
		if err := json.Unmarshal([]byte(l), &c); err != nil || c.Aliases == nil {
			t.Fatalf("bad line %q: %v", l, err)
		}
		if c.Name == "GBK" && strings.Contains(strings.Join(c.Aliases, ","), "cp936") {
			found = true
		}
	}
	if !found || len(lines) < 5 {
		t.Errorf("GBK with its aliases not listed:\n%s", out)
	}
}

func TestInterfaces(t *testing.T) {
	code, out, _ := run(t, nil, "interfaces")
	if code != 0 || !strings.Contains(out, "127.0.0.1/8") || !strings.Contains(out, "broadcast  127.255.255.255") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, nil, "interfaces", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	found := false
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var ifc interfaceJSON
		if err := json.Unmarshal([]byte(l), &ifc); err != nil {
			t.Fatalf("bad line %q: %v", l, err)
		}
		if ifc.Loopback && ifc.Up && strings.Contains(strings.Join(ifc.Addrs, ","), "127.0.0.1/8") &&
			strings.Join(ifc.Broadcasts, ",") == "127.255.255.255" {
			found = true
		}
	}
	if !found {
		t.Errorf("the loopback interface is missing:\n%s", out)
	}
}
