package sequence

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio/framing"
)

// A bad file is an error at its line and column that says what is wrong.
func TestParseErrors(t *testing.T) {
	const head = "connect: tcp://127.0.0.1:9000\nsteps:\n"
	tests := []struct {
		src  string
		want string
	}{
		{"", "f.yaml: the file is empty (want connect: or listen:, and steps:)"},
		{"connect: [a\n", "f.yaml:1: YAML: did not find expected ',' or ']'"},
		{"steps:\n  - send: x\n", "f.yaml:1:1: connect: or listen: is missing (e.g. connect: tcp://127.0.0.1:9000)"},
		{"connect: tcp://127.0.0.1:9000\n", "f.yaml:1:1: steps: is missing (a list of steps: send:, expect:, ...)"},
		{"connect: http://x:80\nsteps: [{close: true}]\n", `f.yaml:1:10: connect: "http://x:80": want tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT`},
		{"connect: tcp://127.0.0.1\nsteps: [{close: true}]\n", `f.yaml:1:10: connect: "tcp://127.0.0.1": want tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT (missing port in address)`},
		{"connect: tcp://127.0.0.1:70000\nsteps: [{close: true}]\n", `f.yaml:1:10: connect: port "70000" must be a number from 1 to 65535`},
		{"listen: udp://:9000\nsteps: [{close: true}]\n", `f.yaml:1:9: listen: "udp://:9000": want tcp://[ADDR]:PORT, e.g. tcp://:9000`},
		{"connect: tcp://a:1\nlisten: tcp://:2\nsteps: [{close: true}]\n", "f.yaml:2:1: give connect: or listen:, not both"},
		{"connect: tcp://a:1\nconect: x\n", `f.yaml:2:1: unknown key "conect" in the file (known: name, connect, listen, charset, frame, max_frame, timeout, connect_timeout, tls, vars, steps)`},
		{"connect: tcp://a:1\ncharset: klingon\nsteps: [{close: true}]\n", `f.yaml:2:10: charset: unknown charset "klingon"...`},
		{"connect: tcp://a:1\nframe: length:4:3\nsteps: [{close: true}]\n", "f.yaml:2:8: frame: length:4:3: SIZE must be 1, 2 or 4"},
		{"connect: udp://a:1\nframe: line\nsteps: [{send: x}]\n", "f.yaml:2:8: frame: UDP needs no framing: a datagram is already one message"},
		{"connect: tcp://a:1\ntimeout: 2\nsteps: [{close: true}]\n", "f.yaml:2:10: timeout: 2 needs a unit, e.g. 2s or 2ms"},
		{"connect: tcp://a:1\ntls: {insecure: true}\nsteps: [{close: true}]\n", "f.yaml:2:6: tls: applies to connect: tls://HOST:PORT only"},
		{"connect: tcp://a:1\nvars: {1x: y}\nsteps: [{close: true}]\n", `f.yaml:2:8: vars: variable "1x": a name is letters, digits and _, not starting with a digit`},
		{head + "  send: x\n", `f.yaml:3:3: steps: must be a list (each step on a line starting with "- "), not a mapping`},
		{head + "  - send: x\n    expect: y\n", `f.yaml:4:5: step 1 has two actions, send and expect: one per step (start another with "- ")`},
		{head + "  - name: nothing\n", "f.yaml:3:5: step 1 does nothing: give one of send, send_hex, expect, expect_re, expect_hex, expect_checksum, expect_not, expect_closed, wait, close, repeat"},
		{head + "  - send\n", `f.yaml:3:5: step 1: "send" needs a value: write send: VALUE`},
		{head + "  - send: x\n    timeout: 1s\n", "f.yaml:4:5: timeout does not apply to send (it takes name, checksum)"},
		{head + "  - send: x\n    sned: y\n", `f.yaml:4:5: unknown key "sned" in step 1 (known: send, send_hex, ...`},
		{head + "  - send: \"A {tmp}\"\n", "f.yaml:3:11: send: placeholder: unknown placeholder {tmp} at position 3: no variable tmp is set before here (placeholders: {counter} {time} {unix} {unixms} {hex:..} ({{ = {))"},
		{head + "  - send: 'A {temp}'\n  - expect_re: 'T=(?P<temp>\\d+)'\n", "f.yaml:3:11: send: placeholder: unknown placeholder {temp} at position 3: no variable temp is set before here..."},
		{head + "  - send_hex: \"01 0g\"\n", `f.yaml:3:15: send_hex: hex: invalid character "g" at position 5`},
		{head + "  - expect_re: 'a(b'\n", "f.yaml:3:16: expect_re: error parsing regexp: missing closing ): `a(b`"},
		{head + "  - expect_re: '(?P<counter>x)'\n", `f.yaml:3:16: expect_re: group "counter" cannot be a variable: is a built-in placeholder`},
		{head + "  - expect_checksum: ok\n", "f.yaml:3:5: expect_checksum needs checksum: NAME on the step (e.g. checksum: crc16-modbus)"},
		{head + "  - expect_checksum: fine\n    checksum: crc16-modbus\n", `f.yaml:3:22: expect_checksum: want ok or bad, not "fine"`},
		{head + "  - send: x\n    checksum: crc17\n", `f.yaml:4:15: checksum: unknown checksum "crc17"...`},
		{head + "  - wait: soon\n", `f.yaml:3:11: wait: "soon" is not a duration (e.g. 500ms, 2s, 1m)`},
		{head + "  - expect: x\n    timeout: -1s\n", "f.yaml:4:14: timeout: -1s must be more than 0"},
		{head + "  - repeat: 0\n    steps: [{send: x}]\n", `f.yaml:3:13: repeat: "0" must be a whole number from 1 to 1000000`},
		{head + "  - repeat: 2\n", "f.yaml:3:5: repeat needs steps: (the steps to repeat, indented under it)"},
		{head + "  - repeat: 2\n    steps:\n      - send: x\n      - bogus: 1\n", `f.yaml:6:9: unknown key "bogus" in step 1.2 (known: ...`},
		{head + "  - close: false\n", "f.yaml:3:12: close: false does nothing; leave the step out"},
		{"connect: udp://a:1\nsteps:\n  - expect_closed: true\n", "f.yaml:3:5: expect_closed: UDP has no connection for the peer to close"},
		{head + "  - &a send: x\n", "f.yaml:3:5: YAML anchors and aliases (& and *) are not supported in sequence files"},
		{head + "  - expect: x\n    within: 1s\n", "f.yaml:4:5: within does not apply to expect (it takes name, timeout, skip, checksum)"},
	}
	for _, tt := range tests {
		_, err := Parse("f.yaml", []byte(tt.src), nil)
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Errorf("%q: want a FileError, got %v", tt.src, err)
			continue
		}
		got := err.Error()
		if prefix, ok := strings.CutSuffix(tt.want, "..."); ok {
			if !strings.HasPrefix(got, prefix) {
				t.Errorf("%q:\n got  %s\n want %s", tt.src, got, tt.want)
			}
		} else if got != tt.want {
			t.Errorf("%q:\n got  %s\n want %s", tt.src, got, tt.want)
		}
	}
}

// What a good file turns into: defaults, variables in order, numbered steps.
func TestParseGoodFile(t *testing.T) {
	seq, err := Parse("ok.yaml", []byte(`connect: tls://example.test:8443
tls: {insecure: true, servername: dev}
charset: gbk
frame: delim:03
max_frame: 4096
timeout: 2s
vars: {user: a}
steps:
  - send: "{user}"
  - expect_re: '(?P<code>\d+)'
  - repeat: 2
    steps:
      - wait: 0s
      - send: "{code} {counter}"
`), map[string]string{"user": "b", "extra": "c"})
	if err != nil {
		t.Fatal(err)
	}
	if seq.Scheme != "tls" || seq.Addr != "example.test:8443" || !seq.TLS.Insecure || seq.TLS.ServerName != "dev" ||
		seq.Charset.Name() != "GBK" || seq.Frame.Mode() != framing.Delim || seq.MaxFrame != 4096 || seq.Timeout != 2*time.Second ||
		seq.ConnectTimeout != DefaultConnectTimeout {
		t.Errorf("sequence %+v", seq)
	}
	if strings.Join(seq.Vars, ",") != "user,extra,code" || strings.Join(seq.Values, ",") != "b,c," {
		t.Errorf("vars %q = %q", seq.Vars, seq.Values)
	}
	var numbers []string
	seq.Walk(func(s *Step) { numbers = append(numbers, s.Number+"@"+s.Kind.String()) })
	if got := strings.Join(numbers, " "); got != "1@send 2@expect_re 3@repeat 3.1@wait 3.2@send" {
		t.Errorf("steps %s", got)
	}
	if st := seq.Steps[1]; st.Line != 10 || st.Column != 5 || st.Timeout != 2*time.Second {
		t.Errorf("step 2 at %d:%d timeout %v", st.Line, st.Column, st.Timeout)
	}
	if _, err := Parse("v.yaml", []byte("connect: tcp://a:1\nsteps: [{close: true}]\n"), map[string]string{"time": "x"}); err == nil ||
		err.Error() != `variable "time": is a built-in placeholder` {
		t.Errorf("--var time: %v", err)
	}
}

// The samples in the README (both languages) and in docs/sequence-format.md parse.
func TestDocumentedSamplesParse(t *testing.T) {
	for _, path := range []string{"../../README.md", "../../docs/sequence-format.md"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		blocks := 0
		for _, part := range strings.Split(string(b), "```yaml\n")[1:] {
			src, _, _ := strings.Cut(part, "```")
			if !strings.Contains(src, "steps:") {
				continue
			}
			blocks++
			if _, err := Parse(path, []byte(src), map[string]string{"user": "admin"}); err != nil {
				t.Errorf("%s: sample %d: %v", path, blocks, err)
			}
		}
		if blocks == 0 {
			t.Errorf("%s: no sample sequence found", path)
		}
	}
}
