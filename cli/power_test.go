package cli

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// jcheck is the "checksum" object of a JSON event.
type jcheck struct {
	Checksum *struct {
		Name string `json:"name"`
		OK   bool   `json:"ok"`
		Got  string `json:"got"`
		Want string `json:"want"`
	} `json:"checksum"`
}

func checkOf(t *testing.T, line string) jcheck {
	t.Helper()
	var c jcheck
	if err := json.Unmarshal([]byte(line), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// A sender appends CRC-16/MODBUS (low byte first); the listener checks it and
// says ok, and BAD with both values for a datagram whose checksum is wrong.
func TestChecksumSendAndVerifyUDP(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "3", "--checksum", "crc16-modbus")
	to := addr("127.0.0.1", l.waitPort())
	code, out, errOut := run(t, nil, "udp", "send", "--to", to, "--checksum", "crc16-modbus", "123456789")
	if code != 0 {
		t.Fatalf("send: exit %d, %q", code, errOut)
	}
	if !strings.Contains(out, "SEND udp") || !strings.Contains(out, "11 B: 1234567897K") {
		t.Errorf("the sent line shows the checksum bytes as data: %q", out)
	}
	// The same bytes with the checksum big-endian: wrong for MODBUS.
	if code, _, errOut := run(t, nil, "udp", "send", "--to", to, "--checksum", "crc16-modbus:be", "123456789"); code != 0 {
		t.Fatalf("send :be: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, nil, "udp", "send", "--to", to, "--hex", "01 03 00 00 00 0a c5 cd"); code != 0 {
		t.Fatalf("send hex: exit %d, %q", code, errOut)
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d, %q", code, l.stderr)
	}
	var recv []string
	for _, line := range l.stdout.lines() {
		if strings.Contains(line, `"event":"received"`) {
			recv = append(recv, line)
		}
	}
	if len(recv) != 3 {
		t.Fatalf("want 3 received, got:\n%s", l.stdout)
	}
	if c := checkOf(t, recv[0]).Checksum; c == nil || !c.OK || c.Name != "crc16-modbus" || !strings.HasSuffix(recv[0], `"hex":"313233343536373839374b","checksum":{"name":"crc16-modbus","ok":true,"got":"0x4B37","want":"0x4B37"}}`) {
		t.Errorf("good datagram: %s", recv[0])
	}
	if c := checkOf(t, recv[1]).Checksum; c == nil || c.OK || c.Got != "0x374B" || c.Want != "0x4B37" {
		t.Errorf("datagram with the wrong byte order: %s", recv[1])
	}
	if c := checkOf(t, recv[2]).Checksum; c == nil || !c.OK {
		t.Errorf("the MODBUS example frame: %s", recv[2])
	}
}

// The text line says the verdict; TCP both ways, and the generator's messages each
// carry their own checksum.
func TestChecksumTCPAndGen(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--count", "1", "--checksum", "crc32")
	srv.stdout.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })
	line := srv.stdout.lines()[0]
	to := addr("127.0.0.1", portOf(t, line[strings.LastIndexByte(line, ' ')+1:]))
	c := start(t, nil, "tcp", "connect", to, "--send", "hello", "--checksum", "crc32")
	if code := srv.wait(); code != 0 {
		t.Fatalf("server: exit %d, %q", code, srv.stderr)
	}
	c.wait()
	if out := srv.stdout.String(); !strings.Contains(out, "9 B, crc32 ok: hello") {
		t.Errorf("server output:\n%s", out)
	}

	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--count", "20", "--checksum", "xor")
	l.stdout.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })
	line = l.stdout.lines()[0]
	to = addr("127.0.0.1", portOf(t, line[strings.LastIndexByte(line, ' ')+1:]))
	if code, _, errOut := run(t, nil, "gen", "udp", to, "m{counter}", "--count", "20", "--checksum", "xor"); code != 0 {
		t.Fatalf("gen: exit %d, %q", code, errOut)
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d", code)
	}
	if out := l.stdout.String(); strings.Count(out, ", xor ok: m") != 20 || strings.Contains(out, "BAD") {
		t.Errorf("listener output:\n%s", out)
	}
}

func TestPowerFlagsUsage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--checksum", "crc8", "x"}, `--checksum: unknown checksum "crc8" (known: crc16-modbus, crc16-ccitt, crc16-xmodem, crc32, xor, sum8)`},
		{[]string{"udp", "listen", "--port", "0", "--checksum", "crc32:middle"}, "--checksum: "},
		{[]string{"tcp", "serve", "--port", "0", "--checksum-order", "big"}, "--checksum-order: needs --checksum NAME"},
		{[]string{"tcp", "serve", "--port", "0", "--checksum", "crc32:le", "--checksum-order", "big"}, "--checksum-order: big contradicts --checksum crc32:le"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--chunk", "10", "x"}, "--chunk: needs --file PATH"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--file", file, "--chunk", "70000"}, "--chunk: 70000 is out of range (1 to 65507)"},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--file", file, "x"}, `unexpected argument "x" (--file sends the file instead of a MESSAGE)`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--file", file, "--checksum", "xor"}, "--checksum: cannot be used with --file"},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--file", file, "--send", "x"}, "--send: cannot be used with --file"},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--file", file, "--delay", "2m"}, "--delay: 2m is too long"},
		{[]string{"udp", "listen", "--port", "0", "--save", filepath.Join(t.TempDir(), "no", "such", "dir")}, "--save: cannot write"},
	} {
		code, _, errOut := run(t, nil, tc.args...)
		if code != 2 || !strings.Contains(oneLine(t, errOut), tc.want) {
			t.Errorf("%q: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	// A file that cannot be read is a run-time failure naming it.
	code, _, errOut := run(t, nil, "udp", "send", "--to", "127.0.0.1:9", "--file", filepath.Join(t.TempDir(), "missing"))
	if code != 1 || !strings.Contains(errOut, "--file: file ") || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
}

// randomFile writes size random bytes; printable ones if text, which the screen
// shows without escaping (and so quickly, even under the race detector).
func randomFile(t *testing.T, size int, text bool) (string, []byte) {
	t.Helper()
	data := make([]byte, size)
	rand.NewChaCha8([32]byte{7}).Read(data)
	if text {
		for i, b := range data {
			data[i] = 'a' + b%26
		}
	}
	path := filepath.Join(t.TempDir(), "data.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

// tcp connect --file to tcp serve --save: the saved file is the file sent.
func TestFileOverTCPSavedIdentical(t *testing.T) {
	const size = 2<<20 + 777
	path, data := randomFile(t, size, true)
	saved := filepath.Join(t.TempDir(), "saved.bin")
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--save", saved)
	srv.stdout.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })
	line := srv.stdout.lines()[0]
	to := addr("127.0.0.1", portOf(t, line[strings.LastIndexByte(line, ' ')+1:]))
	c := start(t, nil, "tcp", "connect", to, "--file", path)
	// All of it was written, then Ctrl-C: the server reads to the end of the stream
	// before it sees the client close.
	waitSentBytes(t, c, size)
	if code := c.stop(); code != 0 {
		t.Fatalf("connect: exit %d, %q", code, c.stderr)
	}
	waitLines(t, srv, "the client closing", func(l string) bool { return strings.Contains(l, " CLOSE tcp [") })
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve: exit %d, %q", code, srv.stderr)
	}
	got, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("saved %d bytes that differ from the %d sent", len(got), len(data))
	}
}

// udp send --file --chunk: that many datagrams of that size, saved in order.
func TestFileOverUDPChunks(t *testing.T) {
	path, data := randomFile(t, 4500, false)
	saved := filepath.Join(t.TempDir(), "saved.bin")
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "5", "--save", saved)
	to := addr("127.0.0.1", l.waitPort())
	code, out, errOut := run(t, nil, "udp", "send", "--to", to, "--file", path, "--chunk", "1000", "--delay", "1ms", "--json")
	if code != 0 {
		t.Fatalf("send: exit %d, %q", code, errOut)
	}
	sent := filter(parseEvents(t, strings.Split(strings.TrimSpace(out), "\n")), is("sent"))
	if len(sent) != 5 || sent[0].Bytes != 1000 || sent[4].Bytes != 500 {
		t.Errorf("sent %d datagrams: %+v", len(sent), sent)
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d, %q", code, l.stderr)
	}
	if got, _ := os.ReadFile(saved); !bytes.Equal(got, data) {
		t.Errorf("saved %d bytes, not the file", len(got))
	}
}

var reSentLine = regexp.MustCompile(`^\S+ SEND tcp \[[^\]]*\] (\d+) B`)

// waitSentBytes waits until r's text output shows sent lines adding up to n bytes.
func waitSentBytes(t *testing.T, r *cliRun, n int) {
	t.Helper()
	sent := 0
	waitLines(t, r, "the whole file sent", func(l string) bool {
		if m := reSentLine.FindStringSubmatch(l); m != nil {
			b, _ := strconv.Atoi(m[1])
			sent += b
		}
		return sent >= n
	})
}

// waitLines feeds each complete line of r's output, once, to done until it says
// yes. The lines of a file's chunks are long: reading them all again at every
// write, as outBuf.waitFor does, would take most of the test's time.
func waitLines(t *testing.T, r *cliRun, what string, done func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	off := 0
	for {
		out := r.stdout.String()
		for {
			i := strings.IndexByte(out[off:], '\n')
			if i < 0 {
				break
			}
			line := out[off : off+i]
			off += i + 1
			if done(line) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s; stderr %q", waitLimit, what, r.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A disk that fills up while saving: said on stderr, and the run fails (status 1).
func TestSaveDiskFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "1", "--save", "/dev/full")
	to := addr("127.0.0.1", l.waitPort())
	if code, _, errOut := run(t, nil, "udp", "send", "--to", to, "lost"); code != 0 {
		t.Fatalf("send: exit %d, %q", code, errOut)
	}
	code := l.wait()
	if line := oneLine(t, l.stderr.String()); code != 1 || !strings.HasPrefix(line, "sockdesk: --save: ") ||
		!strings.Contains(line, "no space left on device") {
		t.Errorf("exit %d, stderr %q; want 1 and the --save error", code, line)
	}
}
