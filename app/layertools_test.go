package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/logview"
	"github.com/sockdesk/sockdesk/internal/pcapngtest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/packet"
)

// selectLogRow clicks the log's row that contains substr, as a person would.
func selectLogRow(t *testing.T, v *logview.View, substr string) {
	t.Helper()
	id := -1
	for i, l := range v.Lines() {
		if strings.Contains(l, substr) {
			id = i
			break
		}
	}
	if id < 0 {
		t.Fatalf("no log row says %q:\n%s", substr, strings.Join(v.Lines(), "\n"))
	}
	v.Select(id)
}

// checkAnatomy compares what the Anatomy tool shows with the frame
// packet.Build draws for want, built here from the addresses the test
// knows: each layer's title and sentence, every field's value and source,
// the bytes' layer marks under the hex map, and checksums that verify.
func checkAnatomy(t *testing.T, s *session, want packet.Message) {
	t.Helper()
	f, err := packet.Build(want)
	if err != nil {
		t.Fatal(err)
	}
	shown := s.anatomy.view.Frame()
	if shown == nil || string(shown.Bytes) != string(f.Bytes) {
		t.Fatalf("the frame shown differs from packet.Build's:\n%s", s.anatomy.view.Text())
	}
	if p, err := pcapngtest.Decode(shown.Bytes); err != nil || !p.ChecksumsOK {
		t.Errorf("the frame shown does not decode with good checksums: %+v, %v", p, err)
	}
	text := s.anatomy.view.Text()
	for _, l := range f.Layers {
		block := fmt.Sprintf("%s · bytes %d–%d (%d)\n%s\n", l.Name, l.Start, l.End-1, l.End-l.Start, l.Sentence)
		for _, fl := range l.Fields {
			src := map[packet.Source]string{packet.FromSystem: "● system", packet.FromSocket: "◆ socket API", packet.Computed: "= computed", packet.Reconstructed: "≈ reconstructed"}[fl.Source]
			block += fmt.Sprintf("  %s: %s  %s\n", fl.Name, fl.Value, src)
		}
		if !strings.Contains(text, block) {
			t.Errorf("the anatomy lacks\n%s\nit shows:\n%s", block, text)
		}
	}
	// The hex map's rows: under each line of bytes, the letter of each
	// byte's layer; byte i's digits sit at column 6+3*(i%8).
	lines := strings.Split(text, "\n")
	var marks []string
	for i, l := range lines {
		if len(l) > 4 && strings.HasPrefix(l, "00") && i+1 < len(lines) {
			marks = append(marks, lines[i+1])
		}
	}
	for _, l := range f.Layers {
		for b := l.Start; b < l.End && b < 1024; b++ {
			row, col := marks[b/8], 6+3*(b%8)
			if col >= len(row) || row[col] != l.Mark {
				t.Errorf("byte %d is not marked %c (%s) in the hex map", b, l.Mark, l.Name)
				break
			}
		}
	}
}

func addrPort(t *testing.T, s string) netip.AddrPort {
	t.Helper()
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		t.Fatal(err)
	}
	return ap
}

// A datagram received by a UDP session, and the reply it sent, selected in
// the log: the Anatomy tool draws each as packet.Build does, the received
// one with the TTL the system reported; in Chinese, each layer's sentence is
// translated.
func TestAnatomyOfAUDPDatagramInASession(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	local := p.ep.LocalAddr().String()
	peer := udpPeer(t, "")
	peer.WriteToUDP([]byte("ping"), p.ep.LocalAddr().(*net.UDPAddr))
	uiWait(t, q, "the datagram", func() bool { return logShows(p.log, "4 B: ping") })

	if !strings.HasPrefix(p.anatomy.view.Text(), "Select a sent or received row") {
		t.Errorf("before a row is selected: %q", p.anatomy.view.Text())
	}
	selectLogRow(t, p.log, "listening")
	if !strings.HasPrefix(p.anatomy.view.Text(), "This row carries no bytes") {
		t.Errorf("a state row: %q", p.anatomy.view.Text())
	}
	selectLogRow(t, p.log, "4 B: ping")
	want := packet.Message{Direction: packet.Received, Protocol: packet.UDP, Local: addrPort(t, local),
		Peer: addrPort(t, peer.LocalAddr().String()), Payload: []byte("ping")}
	if runtime.GOOS == "linux" || runtime.GOOS == "darwin" {
		want.TTL, want.TTLSource = 64, packet.FromSystem // what IP_RECVTTL reports on loopback
	}
	checkAnatomy(t, p.session, want)
	if !strings.Contains(p.anatomy.view.Text(), "Loopback: this frame never reaches a wire.") {
		t.Errorf("loopback is not said to have no real Ethernet:\n%s", p.anatomy.view.Text())
	}

	useLanguage(t, "zh-Hans")
	p.relabel()
	zh := p.anatomy.view.Text()
	for _, s := range []string{"环回：此帧不会经过任何线路。", "IPv4 把包从主机 ", "UDP 把数据报从端口 ", "应用的 4 字节："} {
		if !strings.Contains(zh, s) {
			t.Errorf("the Chinese anatomy lacks %q:\n%s", s, zh)
		}
	}
}

// A TCP client's segments, selected in the log: the request it sent and the
// echo it received carry the sequence and acknowledgement numbers their
// connection had reached, as Wireshark's relative ones count.
func TestAnatomyOfATCPSegmentInASession(t *testing.T) {
	e, q := newTestEnv(t)
	srv := netio.NewTCPServer(netio.TCPServerConfig{Bind: "127.0.0.1:0", Echo: true})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	p.host.SetText("127.0.0.1")
	p.port.SetText(strconv.Itoa(srv.Addr().(*net.TCPAddr).Port))
	test.Tap(p.connectBtn)
	uiWait(t, q, "connected", func() bool { return p.client != nil })
	local, remote := p.client.LocalAddr().String(), p.client.RemoteAddr().String()
	for _, msg := range []string{"hello", "world!"} {
		if err := p.client.Send([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		uiWait(t, q, "the echo", func() bool { return logShows(p.log, "← ["+remote+"] "+strconv.Itoa(len(msg))+" B: "+msg) })
	}

	tcp := func(dir packet.Direction, payload string, seq, ack uint32) packet.Message {
		return packet.Message{Direction: dir, Protocol: packet.TCP, Local: addrPort(t, local), Peer: addrPort(t, remote),
			Payload: []byte(payload), TCP: &packet.TCPHeader{Seq: seq, Ack: ack, Flags: packet.PSH | packet.ACK, Window: 65535}}
	}
	selectLogRow(t, p.log, "→ ["+remote+"] 6 B: world!")
	checkAnatomy(t, p.session, tcp(packet.Sent, "world!", 6, 6))
	selectLogRow(t, p.log, "← ["+remote+"] 5 B: hello") // an earlier row: the replay starts again
	checkAnatomy(t, p.session, tcp(packet.Received, "hello", 1, 6))
	selectLogRow(t, p.log, "← ["+remote+"] 6 B: world!")
	checkAnatomy(t, p.session, tcp(packet.Received, "world!", 6, 12))
	useLanguage(t, "zh-Hans")
	p.relabel()
	for _, s := range []string{"环回：此帧不会经过任何线路。", "IPv4 把包从主机 ", "TCP 把报文段从端口 ", "标志为 PSH,ACK", "序号: 6  ≈ 重建", "应用的 6 字节："} {
		if !strings.Contains(p.anatomy.view.Text(), s) {
			t.Errorf("the Chinese anatomy lacks %q:\n%s", s, p.anatomy.view.Text())
		}
	}
	useLanguage(t, "en")
	p.relabel()

	// The handshake tool drew the connection so far.
	d, ok := p.handshake.tracker.Diagram()
	if !ok || d.Title != local+" → "+remote || len(d.Rows) != 3+4+1 {
		t.Errorf("handshake diagram %q with %d rows", d.Title, len(d.Rows))
	}
	test.Tap(p.connectBtn) // disconnect: this side closes first
	uiWait(t, q, "closed", func() bool { return logShows(p.log, "closed here") })
	d, _ = p.handshake.tracker.Diagram()
	if last := d.Rows[len(d.Rows)-1]; last.Label != "TIME_WAIT" || last.From != 0 {
		t.Errorf("after the client closed, the diagram ends with %+v", last)
	}
}

// A finished web trace draws its connection under the waterfall, and draws
// it again in the language chosen later.
func TestTraceDrawsItsConnection(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	e, q := newTestEnv(t)
	p := newTracePanel(e)
	t.Cleanup(p.Close)
	p.url.SetText(srv.URL + "/")
	runTrace(t, q, p)
	if len(p.diagrams.Objects) != 2 {
		t.Fatalf("%d objects under the waterfall, want a separator and a diagram", len(p.diagrams.Objects))
	}
	texts := func() string {
		var out []string
		for _, o := range test.LaidOutObjects(p.diagrams) {
			if l, ok := o.(*widget.Label); ok {
				out = append(out, l.Text)
			}
		}
		return strings.Join(out, "\n")
	}
	if got := texts(); !strings.Contains(got, "TCP_INFO") || !strings.Contains(got, "measured around connect()") {
		t.Errorf("the diagram's facts:\n%s", got)
	}
	useLanguage(t, "zh-Hans")
	p.relabel()
	if got := texts(); !strings.Contains(got, "在 connect() 前后测得") {
		t.Errorf("after relabelling in Chinese:\n%s", got)
	}
}
