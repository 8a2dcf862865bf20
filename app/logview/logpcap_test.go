package logview

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/internal/netiotest"
	"github.com/sockdesk/sockdesk/internal/pcapngtest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// tcpExchange runs a real loopback TCP connection: the client connects,
// sends a request, the server echoes it, the client closes. It returns the
// client's events once its closed event is in.
func tcpExchange(t *testing.T, request string) []netio.Event {
	t.Helper()
	srv, _ := netiotest.StartServer(t, netio.TCPServerConfig{Bind: "127.0.0.1:0", Echo: true})
	c, col := netiotest.StartClient(t, srv.Addr().String(), charset.UTF8)
	if err := c.Send([]byte(request)); err != nil {
		t.Fatal(err)
	}
	col.WaitFor(t, "the echo", netiotest.Kind(netio.EventReceived), 1)
	c.Close()
	col.WaitFor(t, "the close", netiotest.Kind(netio.EventClosed), 1)
	return col.Events()
}

// udpExchange sends three datagrams between two loopback sockets and returns
// the receiver's events (listening, then three received).
func udpExchange(t *testing.T, texts ...string) []netio.Event {
	t.Helper()
	rx, col := netiotest.StartUDP(t, netio.UDPConfig{Bind: "127.0.0.1:0"})
	tx := netio.NewUDP(netio.UDPConfig{Bind: "127.0.0.1:0"})
	if err := tx.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	for _, s := range texts {
		if err := tx.SendTo(rx.LocalAddr().String(), []byte(s)); err != nil {
			t.Fatal(err)
		}
		col.WaitFor(t, s, func(e netio.Event) bool { return e.Kind == netio.EventReceived && string(e.Data) == s }, 1)
	}
	return col.Events()
}

func parsePcap(t *testing.T, path string) *pcapngtest.File {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := pcapngtest.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(f.Comment, pcapng.ReconstructedComment) {
		t.Errorf("comment %q does not say the packets are reconstructed", f.Comment)
	}
	for i, p := range f.Packets {
		if !p.ChecksumsOK {
			t.Errorf("packet %d: checksums do not verify", i)
		}
	}
	return f
}

// The log of a TCP client saved as pcapng holds its connection as Wireshark
// rebuilds it: handshake, the request and the echo, the close; the file is
// complete at its name and nothing else is left in the folder.
func TestSaveLogAsPcapng(t *testing.T) {
	v, _, _ := newTestLogView(t, DefaultCapacity)
	v.Append(tcpExchange(t, "GET / HTTP/1.0\r\n\r\n"))
	dir := t.TempDir()
	path := filepath.Join(dir, "log.pcapng")
	v.savePcap(path, false)
	if !strings.Contains(v.status.Text, "Saved 9 packets to log.pcapng (reconstructed from the socket's events, not captured)") {
		t.Errorf("status %q", v.status.Text)
	}
	f := parsePcap(t, path)
	streams, err := f.TCPStreams()
	if err != nil || len(streams) != 1 {
		t.Fatalf("streams %v, %v", streams, err)
	}
	s := streams[0]
	if string(s.Sent[0]) != "GET / HTTP/1.0\r\n\r\n" || string(s.Sent[1]) != "GET / HTTP/1.0\r\n\r\n" {
		t.Errorf("client sent %q, server %q", s.Sent[0], s.Sent[1])
	}
	if got := strings.Join(s.Flags, " "); got != "0:S 1:SA 0:A 0:PA 1:PA 0:FA 1:A 1:FA 0:A" {
		t.Errorf("segments %s: want the handshake, the request and echo, the client's close first", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want the pcapng alone", len(entries))
	}
}

// The rows selected (a click, then a shift-click) are saved alone: of five
// datagrams, the second to the fourth.
func TestSaveSelectedRowsAsPcapng(t *testing.T) {
	v, a, _ := newTestLogView(t, DefaultCapacity)
	var heard []string
	v.SetOnSelect(func(e netio.Event, _ uint64, ok bool) {
		if ok {
			heard = append(heard, string(e.Data))
		}
	})
	v.Append(udpExchange(t, "one", "two", "three", "four", "five"))
	if m := v.saveMenu(); len(m.Items) != 3 || !m.Items[2].Disabled {
		t.Errorf("with nothing selected the save menu is %+v", m.Items)
	}
	v.pick(2, false) // rows: listening, one, two, ...
	v.pick(4, true)
	if m := v.saveMenu(); m.Items[2].Disabled {
		t.Error("with rows selected, saving them is disabled")
	}
	v.copySelected()
	if got := a.Clipboard().Content(); strings.Count(got, "\n") != 2 || !strings.HasSuffix(got, "4 B: four") {
		t.Errorf("copied %q, want the three rows", got)
	}
	if strings.Join(heard, ",") != "two,four" {
		t.Errorf("selection heard %q", heard)
	}
	for id, want := range []bool{false, false, true, true, true, false} {
		if _, sel, _ := v.rowText(id); sel != want {
			t.Errorf("row %d selected %v, want %v", id, sel, want)
		}
	}
	path := filepath.Join(t.TempDir(), "rows.pcapng")
	v.savePcap(path, true)
	var got []string
	for _, p := range parsePcap(t, path).Packets {
		if p.Proto != 17 {
			t.Errorf("packet %+v is not UDP", p)
		}
		got = append(got, string(p.Payload))
	}
	if strings.Join(got, ",") != "two,three,four" {
		t.Errorf("saved %q, want the three selected datagrams", got)
	}

	// A plain click selects one row again.
	v.pick(1, false)
	path = filepath.Join(t.TempDir(), "row.pcapng")
	v.savePcap(path, true)
	if f := parsePcap(t, path); len(f.Packets) != 1 || string(f.Packets[0].Payload) != "one" {
		t.Errorf("one row saved as %+v", f.Packets)
	}
}

// A file that cannot be written is said so, and leaves nothing behind.
func TestSavePcapFailure(t *testing.T) {
	v, _, _ := newTestLogView(t, DefaultCapacity)
	v.Append(udpExchange(t, "x"))
	v.savePcap(filepath.Join(t.TempDir(), "no such folder", "x.pcapng"), false)
	if !strings.HasPrefix(v.status.Text, "⚠ Save failed: ") {
		t.Errorf("status %q", v.status.Text)
	}
}
