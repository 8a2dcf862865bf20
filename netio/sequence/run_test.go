package sequence

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/selfsigned"
)

// A whole conversation with a line-protocol device: login (skipping the
// banner), a reading whose groups become variables, an acknowledgement that
// uses them, a quiet period, three numbered pings, and a goodbye the device
// ends by closing. --var overrides the file's vars.
func TestLineProtocolConversation(t *testing.T) {
	addr := startPeer(t, lineServer)
	src := `name: line device
connect: tcp://` + addr + `
frame: line
timeout: 2s
vars: {user: nobody}
steps:
  - send: "LOGIN {user}\r\n"
  - expect: OK
    skip: true
  - send: 'READ\r\n'
  - expect_re: 'T=(?P<temp>[0-9.]+) H=(?P<hum>\d+)'
    timeout: 500ms
  - send: "ACK {temp}/{hum}\r\n"
    name: acknowledge
  - expect: "ACKED 21.5/40"
  - expect_not: ERR
    within: 50ms
  - wait: 10ms
  - repeat: 3
    steps:
      - send: "PING {counter}\r\n"
      - expect: "PONG {counter}"
  - send: "BYE\r\n"
  - expect: BYE
  - expect_closed: true
`
	rep, seen := runFile(t, src, map[string]string{"user": "admin"})
	if !rep.Passed() {
		t.Fatalf("failed:\n%s", describe(rep))
	}
	if len(rep.Results) != 18 || len(seen) != 18 {
		t.Fatalf("%d results, %d seen, want 18:\n%s", len(rep.Results), len(seen), describe(rep))
	}
	want := map[int]string{
		0:  "connected to " + addr,
		1:  `sent "LOGIN admin\r\n"`,
		2:  `got "OK\r\n"`,
		4:  `got "T=21.5 H=40\r\n"`,
		5:  `sent "ACK 21.5/40\r\n"`,
		7:  `nothing containing "ERR" for 50ms`,
		8:  "waited 10ms",
		14: `got "PONG 3\r\n"`,
		17: "the connection closed (peer closed)",
	}
	for i, w := range want {
		if !strings.Contains(rep.Results[i].Detail, w) {
			t.Errorf("result %d %s: detail %q lacks %q", i, rep.Results[i].Name(), rep.Results[i].Detail, w)
		}
	}
	if got := rep.Results[2].Received; len(got) != 2 || got[0] != `"WELCOME\r\n"` {
		t.Errorf("skip: received %q, want the banner then OK", got)
	}
	if n := rep.Results[14].Name(); n != `step 9.2 (line 22) expect "PONG {counter}" [round 3]` {
		t.Errorf("name of a repeated step: %s", n)
	}
	if n := rep.Results[5].Name(); n != `step 5 (line 13) "acknowledge": send "ACK {temp}/{hum}\r\n"` {
		t.Errorf("name of a named step: %s", n)
	}
}

// Every way a step fails says which step, its line, what was expected and
// what came instead, with the messages received while waiting; the steps after
// it are reported as skipped.
func TestFailingSteps(t *testing.T) {
	line := startPeer(t, lineServer)
	late := startPeer(t, lateServer(300*time.Millisecond))
	refused := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}()
	head := func(addr string) string { return "connect: tcp://" + addr + "\nframe: line\ntimeout: 1s\nsteps:\n" }
	tests := []struct {
		name      string
		src       string
		line      int
		status    Status
		message   string
		received  []string
		remaining int // skipped results
	}{
		{"mismatch", head(line) + "  - send: \"LOGIN bob\\r\\n\"\n  - expect: OK\n  - send: x\n",
			6, Failed, `expected a message containing "OK", got "ERR denied\r\n"`, []string{`"ERR denied\r\n"`}, 1},
		{"no match among many", head(line) + "  - send: \"NOISE\\r\\n\"\n  - expect: NOPE\n    skip: true\n    timeout: 200ms\n",
			6, Failed, `expected a message containing "NOPE" (others skipped), got no matching message within 200ms`,
			[]string{`"tick 1\r\n"`, `"tick 2\r\n"`, `"tick 3\r\n"`, `"READY\r\n"`}, 0},
		{"answer too late", head(late) + "  - send: \"hello\\r\\n\"\n  - expect: LATE\n    timeout: 100ms\n  - expect: LATE\n",
			6, Failed, `expected a message containing "LATE", got nothing within 100ms`, nil, 1},
		{"regexp", head(line) + "  - send: \"READ\\r\\n\"\n  - expect_re: 'P=(\\d+)'\n",
			6, Failed, `expected a message matching /P=(\d+)/, got "T=21.5 H=40\r\n"`, []string{`"T=21.5 H=40\r\n"`}, 0},
		{"closed mid-sequence", head(line) + "  - send: \"LOGIN admin\\r\\n\"\n  - expect: OK\n    skip: true\n  - send: \"QUIT\\r\\n\"\n  - expect: OK\n  - send: \"READ\\r\\n\"\n",
			9, Failed, "expected a message containing \"OK\", got the connection closed (peer closed)", nil, 1},
		{"send after close", head(line) + "  - close: true\n  - send: \"READ\\r\\n\"\n",
			6, Failed, "could not send: the connection was closed by a close step", nil, 0},
		{"still open", head(line) + "  - expect_closed: true\n    timeout: 100ms\n",
			5, Failed, "expected the peer to close the connection within 100ms, got the connection still open after 100ms", nil, 0},
		{"expect_not sees it", head(line) + "  - send: \"NOISE\\r\\n\"\n  - expect_not: tick 2\n    within: 1s\n  - expect: tick 1\n",
			6, Failed, `expected no message containing "tick 2" for 1s, got "tick 2\r\n"`, []string{`"tick 1\r\n"`, `"tick 2\r\n"`}, 1},
		{"connect refused", head(refused) + "  - send: x\n  - repeat: 2\n    steps:\n      - expect: y\n",
			1, Failed, "connect", nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep, seen := runFile(t, tt.src, nil)
			f := rep.Failed
			if f == nil {
				t.Fatalf("passed:\n%s", describe(rep))
			}
			if f.Step.Line != tt.line || f.Status != tt.status || !strings.Contains(f.Message(), tt.message) {
				t.Errorf("failed at line %d (%s): %s\nwant line %d (%s): %s", f.Step.Line, f.Status, f.Message(), tt.line, tt.status, tt.message)
			}
			if tt.received != nil && strings.Join(f.Received, "|") != strings.Join(tt.received, "|") {
				t.Errorf("received while waiting %q, want %q", f.Received, tt.received)
			}
			if n := rep.Count(Skipped); n != tt.remaining {
				t.Errorf("%d skipped, want %d:\n%s", n, tt.remaining, describe(rep))
			}
			if len(seen) != len(rep.Results) {
				t.Errorf("OnStep saw %d results, the report has %d", len(seen), len(rep.Results))
			}
		})
	}
}

// Modbus TCP with modbus-tcp framing: each response is one message however the
// network cut it, matched as bytes; an exception response is matched too.
func TestModbusTCPResponder(t *testing.T) {
	addr := startPeer(t, modbusTCPServer)
	rep, _ := runFile(t, `connect: tcp://`+addr+`
frame: modbus-tcp
steps:
  - name: read 2 holding registers from 0
    send_hex: "00 01 00 00 00 06 01 03 00 00 00 02"
  - expect_hex: "00 01 00 00 00 07 01 03 04 00 0a 00 0b"
  - send_hex: "00 02 00 00 00 06 01 03 00 05 00 01"
  - expect_hex: "03 02 00 0f"
  - name: an unknown function is an exception
    send_hex: "00 03 00 00 00 02 01 2b"
  - expect_hex: "01 ab 01"
  - expect_hex: "00"
    timeout: 100ms
`, nil)
	f := rep.Failed
	if f == nil || f.Step.Number != "7" || f.Got != "nothing within 100ms" {
		t.Fatalf("want only the last step to fail (nothing more arrives):\n%s", describe(rep))
	}
	if d := rep.Results[2].Detail; d != "got 00 01 00 00 00 07 01 03 04 00 0a 00 0b" {
		t.Errorf("binary expect shows %q", d)
	}
}

// Modbus RTU over TCP with its CRC: appended by checksum: on sends, checked on
// expects, and expect_checksum: bad passes on a damaged reply and says so when
// the reply is good after all.
func TestModbusRTUChecksum(t *testing.T) {
	addr := startPeer(t, modbusRTUServer)
	rep, _ := runFile(t, `connect: tcp://`+addr+`
frame: fixed:9
steps:
  - send_hex: "01 03 00 00 00 02"
    checksum: crc16-modbus
  - expect_hex: "01 03 04 01 00 01 01"
    checksum: crc16-modbus
  - send_hex: "01 03 00 00 00 02 ff ff"
  - expect_checksum: bad
    checksum: crc16-modbus
  - send_hex: "01 03 00 00 00 02"
    checksum: crc16-modbus
  - expect_checksum: bad
    checksum: crc16-modbus
`, nil)
	f := rep.Failed
	if f == nil || f.Step.Number != "6" {
		t.Fatalf("want step 6 to fail:\n%s", describe(rep))
	}
	if want := "expected a message with a bad crc16-modbus checksum, got 01 03 04 01 00 01 01 "; !strings.HasPrefix(f.Message(), want) {
		t.Errorf("message %q, want it to start %q", f.Message(), want)
	}
	if d := rep.Results[1].Detail; d != "sent 01 03 00 00 00 02 c4 0b" {
		t.Errorf("send with checksum: %q", d)
	}
}

// listen: the sequence is the server; a client in the test drives it.
func TestListenForFirstClient(t *testing.T) {
	seq, err := Parse("sim.yaml", []byte(`listen: tcp://127.0.0.1:0
frame: line
connect_timeout: 5s
steps:
  - expect_re: '^HELLO (?P<who>\w+)'
  - send: "WELCOME {who}\r\n"
  - expect_closed: true
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	events := &lastEvents{}
	r := NewRunner(seq, Options{Sink: events})
	done := make(chan *Report, 1)
	go func() { done <- r.Run(context.Background()) }()
	var listening netio.Event
	deadline := time.Now().Add(5 * time.Second)
	for ok := false; !ok; listening, ok = events.find(netio.EventListening) {
		if time.Now().After(deadline) {
			t.Fatal("the sequence did not listen within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	c, err := net.Dial("tcp", listening.Local)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	c.Write([]byte("HELLO tester\r\n"))
	buf := make([]byte, len("WELCOME tester\r\n"))
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "WELCOME tester\r\n" {
		t.Fatalf("client read %q, %v", buf, err)
	}
	c.Close()
	rep := <-done
	if !rep.Passed() || len(rep.Results) != 4 || !strings.Contains(rep.Results[0].Detail, "client 127.0.0.1:") {
		t.Fatalf("listen run:\n%s", describe(rep))
	}
}

// listen: with no client within connect_timeout fails the connection step.
func TestListenNoClient(t *testing.T) {
	rep, _ := runFile(t, "listen: tcp://127.0.0.1:0\nconnect_timeout: 100ms\nsteps:\n  - expect: x\n", nil)
	f := rep.Failed
	if f == nil || f.Step.Kind != KindConnect || f.Step.Line != 1 || !strings.Contains(f.Got, "no client connected to 127.0.0.1:") || !strings.HasSuffix(f.Got, "within 100ms") {
		t.Fatalf("want the connection step to fail:\n%s", describe(rep))
	}
}

// UDP: each datagram is a message.
func TestUDPEcho(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(bytes.ToUpper(buf[:n]), from)
		}
	}()
	rep, _ := runFile(t, "connect: udp://"+pc.LocalAddr().String()+"\nsteps:\n  - repeat: 2\n    steps:\n      - send: 'ping {counter}'\n      - expect: 'PING {counter}'\n", nil)
	if !rep.Passed() || len(rep.Results) != 5 {
		t.Fatalf("udp run:\n%s", describe(rep))
	}
}

// Stop ends a run in the middle of a step: that step is Stopped, the rest are
// skipped, and Run returns at once.
func TestStop(t *testing.T) {
	addr := startPeer(t, lineServer)
	seq, err := Parse("t.yaml", []byte("connect: tcp://"+addr+"\nsteps:\n  - wait: 1h\n  - send: x\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRunner(seq, Options{})
	done := make(chan *Report, 1)
	go func() { done <- r.Run(context.Background()) }()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	r.Stop()
	rep := <-done
	if time.Since(start) > 2*time.Second {
		t.Errorf("Stop took %v", time.Since(start))
	}
	if f := rep.Failed; f == nil || f.Status != Stopped || f.Step.Line != 3 || rep.Count(Skipped) != 1 {
		t.Fatalf("after Stop:\n%s", describe(rep))
	}
	r.Stop() // again: nothing to do
}

// The JUnit file parses and lists each result as a test case.
func TestJUnit(t *testing.T) {
	addr := startPeer(t, lineServer)
	rep, _ := runFile(t, "connect: tcp://"+addr+"\nframe: line\nsteps:\n  - send: \"LOGIN bob\\r\\n\"\n  - expect: OK\n  - repeat: 2\n    steps:\n      - send: x\n", nil)
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Skipped  int    `xml:"skipped,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Line    int    `xml:"line,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Body    string `xml:",chardata"`
				} `xml:"failure"`
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("the JUnit file does not parse: %v\n%s", err, buf.String())
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d suites", len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Name != "test.yaml" || s.Tests != 4 || s.Failures != 1 || s.Skipped != 1 || len(s.Cases) != 4 {
		t.Fatalf("suite %+v\n%s", s, buf.String())
	}
	fail := s.Cases[2]
	if fail.Failure == nil || fail.Line != 5 || fail.Failure.Message != `expected a message containing "OK", got "ERR denied\r\n"` ||
		!strings.Contains(fail.Failure.Body, "test.yaml:5:5: step 2 (line 5) expect \"OK\": fail") {
		t.Errorf("failed case %+v", fail)
	}
	if s.Cases[3].Skipped == nil || !strings.HasPrefix(s.Cases[3].Name, "step 3.1 (line 8) send") {
		t.Errorf("skipped case %+v", s.Cases[3])
	}
}

// tls://: the certificate is checked against tls: ca:, and a server whose
// certificate does not verify fails the connection step, naming why.
func TestTLSConnect(t *testing.T) {
	pair, err := selfsigned.New(nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	srv := netio.NewTCPServer(netio.TCPServerConfig{Bind: "127.0.0.1:0", Echo: true, TLS: &netio.TLSServerOptions{Cert: &pair.Cert}})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	if err := pair.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	ca, _ := selfsigned.Files(dir)
	addr := srv.Addr().String()
	rep, _ := runFile(t, "connect: tls://"+addr+"\ntls: {ca: '"+ca+"'}\nframe: line\nsteps:\n  - send: \"secret\\n\"\n  - expect: secret\n", nil)
	if !rep.Passed() {
		t.Fatalf("with the CA:\n%s", describe(rep))
	}
	rep, _ = runFile(t, "connect: tls://"+addr+"\nsteps:\n  - send: x\n", nil)
	if f := rep.Failed; f == nil || f.Step.Kind != KindConnect || !strings.Contains(f.Got, "certificate") {
		t.Fatalf("without the CA:\n%s", describe(rep))
	}
}

// Options.Conn: the runner uses a connection the caller opened (as the app's
// session does), fed by the caller's endpoint through Runner.Emit, and leaves
// it open at the end.
func TestRunOverGivenConn(t *testing.T) {
	addr := startPeer(t, lineServer)
	seq, err := Parse("s.yaml", []byte("connect: tcp://ignored.invalid:1\nsteps:\n  - send: \"PING 7\\r\\n\"\n  - expect: PONG 7\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var cl *netio.TCPClient
	r := NewRunner(seq, Options{Conn: clientConn{&cl}})
	cl = netio.NewTCPClient(netio.TCPClientConfig{Addr: addr, Sink: r, Frame: seq.Frame})
	if err := cl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	rep := r.Run(context.Background())
	if !rep.Passed() || rep.Results[0].Detail != "using the connection given" {
		t.Fatalf("run:\n%s", describe(rep))
	}
	if err := cl.Send([]byte("PING 8\r\n")); err != nil {
		t.Errorf("the connection was closed by the run: %v", err)
	}
}

type clientConn struct{ c **netio.TCPClient }

func (c clientConn) Send(p []byte) error { return (*c.c).Send(p) }
func (c clientConn) Close() error        { return (*c.c).Close() }
