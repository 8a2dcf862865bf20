package cli

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/pcapngtest"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// readPcap reads a --pcap file back, checksums verified.
func readPcap(t *testing.T, path string) *pcapngtest.File {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := pcapngtest.Parse(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !strings.HasPrefix(f.Comment, pcapng.ReconstructedComment) {
		t.Errorf("%s: the comment does not say the packets are reconstructed: %q", path, f.Comment)
	}
	for i, p := range f.Packets {
		if !p.ChecksumsOK {
			t.Errorf("%s: packet %d: a checksum does not verify", path, i)
		}
	}
	return f
}

// A datagram and its echo, each side writing its own pcapng file: each file
// holds the two datagrams as that socket saw them, and tshark reads them.
func TestUDPExchangeWithPcap(t *testing.T) {
	dir := t.TempDir()
	listenFile, sendFile := filepath.Join(dir, "listen.pcapng"), filepath.Join(dir, "send.pcapng")
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--echo", "--json", "--pcap", listenFile)
	port := l.waitPort()
	code, _, errOut := run(t, nil, "udp", "send", "--to", addr("127.0.0.1", port), "--count", "1", "--wait", "5s", "--pcap", sendFile, "ping from sockdesk")
	if code != 0 {
		t.Fatalf("udp send: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(listenFile); err == nil {
		t.Errorf("%s exists while the listener runs: it must appear whole, when the command ends", listenFile)
	}
	l.waitEvents("the echo", 1, is("sent"))
	if code := l.stop(); code != 0 {
		t.Fatalf("udp listen: exit %d, stderr %q", code, l.stderr)
	}

	listener := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
	for _, c := range []struct {
		path string
		want []string // source > destination: payload
	}{
		{listenFile, []string{"peer>" + listener.String() + ": ping from sockdesk", listener.String() + ">peer: ping from sockdesk"}},
		{sendFile, []string{"peer>" + listener.String() + ": ping from sockdesk", listener.String() + ">peer: ping from sockdesk"}},
	} {
		f := readPcap(t, c.path)
		if !strings.Contains(f.Comment, "Written by sockdesk udp ") {
			t.Errorf("%s: comment %q does not name the command", c.path, f.Comment)
		}
		var got []string
		for _, p := range f.Packets {
			src, dst := p.Src.String(), p.Dst.String()
			if p.Src != listener {
				src = "peer"
			}
			if p.Dst != listener {
				dst = "peer"
			}
			got = append(got, src+">"+dst+": "+string(p.Payload))
			if p.Proto != 17 || p.Src.Addr() != listener.Addr() || p.Dst.Addr() != listener.Addr() {
				t.Errorf("%s: %v>%v protocol %d", c.path, p.Src, p.Dst, p.Proto)
			}
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s holds\n%s\nwant\n%s", c.path, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}

	t.Run("tshark", func(t *testing.T) {
		for _, path := range []string{listenFile, sendFile} {
			listing := strings.Split(strings.TrimSpace(pcapngtest.Tshark(t, "-r", path)), "\n")
			if len(listing) != 2 || !strings.Contains(listing[0], "UDP") {
				t.Errorf("tshark -r %s lists:\n%s", path, strings.Join(listing, "\n"))
			}
			payloads := strings.Fields(pcapngtest.Tshark(t, "-r", path, "-T", "fields", "-e", "udp.payload"))
			hex := "70696e672066726f6d20736f636b6465736b" // "ping from sockdesk"
			if strings.Join(payloads, " ") != hex+" "+hex {
				t.Errorf("tshark reads the payloads of %s as %q", path, payloads)
			}
		}
	})
}

const page = "<html><body>Sockdesk sees the layers.</body></html>\n"

// An HTTP fetch with tcp connect --pcap: the file holds the connection from
// the handshake to the close the server began, the stream Wireshark
// reassembles is the request and the response, and tshark decodes the
// request. --json carries tcpinfo on the connected and closed events.
func TestHTTPFetchWithPcap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	server := netip.MustParseAddrPort(srv.Listener.Addr().String())
	file := filepath.Join(t.TempDir(), "fetch.pcapng")
	request := `GET /layers/index.html HTTP/1.1\r\nHost: ` + server.String() + `\r\nUser-Agent: sockdesk-cli-test\r\nConnection: close\r\n\r\n`
	c := start(t, nil, "tcp", "connect", server.String(), "--escapes", "--send", request, "--json", "--pcap", file)
	if code := c.wait(); code != 0 {
		t.Fatalf("tcp connect: exit %d, stderr %q", code, c.stderr)
	}
	var response string
	for _, e := range filter(c.events(), is("received")) {
		response += e.Text
	}
	if !strings.HasSuffix(response, page) {
		t.Fatalf("received %q", response)
	}

	f := readPcap(t, file)
	streams, err := f.TCPStreams()
	if err != nil {
		t.Fatal(err)
	}
	if len(streams) != 1 || streams[0].Ends[1] != server {
		t.Fatalf("streams %+v, want one to %v", streams, server)
	}
	s := streams[0]
	wantRequest := strings.NewReplacer(`\r\n`, "\r\n").Replace(request)
	if string(s.Sent[0]) != wantRequest || string(s.Sent[1]) != response {
		t.Errorf("the stream carries\n%q\n%q\nwant\n%q\n%q", s.Sent[0], s.Sent[1], wantRequest, response)
	}
	// tcp connect connected; the server closed first (Connection: close).
	if flags := strings.Join(s.Flags, " "); !strings.HasPrefix(flags, "0:S 1:SA 0:A 0:PA ") || !strings.HasSuffix(flags, " 1:FA 0:A 0:FA 1:A") {
		t.Errorf("segments %s", flags)
	}

	// The connected and closed events carry what the socket API measured and,
	// on Linux, TCP_INFO.
	for _, line := range c.stdout.lines() {
		var e struct {
			Event   string
			TCPInfo *struct {
				ConnectUS *int64 `json:"connect_us"`
				State     string
				SndMSS    int `json:"snd_mss"`
				Error     string
			} `json:"tcpinfo"`
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		switch ti := e.TCPInfo; {
		case e.Event != "connected" && e.Event != "closed":
			if ti != nil {
				t.Errorf("%s event with tcpinfo: %s", e.Event, line)
			}
		case ti == nil:
			t.Errorf("%s event without tcpinfo: %s", e.Event, line)
		case (e.Event == "connected") != (ti.ConnectUS != nil):
			t.Errorf("connect_us on the connected event only: %s", line)
		case runtime.GOOS == "linux" && (ti.SndMSS <= 0 || ti.State == ""):
			t.Errorf("no TCP_INFO on Linux: %s", line)
		case runtime.GOOS != "linux" && ti.Error == "":
			t.Errorf("no TCP_INFO and no reason: %s", line)
		}
	}

	t.Run("tshark", func(t *testing.T) {
		listing := strings.Split(strings.TrimSpace(pcapngtest.Tshark(t, "-r", file)), "\n")
		if len(listing) != len(f.Packets) {
			t.Errorf("tshark lists %d packets, the file holds %d:\n%s", len(listing), len(f.Packets), strings.Join(listing, "\n"))
		}
		asHTTP := []string{"-r", file, "-d", "tcp.port==" + strconv.Itoa(int(server.Port())) + ",http"}
		req := strings.Fields(pcapngtest.Tshark(t, append(asHTTP, "-Y", "http.request", "-T", "fields",
			"-e", "http.request.method", "-e", "http.request.uri", "-e", "http.user_agent")...))
		if strings.Join(req, " ") != "GET /layers/index.html sockdesk-cli-test" {
			t.Errorf("tshark decodes the request as %q", req)
		}
		resp := strings.Fields(pcapngtest.Tshark(t, append(asHTTP, "-Y", "http.response", "-T", "fields", "-e", "http.response.code")...))
		if strings.Join(resp, " ") != "200" {
			t.Errorf("tshark decodes the response as %q", resp)
		}
	})
}

// --anatomy draws each message under its line: every layer, where each
// field's value came from, the hex map. The TCP line shows TCP_INFO.
func TestAnatomyAndTCPInfoLines(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "1")
	port := l.waitPort()
	code, out, errOut := run(t, nil, "udp", "send", "--to", addr("127.0.0.1", port), "--from", "127.0.0.1:0", "--anatomy", "hello")
	if code != 0 {
		t.Fatalf("udp send: exit %d, stderr %q", code, errOut)
	}
	l.wait()
	for _, want := range []string{
		"SEND udp [127.0.0.1:" + strconv.Itoa(port) + "] 5 B: hello\n    Anatomy: ",
		"    Frame: 47 bytes (loopback)\n",
		"    E Ethernet II, bytes 0-13 (14)\n      Loopback: this frame never reaches a wire.",
		"    I IPv4, bytes 14-33 (20)\n",
		"reconstructed\n", // the TTL of a datagram sent
		"    U UDP, bytes 34-41 (8)\n",
		"    A Application data, bytes 42-46 (5)\n",
		"    0020  00 01 ",
		"          I  I  U  U ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the anatomy lacks %q:\n%s", want, out)
		}
	}

	// An echo that answers a moment later: the client's sent event is then
	// surely drawn before the echo (--anatomy draws in the order events are
	// shown, and a reply's event may overtake its request's; see netio.Event).
	to := slowEcho(t)
	c := start(t, nil, "tcp", "connect", to, "--send", "hi", "--count", "1", "--anatomy")
	if code := c.wait(); code != 0 {
		t.Fatalf("tcp connect: exit %d, stderr %q", code, c.stderr)
	}
	out = c.stdout.String()
	lines := strings.Split(out, "\n")
	if len(lines) < 2 || !strings.Contains(lines[0], " OPEN tcp ["+to+"] connected") || !strings.HasPrefix(lines[1], "  TCP: connect took ") {
		t.Fatalf("the connected line and its TCP line:\n%s", out)
	}
	if runtime.GOOS == "linux" && !strings.Contains(lines[1], "; TCP_INFO: ESTABLISHED, RTT ") {
		t.Errorf("no TCP_INFO on Linux: %q", lines[1])
	}
	if !strings.Contains(out, "closed here\n  TCP: ") {
		t.Errorf("no TCP line under the close:\n%s", out)
	}
	// The echo acknowledges the 2 bytes sent: relative numbers, from 1.
	for _, want := range []string{
		"sequence number          1 ",
		"acknowledgement number   3 ",
		"T TCP, bytes 34-53 (20)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the anatomy lacks %q:\n%s", want, out)
		}
	}
}

func TestLayersUsageErrors(t *testing.T) {
	expectUsageError(t, []string{"udp", "send", "--to", "127.0.0.1:9", "--anatomy", "--json", "x"}, "--anatomy: draws frames as text; it cannot be used with --json")
	expectUsageError(t, []string{"tcp", "serve", "--port", "0", "--anatomy", "--quiet"}, "--anatomy: --quiet shows no message to draw")
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "x.pcapng")
	expectUsageError(t, []string{"udp", "listen", "--port", "0", "--pcap", missing}, `--pcap: cannot write "`+missing+`": ...`)
}

// slowEcho serves one TCP connection on loopback: it reads, waits 100 ms, and
// writes back what it read. It ends with the test.
func slowEcho(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(waitLimit))
		buf := make([]byte, 64)
		n, err := conn.Read(buf)
		if err != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
		conn.Write(buf[:n])
		io.Copy(io.Discard, conn) // until the client closes
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().String()
}
