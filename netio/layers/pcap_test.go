package layers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/netiotest"
	"github.com/sockdesk/sockdesk/internal/pcapngtest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

const page = "<html><body>Sockdesk sees the layers.</body></html>\n"

// fetch makes an HTTP request over a netio.TCPClient to a real HTTP server
// on loopback, every event going to sink, and returns the request, what the
// client received, and the server's address.
func fetch(t *testing.T, sink netio.Sink) (request, response string, server netip.AddrPort) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	server = netip.MustParseAddrPort(srv.Listener.Addr().String())
	col := &netiotest.Collector{}
	cl := netio.NewTCPClient(netio.TCPClientConfig{Addr: server.String(), Sink: netio.Tee(sink, col)})
	if err := cl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	request = "GET /layers/index.html HTTP/1.1\r\nHost: " + server.String() + "\r\nUser-Agent: sockdesk-layers-test\r\nConnection: close\r\n\r\n"
	if err := cl.Send([]byte(request)); err != nil {
		t.Fatal(err)
	}
	col.WaitFor(t, "the server closing", netiotest.Kind(netio.EventClosed), 1)
	for _, e := range col.Events() {
		if e.Kind == netio.EventReceived {
			response += string(e.Data)
		}
	}
	if !strings.HasSuffix(response, page) {
		t.Fatalf("the client received %q", response)
	}
	return request, response, server
}

// exchange sends a datagram from a socket bound to any address to an echo
// socket on 127.0.0.1, both emitting to sink, and waits for the echo.
func exchange(t *testing.T, sink netio.Sink, msg string) (echo netip.AddrPort) {
	t.Helper()
	echoCol, senderCol := &netiotest.Collector{}, &netiotest.Collector{}
	e := netio.NewUDP(netio.UDPConfig{Bind: "127.0.0.1:0", Echo: true, Sink: netio.Tee(sink, echoCol)})
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s := netio.NewUDP(netio.UDPConfig{Sink: netio.Tee(sink, senderCol)})
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SendTo(e.LocalAddr().String(), []byte(msg)); err != nil {
		t.Fatal(err)
	}
	senderCol.WaitFor(t, "the echo", netiotest.Kind(netio.EventReceived), 1)
	return netip.MustParseAddrPort(e.LocalAddr().String())
}

func TestPcapOfAnHTTPFetchAndAUDPExchange(t *testing.T) {
	var buf bytes.Buffer
	w, err := pcapng.NewWriter(&buf, pcapng.Options{LinkFor: LinkFor, MSS: 60, Comment: "layers test"})
	if err != nil {
		t.Fatal(err)
	}
	sink := NewPcapSink(w)
	var sinkErr error
	sink.OnError(func(err error) { sinkErr = err })
	request, response, server := fetch(t, sink)
	echo := exchange(t, sink, "ping from sockdesk")
	if err := sink.Close(); err != nil {
		t.Fatal(err)
	}
	if sinkErr != nil || sink.Err() != nil {
		t.Fatalf("the sink met %v", sinkErr)
	}

	f, err := pcapngtest.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(f.Comment, pcapng.ReconstructedComment) || !strings.HasSuffix(f.Comment, "layers test") {
		t.Errorf("comment %q", f.Comment)
	}
	for i, p := range f.Packets {
		if !p.ChecksumsOK {
			t.Errorf("packet %d: a checksum does not verify", i)
		}
	}
	streams, err := f.TCPStreams()
	if err != nil {
		t.Fatal(err)
	}
	if len(streams) != 1 {
		t.Fatalf("%d TCP streams, want 1", len(streams))
	}
	s := streams[0]
	if s.Ends[1] != server || string(s.Sent[0]) != request || string(s.Sent[1]) != response {
		t.Errorf("the stream to %v carries\n%q\n%q\nwant the fetch to %v", s.Ends[1], s.Sent[0], s.Sent[1], server)
	}
	flags := strings.Join(s.Flags, " ")
	// The client connected; the server closed first (Connection: close).
	if !strings.HasPrefix(flags, "0:S 1:SA 0:A 0:A") || !strings.HasSuffix(flags, "1:PA 1:FA 0:A 0:FA 1:A") {
		t.Errorf("segments %s", flags)
	}

	var udp []string
	for _, p := range f.Packets {
		if p.Proto == 17 {
			udp = append(udp, fmt.Sprintf("%v>%v %s", p.Src, p.Dst, p.Payload))
		}
	}
	// Each socket's view: the echo's received and sent, the sender's sent and
	// received. The sender is bound to any address: its datagrams are drawn
	// from the address the routing table picks, 127.0.0.1.
	if len(udp) != 4 {
		t.Fatalf("UDP packets %q", udp)
	}
	for _, p := range udp {
		if !strings.Contains(p, echo.String()) || !strings.Contains(p, "127.0.0.1:") || strings.Contains(p, "::") || !strings.HasSuffix(p, " ping from sockdesk") {
			t.Errorf("datagram %s", p)
		}
	}

	t.Run("tshark", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "fetch.pcapng")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if n := len(strings.Split(strings.TrimSpace(pcapngtest.Tshark(t, "-r", path)), "\n")); n != len(f.Packets) {
			t.Errorf("tshark lists %d packets, the file holds %d", n, len(f.Packets))
		}
		req := strings.Fields(pcapngtest.Tshark(t, "-r", path, "-d", "tcp.port=="+strconv.Itoa(int(server.Port()))+",http",
			"-Y", "http.request", "-T", "fields", "-e", "http.request.method", "-e", "http.request.uri", "-e", "http.user_agent"))
		if strings.Join(req, " ") != "GET /layers/index.html sockdesk-layers-test" {
			t.Errorf("tshark decodes the request as %q", req)
		}
		bad := pcapngtest.Tshark(t, "-r", path, "-o", "tcp.check_checksum:TRUE", "-Y", "tcp.analysis.flags || _ws.expert.severity >= 0x600000")
		if strings.TrimSpace(bad) != "" {
			t.Errorf("tshark finds problems:\n%s", bad)
		}
	})
}

// A reply's received event may reach the sink before its request's sent
// event (the endpoint's reader does not wait for its writers), but its time
// is later: the file has them in time order, the acknowledgements counting
// the request.
func TestPcapWritesInTimeOrder(t *testing.T) {
	var buf bytes.Buffer
	w, err := pcapng.NewWriter(&buf, pcapng.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sink := NewPcapSink(w)
	at := time.Unix(1700000000, 0)
	ev := func(k netio.EventKind, after time.Duration, data string) netio.Event {
		return netio.Event{Time: at.Add(after), Kind: k, Proto: "tcp", Local: "127.0.0.1:40000", Peer: "127.0.0.1:80", Data: []byte(data), Reason: netio.ReasonPeerClosed}
	}
	for _, e := range []netio.Event{
		ev(netio.EventConnected, 0, ""),
		ev(netio.EventReceived, 2*time.Millisecond, "response"), // emitted first, happened second
		ev(netio.EventSent, time.Millisecond, "request"),
		ev(netio.EventReceived, time.Second, "later"), // HoldFor after the first two: they are written now
	} {
		sink.Emit(e)
	}
	if n := w.Packets(); n != 5 {
		t.Errorf("%d packets written before the close, want the handshake and the two older messages", n)
	}
	sink.Emit(ev(netio.EventClosed, time.Second+time.Millisecond, ""))
	if err := sink.Close(); err != nil || sink.Err() != nil {
		t.Fatalf("close %v, sink %v", err, sink.Err())
	}
	f, err := pcapngtest.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	streams, err := f.TCPStreams()
	if err != nil {
		t.Fatal(err)
	}
	if flags := strings.Join(streams[0].Flags, " "); flags != "0:S 1:SA 0:A 0:PA 1:PA 1:PA 1:FA 0:A 0:FA 1:A" {
		t.Errorf("segments %s", flags)
	}
	if got := string(f.Packets[3].Payload) + "," + string(f.Packets[4].Payload); got != "request,response" {
		t.Errorf("messages in the order %s", got)
	}
	for i := 1; i < len(f.Packets); i++ {
		if f.Packets[i].Time.Before(f.Packets[i-1].Time) {
			t.Errorf("packet %d is earlier than packet %d", i, i-1)
		}
	}
}
