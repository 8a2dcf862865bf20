package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/library"
)

// writeFile writes content to name in a directory of the test's own.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// testLibrary writes a library whose UDP messages go to udpTo and TCP ones to
// tcpTo.
func testLibrary(t *testing.T, udpTo, tcpTo string) string {
	t.Helper()
	return writeFile(t, t.TempDir(), "library.json", fmt.Sprintf(`{
  "format": "sockdesk-library",
  "version": 1,
  "messages": [
    {"name": "Ping", "group": "Probe", "mode": "escapes", "payload": "PING {counter}\\r\\n", "checksum": "crc16-modbus",
     "destination": %q, "protocol": "udp", "repeat_ms": 20},
    {"name": "Read coils", "group": "Modbus", "mode": "hex", "payload": "01 01 00 00 00 08", "checksum": "crc16-modbus:be",
     "destination": %q, "protocol": "tcp", "note": "slave 1"},
    {"name": "你好", "mode": "text", "payload": "你好", "charset": "gbk"},
    {"name": "Secure", "mode": "text", "payload": "hello", "destination": %q, "protocol": "tls"},
    {"name": "Bad hex", "mode": "hex", "payload": "01 0g"}
  ]
}
`, udpTo, tcpTo, tcpTo))
}

// udpCatcher is a UDP socket of the test's own that collects what arrives.
func udpCatcher(t *testing.T) (*net.UDPConn, string) {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, c.LocalAddr().String()
}

// readDatagrams reads n datagrams (bounded in time).
func readDatagrams(t *testing.T, c *net.UDPConn, n int) [][]byte {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(waitLimit))
	var out [][]byte
	buf := make([]byte, 65536)
	for len(out) < n {
		k, _, err := c.ReadFromUDP(buf)
		if err != nil {
			t.Fatalf("after %d of %d datagrams: %v", len(out), n, err)
		}
		out = append(out, append([]byte(nil), buf[:k]...))
	}
	return out
}

func withChecksum(t *testing.T, spec string, p []byte) []byte {
	t.Helper()
	c, order, err := checksum.Lookup(spec)
	if err != nil {
		t.Fatal(err)
	}
	return c.Append(append([]byte(nil), p...), order)
}

// udp send --library --message: the message's payload, mode, checksum,
// repeat interval and destination, byte-exact at a socket of the test; the
// name is found regardless of case.
func TestLibraryUDPSend(t *testing.T) {
	catcher, to := udpCatcher(t)
	lib := testLibrary(t, to, "127.0.0.1:9")
	code, out, errOut := run(t, nil, "udp", "send", "--library", lib, "--message", "ping", "--repeat", "3")
	if code != 0 {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	got := readDatagrams(t, catcher, 3)
	for i, g := range got {
		want := withChecksum(t, "crc16-modbus", []byte(fmt.Sprintf("PING %d\r\n", i+1)))
		if !bytes.Equal(g, want) {
			t.Errorf("datagram %d: % x, want % x", i+1, g, want)
		}
	}
	if n := strings.Count(out, "SEND udp ["+to+"]"); n != 3 {
		t.Errorf("want 3 SEND lines to %s:\n%s", to, out)
	}
}

// A flag given on the command line wins over the message's setting: the
// charset, the destination, the checksum's byte order, the mode.
func TestLibraryExplicitFlagsWin(t *testing.T) {
	catcher, to := udpCatcher(t)
	lib := testLibrary(t, "127.0.0.1:9", "127.0.0.1:9")
	for _, tc := range []struct {
		args []string
		want []byte
	}{
		{[]string{"--message", "你好"}, []byte{0xc4, 0xe3, 0xba, 0xc3}},
		{[]string{"--message", "你好", "--charset", "utf-8"}, []byte("你好")},
		{[]string{"--message", "Read coils"}, withChecksum(t, "crc16-modbus:be", []byte{1, 1, 0, 0, 0, 8})},
		{[]string{"--message", "Read coils", "--checksum-order", "little"}, withChecksum(t, "crc16-modbus:le", []byte{1, 1, 0, 0, 0, 8})},
		{[]string{"--message", "Read coils", "--checksum", "sum8"}, withChecksum(t, "sum8", []byte{1, 1, 0, 0, 0, 8})},
		{[]string{"--message", "Ping", "--escapes=false"}, withChecksum(t, "crc16-modbus", []byte(`PING 1\r\n`))},
	} {
		args := append([]string{"udp", "send", "--library", lib, "--to", to}, tc.args...)
		if code, _, errOut := run(t, nil, args...); code != 0 {
			t.Fatalf("%q: exit %d, %q", tc.args, code, errOut)
		}
		if got := readDatagrams(t, catcher, 1)[0]; !bytes.Equal(got, tc.want) {
			t.Errorf("%q: sent % x, want % x", tc.args, got, tc.want)
		}
	}
}

// acceptOne accepts one connection on a listener of the test's own and
// returns the first n bytes it sends; the connection is closed afterwards.
func acceptOne(t *testing.T, ln net.Listener, n int) <-chan []byte {
	got := make(chan []byte, 1)
	go func() {
		defer close(got)
		ln.(*net.TCPListener).SetDeadline(time.Now().Add(waitLimit))
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(waitLimit))
		buf := make([]byte, n)
		k, _ := io.ReadFull(c, buf)
		got <- buf[:k]
	}()
	return got
}

func tcpListener(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// tcp connect --library --message: the message to its own destination,
// byte-exact with its checksum; a tls message turns TLS on (a ClientHello
// arrives) unless --tls=false says otherwise.
func TestLibraryTCPConnect(t *testing.T) {
	ln := tcpListener(t)
	lib := testLibrary(t, "127.0.0.1:9", ln.Addr().String())
	want := withChecksum(t, "crc16-modbus:be", []byte{1, 1, 0, 0, 0, 8})
	got := acceptOne(t, ln, len(want))
	code, out, errOut := run(t, nil, "tcp", "connect", "--library", lib, "--message", "READ COILS", "--timeout", "5s")
	if code != 0 {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	if g := <-got; !bytes.Equal(g, want) {
		t.Errorf("received % x, want % x", g, want)
	}
	if !strings.Contains(out, "SEND tcp ["+ln.Addr().String()+"] 8 B") {
		t.Errorf("output:\n%s", out)
	}

	got = acceptOne(t, ln, 1)
	code, _, _ = run(t, nil, "tcp", "connect", "--library", lib, "--message", "Secure", "--connect-timeout", "5s")
	if g := <-got; len(g) != 1 || g[0] != 0x16 {
		t.Errorf("a tls message should start a TLS handshake (0x16), the server got % x", g)
	}
	if code != 1 {
		t.Errorf("a TLS handshake with a plain server: want exit 1, got %d", code)
	}

	got = acceptOne(t, ln, 5)
	if code, _, errOut := run(t, nil, "tcp", "connect", "--library", lib, "--message", "Secure", "--tls=false", "--timeout", "5s"); code != 0 {
		t.Errorf("--tls=false: exit %d, %q", code, errOut)
	}
	if g := <-got; string(g) != "hello" {
		t.Errorf("--tls=false: the server got %q", g)
	}
}

// gen --library --message: every message sent is the library's, numbered,
// with its checksum, at the rate of its repeat interval (20 ms: 50 msg/s).
func TestLibraryGen(t *testing.T) {
	catcher, to := udpCatcher(t)
	lib := testLibrary(t, to, "127.0.0.1:9")
	code, out, errOut := run(t, nil, "gen", "udp", "--library", lib, "--message", "Ping", "--count", "5")
	if code != 0 {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	for i, g := range readDatagrams(t, catcher, 5) {
		if want := withChecksum(t, "crc16-modbus", []byte(fmt.Sprintf("PING %d\r\n", i+1))); !bytes.Equal(g, want) {
			t.Errorf("message %d: % x, want % x", i+1, g, want)
		}
	}
	if !strings.HasPrefix(out, "sent 5 messages, 50 bytes") || !strings.Contains(out, "(target: 50 msg/s)") {
		t.Errorf("summary %q", out)
	}
	// --rate given wins; the address given wins.
	other, otherTo := udpCatcher(t)
	if code, out, errOut := run(t, nil, "gen", "udp", otherTo, "--library", lib, "--message", "Ping", "--count", "2", "--rate", "0"); code != 0 ||
		!strings.Contains(out, "(target: as fast as possible)") {
		t.Fatalf("exit %d, %q, %q", code, out, errOut)
	}
	readDatagrams(t, other, 2)
}

// A Packet Sender export as its Export Packets (JSON) writes it (keys sorted,
// numbers as strings, the list back to front), with what Sockdesk cannot
// carry over.
const packetSenderSample = `[
    {
        "asciistring": "",
        "errorstring": "",
        "fromip": "You",
        "fromport": "6000",
        "hexstring": "68 65 6C 6C 6F 20 74 63 70 ",
        "name": "TCP hello",
        "port": "7000",
        "repeat": 0,
        "requestpath": "",
        "sendresponse": "0",
        "tcporudp": "TCP",
        "toip": "127.0.0.1"
    },
    {
        "asciistring": "",
        "errorstring": "",
        "fromip": "You",
        "fromport": "0",
        "hexstring": "48 65 6C 6C 6F ",
        "name": "Hello",
        "port": "5000",
        "repeat": 1.5,
        "requestpath": "",
        "sendresponse": "0",
        "tcporudp": "UDP",
        "toip": "192.168.1.50"
    },
    {
        "hexstring": "01 02 ",
        "name": "",
        "port": "5684",
        "repeat": 0,
        "tcporudp": "DTLS",
        "toip": "10.0.0.9"
    }
]`

// Importing a Packet Sender export: each message added, every note printed,
// the library written; importing a changed copy clashes, and nothing happens
// without --on-clash; rename and replace then do what they say.
func TestLibraryImportPacketSender(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, dir, "packets.json", packetSenderSample)
	lib := filepath.Join(dir, "mine.json")
	code, out, errOut := run(t, nil, "library", "import", src, "--into", lib)
	if code != 0 {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	// Packet Sender lists the newest first: the library gets them in the order
	// they were made. Notes count entries in the file, from 0.
	want := []string{
		`added "Packet Sender 3"`,
		`added "Hello"`,
		`added "TCP hello"`,
		`note [0] "TCP hello" fromport = "6000": not carried over: ...`,
		`note [2] "Packet Sender 3" name: the packet has no name: named "Packet Sender 3"`,
		`note [2] "Packet Sender 3" tcporudp = "DTLS": not carried over: ...`,
		`created ` + lib + `: 3 added, 0 replaced, 0 renamed, 0 kept, 0 unchanged; 3 notes on what was not carried over or was changed`,
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("output:\n%s\nwant %d lines", out, len(want))
	}
	for i, w := range want {
		if prefix, ok := strings.CutSuffix(w, "..."); ok && strings.HasPrefix(lines[i], prefix) || lines[i] == w {
			continue
		}
		t.Errorf("line %d: %q\nwant       %q", i+1, lines[i], w)
	}
	l, err := library.Load(lib, libraryChecker)
	if err != nil {
		t.Fatal(err)
	}
	hello, _ := l.Find("hello")
	if hello.Mode != library.ModeHex || hello.Payload != "48 65 6C 6C 6F" || hello.Destination != "192.168.1.50:5000" ||
		hello.Protocol != library.UDP || hello.Repeat != 1500*time.Millisecond {
		t.Errorf("Hello imported as %+v", hello)
	}

	// The library lists what came in.
	code, out, _ = run(t, nil, "library", "list", lib)
	if code != 0 || !strings.Contains(out, `"Hello": hex "48 65 6C 6C 6F", udp to 192.168.1.50:5000, every 1.5s`) {
		t.Errorf("list: exit %d\n%s", code, out)
	}

	// The same export again: nothing changes, and the file is not rewritten.
	before, _ := os.ReadFile(lib)
	if code, out, _ := run(t, nil, "library", "import", src, "--into", lib); code != 0 || !strings.Contains(out, "0 added, 0 replaced, 0 renamed, 0 kept, 3 unchanged") {
		t.Errorf("import again: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(lib + ".bak"); err == nil {
		t.Errorf("an import that changed nothing wrote the library (there is a .bak)")
	}

	changed := writeFile(t, dir, "changed.json", strings.Replace(packetSenderSample, `"port": "5000"`, `"port": "5001"`, 1))
	expectUsageError(t, []string{"library", "import", changed, "--into", lib},
		`--on-clash: missing; 1 incoming messages have the name of a different message of `+lib+` ("Hello"): choose keep, replace or rename; nothing was imported`)
	if after, _ := os.ReadFile(lib); !bytes.Equal(before, after) {
		t.Errorf("a refused import changed the library")
	}
	if code, out, _ := run(t, nil, "library", "import", changed, "--into", lib, "--on-clash", "rename"); code != 0 ||
		!strings.Contains(out, `renamed "Hello" to "Hello (2)"`) {
		t.Errorf("rename: exit %d\n%s", code, out)
	}
	if code, out, _ := run(t, nil, "library", "import", changed, "--into", lib, "--on-clash", "replace", "--json"); code != 0 ||
		!strings.Contains(out, `{"event":"replaced","name":"Hello"}`) || !strings.Contains(out, `"event":"note","name":"TCP hello","index":0,"field":"fromport","value":"6000"`) {
		t.Errorf("replace --json: exit %d\n%s", code, out)
	}
	l, _ = library.Load(lib, libraryChecker)
	if h, _ := l.Find("Hello"); h.Destination != "192.168.1.50:5001" || l.Len() != 4 {
		t.Errorf("after replace: Hello %+v, %d messages", h, l.Len())
	}
	if _, err := os.Stat(lib + ".bak"); err != nil {
		t.Errorf("the previous version should be kept: %v", err)
	}
}

// Export a group, import it into another library: the same messages.
func TestLibraryExportGroupRoundTrip(t *testing.T) {
	lib := testLibrary(t, "127.0.0.1:9", "127.0.0.1:9")
	dir := t.TempDir()
	out := filepath.Join(dir, "modbus.json")
	code, stdout, errOut := run(t, nil, "library", "export", lib, "--group", "modbus", "--out", out)
	if code != 0 || stdout != fmt.Sprintf("exported 1 messages of group %q of %s to %s\n", "modbus", lib, out) {
		t.Fatalf("exit %d, %q, %q", code, stdout, errOut)
	}
	code, stdout, _ = run(t, nil, "library", "list", out, "--json")
	var m messageJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &m) != nil || m.Name != "Read coils" || m.Checksum != "crc16-modbus:be" || m.Note != "slave 1" {
		t.Errorf("list --json of the export: exit %d, %q", code, stdout)
	}
	other := filepath.Join(dir, "other.json")
	if code, _, errOut := run(t, nil, "library", "import", out, "--into", other); code != 0 {
		t.Fatalf("import: exit %d, %q", code, errOut)
	}
	a, _ := library.Load(lib, libraryChecker)
	b, err := library.Load(other, libraryChecker)
	if err != nil || b.Len() != 1 || b.Messages()[0] != a.InGroup("Modbus")[0] {
		t.Errorf("round trip: %v, %+v", err, b)
	}
	// --group "": the messages in no group.
	if code, stdout, _ := run(t, nil, "library", "list", lib, "--group", ""); code != 0 || strings.Count(stdout, "\n") != 3 {
		t.Errorf("--group \"\": exit %d\n%s", code, stdout)
	}
}

// Every problem of a damaged file is a line of its own naming the file and the
// JSON path; status 2.
func TestLibraryBadFileEveryProblem(t *testing.T) {
	bad := writeFile(t, t.TempDir(), "bad.json", `{"format": "sockdesk-library", "version": 1, "messages": [
  {"name": "a", "mode": "bin", "payload": ""},
  {"name": "b", "mode": "text", "payload": "x", "charset": "gbk2", "paylaod": 1}
]}`)
	code, out, errOut := run(t, nil, "udp", "send", "--library", bad, "--message", "a", "--to", "127.0.0.1:9")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	want := []string{
		`sockdesk: --library: ` + bad + `: messages[0].mode: "bin" is not text, escapes or hex`,
		`sockdesk: --library: ` + bad + `: messages[1].paylaod: not a field of a message (known: ...`,
		`sockdesk: --library: ` + bad + `: messages[1].charset: unknown charset "gbk2" (known: ...`,
	}
	if len(lines) != len(want) {
		t.Fatalf("stderr:\n%s", errOut)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], strings.TrimSuffix(w, "...")) {
			t.Errorf("line %d: %q\nwant      %q", i+1, lines[i], w)
		}
	}
}

// Bad usage and bad files with --library, --message and the library
// commands: status 2, one line saying what and where.
func TestLibraryBadInput(t *testing.T) {
	dir := t.TempDir()
	lib := testLibrary(t, "127.0.0.1:9", "127.0.0.1:9")
	noDest := writeFile(t, dir, "nodest.json", `{"format": "sockdesk-library", "version": 1, "messages": [{"name": "x", "mode": "text", "payload": "x"}]}`)
	missing := filepath.Join(dir, "missing.json")
	truncated := writeFile(t, dir, "truncated.json", "{\"format\": \"sockdesk-library\", \"version\": 1, \"messages\": [\n  {\"name\": \"a\", \"mo")
	newer := writeFile(t, dir, "newer.json", `{"format": "sockdesk-library", "version": 2, "messages": []}`)
	notList := writeFile(t, dir, "str.json", `"hello"`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"udp", "send", "--library", missing, "--message", "x", "--to", "127.0.0.1:9"}, "--library: " + missing + ": cannot open: no such file or directory"},
		{[]string{"tcp", "connect", "--library", missing, "--message", "x"}, "--library: " + missing + ": cannot open: no such file or directory"},
		{[]string{"gen", "udp", "--library", missing, "--message", "x", "--count", "1"}, "--library: " + missing + ": cannot open: no such file or directory"},
		{[]string{"udp", "send", "--library", truncated, "--message", "x"}, "--library: " + truncated + ":2:20: messages[0]: the file ends in the middle of the document: it is truncated or damaged"},
		{[]string{"udp", "send", "--library", newer, "--message", "x"}, "--library: " + newer + ": version: version 2 was written by a newer Sockdesk, which this one (version 1) cannot read safely: update Sockdesk"},
		{[]string{"udp", "send", "--library", lib, "--message", "Nope"}, `--message: no message "Nope" in ` + lib + ` ("sockdesk library list ` + lib + `" lists them)`},
		{[]string{"tcp", "connect", "--library", lib, "--message", "Nope"}, `--message: no message "Nope" in ` + lib + ` ("sockdesk library list ` + lib + `" lists them)`},
		{[]string{"gen", "tcp", "--library", lib, "--message", "Nope", "--count", "1"}, `--message: no message "Nope" in ` + lib + ` ("sockdesk library list ` + lib + `" lists them)`},
		{[]string{"udp", "send", "--message", "Ping", "--to", "127.0.0.1:9"}, "--message: needs --library FILE (the library the message is in)"},
		{[]string{"udp", "send", "--library", lib, "--to", "127.0.0.1:9", "x"}, "--library: needs --message NAME (the message to send)"},
		{[]string{"udp", "send", "--library", lib, "--message", "Ping", "hello"}, `unexpected argument "hello" (--message sends the library's message instead of a MESSAGE)`},
		{[]string{"udp", "send", "--library", lib, "--message", "Ping", "--file", lib}, "--file: cannot be used with --message"},
		{[]string{"tcp", "connect", "--library", lib, "--message", "Read coils", "--send", "x"}, "--send: cannot be used with --message"},
		{[]string{"gen", "udp", "127.0.0.1:9", "hello", "--library", lib, "--message", "Ping", "--count", "1"}, `unexpected argument "hello" (--message sends the library's message instead of a MESSAGE)`},
		{[]string{"udp", "send", "--library", noDest, "--message", "x"}, `--to: missing; give the destination HOST:PORT (--message "x" has none)`},
		{[]string{"tcp", "connect", "--library", noDest, "--message", "x"}, `HOST:PORT: missing; give the address to connect to (--message "x" has no destination)`},
		{[]string{"udp", "send", "--library", lib, "--message", "Read coils"}, `--to: missing, and --message "Read coils" is a tcp message: its destination 127.0.0.1:9 is not for udp; give --to`},
		{[]string{"tcp", "connect", "--library", lib, "--message", "Ping"}, `HOST:PORT: missing, and --message "Ping" is a udp message: its destination 127.0.0.1:9 is not for tcp; give HOST:PORT`},
		{[]string{"gen", "tcp", "--library", lib, "--message", "Secure", "--count", "1"}, `HOST:PORT: missing, and --message "Secure" is a tls message: its destination 127.0.0.1:9 is not for tcp; give HOST:PORT`},
		{[]string{"udp", "send", "--library", lib, "--message", "Bad hex", "--to", "127.0.0.1:9"}, `--message "Bad hex": hex: invalid character "g" at position 5`},
		{[]string{"gen", "udp", "127.0.0.1:9", "--library", lib, "--message", "bad HEX", "--count", "1"}, `--message "Bad hex": hex: invalid character "g" at position 5`},

		{[]string{"library", "list"}, "FILE: missing; give the library file to list"},
		{[]string{"library", "list", missing}, missing + ": cannot open: no such file or directory"},
		{[]string{"library", "list", lib, "--group", "Nope"}, `--group: no message of ` + lib + ` is in group "Nope" (its groups: "Probe", "Modbus")`},
		{[]string{"library", "list", notList}, notList + `: want an object, found a string`},
		{[]string{"library", "import", lib}, "--into: missing; give the library file to import into (created if missing)"},
		{[]string{"library", "import", "--into", lib}, "SRC: missing; give the file to import (a Sockdesk library or a Packet Sender export)"},
		{[]string{"library", "import", missing, "--into", lib}, missing + ": cannot open: no such file or directory"},
		{[]string{"library", "import", notList, "--into", lib}, notList + `: found string: neither a Sockdesk library (an object) nor a Packet Sender export (a list)`},
		{[]string{"library", "import", lib, "--into", truncated}, "--into: " + truncated + ":2:20: messages[0]: the file ends in the middle of the document: it is truncated or damaged"},
		{[]string{"library", "import", lib, "--into", lib, "--from", "csv"}, `--from: "csv" is not sockdesk or packetsender`},
		{[]string{"library", "import", lib, "--into", lib, "--on-clash", "merge"}, `--on-clash: "merge" is not keep, replace or rename`},
		{[]string{"library", "import", lib, "--into", missing, "--from", "packetsender"}, lib + `: ...`},
		{[]string{"library", "export", lib}, "--out: missing; give the file to export to"},
		{[]string{"library", "export", lib, "--out", lib}, "--out: " + lib + " is the library itself; export to another file"},
		{[]string{"library", "export", missing, "--out", filepath.Join(dir, "o.json")}, missing + ": cannot open: no such file or directory"},
		{[]string{"library", "export", lib, "--group", "x", "--out", filepath.Join(dir, "o.json")}, `--group: no message of ` + lib + ` is in group "x" (its groups: "Probe", "Modbus")`},
	} {
		name := strings.Join(tc.args, " ")
		t.Run(name, func(t *testing.T) {
			expectUsageError(t, tc.args, tc.want)
		})
	}
	if code, _, errOut := run(t, nil, "library"); code != 2 ||
		!strings.HasPrefix(errOut, `sockdesk: library: missing sub-command; use "library list", "library import" or "library export"`) {
		t.Errorf("library alone: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("a refused import created %s", missing)
	}
	if _, err := os.Stat(filepath.Join(dir, "o.json")); err == nil {
		t.Errorf("a refused export wrote its file")
	}
}
