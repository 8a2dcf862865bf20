package app

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/netio/checksum"
)

// The send box's checksum is appended to what is sent (and shows in the sent
// line's byte count), received messages are checked and marked ✓ or ✗ with the
// values, and the choice is remembered.
func TestUDPPanelChecksum(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	peer := udpPeer(t, "")
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(peer.LocalAddr().(*net.UDPAddr).Port))
	p.send.checksum.SetSelected("crc16-modbus")
	if !p.send.order.Visible() {
		t.Error("the byte order is hidden for a 2-byte checksum")
	}
	p.send.entry.SetText("123456789")
	test.Tap(p.send.sendBtn)
	if got := readDatagram(t, peer); string(got) != "123456789\x37\x4b" {
		t.Errorf("peer got % x, want the text and 37 4b (low byte first)", got)
	}
	uiWait(t, q, "the sent line", func() bool { return logShows(p.log, "11 B: 1234567897K") })

	local := p.ep.LocalAddr().(*net.UDPAddr)
	peer.WriteToUDP([]byte("123456789\x37\x4b"), local)
	peer.WriteToUDP([]byte("123456789\x4b\x37"), local)
	uiWait(t, q, "both verdicts", func() bool {
		return logShows(p.log, "11 B ✓ crc16-modbus: 1234567897K") &&
			logShows(p.log, "11 B ✗ crc16-modbus (got 0x374B, want 0x4B37)")
	})

	// Big-endian, then XOR (one byte: no order to choose).
	p.send.order.SetSelectedIndex(int(checksum.OrderBig))
	test.Tap(p.send.sendBtn)
	if got := readDatagram(t, peer); string(got) != "123456789\x4b\x37" {
		t.Errorf("big-endian: peer got % x", got)
	}
	p.send.checksum.SetSelected("xor")
	if p.send.order.Visible() {
		t.Error("the byte order shows for a 1-byte checksum")
	}
	// The choice is remembered for the next UDP session.
	p2 := newUDPPanel(e)
	t.Cleanup(p2.Close)
	if c, order := p2.send.currentChecksum(); c == nil || c.Name() != "xor" || order != checksum.OrderBig {
		t.Errorf("a new panel starts with %v %v", c, order)
	}
	p.send.checksum.SetSelectedIndex(0)
	if c, _ := p.send.currentChecksum(); c != nil {
		t.Errorf("none chosen, still %v", c)
	}
}

func writeTestFile(t *testing.T, size int) (string, []byte) {
	t.Helper()
	data := make([]byte, size)
	rand.NewChaCha8([32]byte{9}).Read(data)
	path := filepath.Join(t.TempDir(), "send.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

// A TCP client panel sends a file whole; a missing file is an error and the
// connection stays up.
func TestTCPClientPanelSendFile(t *testing.T) {
	e, q := newTestEnv(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	p.host.SetText("127.0.0.1")
	p.port.SetText(strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	test.Tap(p.connectBtn)
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	uiWait(t, q, "connected", func() bool { return p.client != nil })

	p.files.sendFile(filepath.Join(t.TempDir(), "missing.bin"))
	uiWait(t, q, "the missing file's error", func() bool { return strings.Contains(p.files.status.Text, "⚠") })
	if !strings.Contains(p.files.status.Text, "missing.bin") || p.client == nil {
		t.Errorf("status %q, client %v", p.files.status.Text, p.client)
	}

	const size = 1<<20 + 3
	path, data := writeTestFile(t, size)
	got := make(chan []byte)
	go func() {
		buf := make([]byte, size)
		peer.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, _ := io.ReadFull(peer, buf)
		got <- buf[:n]
	}()
	p.files.sendFile(path)
	if !p.files.progress.Visible() || !p.files.cancelBtn.Visible() || !p.files.sendBtn.Disabled() {
		t.Error("no progress bar and Cancel while sending")
	}
	if b := <-got; !bytes.Equal(b, data) {
		t.Fatalf("peer got %d bytes, not the file", len(b))
	}
	uiWait(t, q, "the sent report", func() bool { return strings.Contains(p.files.status.Text, "Sent send.bin: 1,048,579 bytes") })
	if p.files.progress.Visible() || p.files.sendBtn.Disabled() {
		t.Error("the progress bar stays, or Send file… stays off")
	}
}

// A UDP panel splits a file into datagrams of the chosen size; Cancel stops it.
func TestUDPPanelSendFileChunksAndCancel(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	peer := udpPeer(t, "")
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(peer.LocalAddr().(*net.UDPAddr).Port))
	path, data := writeTestFile(t, 2500)

	p.files.chunk.SetText("0")
	p.files.sendFile(path)
	if got := fieldErrors(p.files.form); !strings.Contains(got, "Bytes per datagram") {
		t.Errorf("bad chunk: %q", got)
	}
	p.files.chunk.SetText("1000")
	p.files.sendFile(path)
	var got []byte
	for i, want := range []int{1000, 1000, 500} {
		d := readDatagram(t, peer)
		if len(d) != want {
			t.Errorf("datagram %d is %d bytes, want %d", i, len(d), want)
		}
		got = append(got, d...)
	}
	if !bytes.Equal(got, data) {
		t.Error("the datagrams are not the file")
	}
	uiWait(t, q, "the sent report", func() bool { return strings.Contains(p.files.status.Text, "Sent send.bin: 2,500 bytes") })

	p.files.delay.SetText("60000")
	p.files.sendFile(path)
	readDatagram(t, peer)
	test.Tap(p.files.cancelBtn)
	uiWait(t, q, "the cancel report", func() bool {
		return strings.Contains(p.files.status.Text, "cancelled after 1,000 of 2,500 bytes")
	})
}

// "Save received" on a server writes what clients send, and only the selected
// client's when one is selected, until it is turned off.
func TestTCPServerPanelSaveReceived(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	test.Tap(p.startBtn)
	if p.srv == nil {
		t.Fatalf("server did not start: %s", shown(p.session))
	}
	a, _ := net.Dial("tcp4", p.srv.Addr().String())
	defer a.Close()
	b, _ := net.Dial("tcp4", p.srv.Addr().String())
	defer b.Close()
	uiWait(t, q, "two clients", func() bool { return len(p.clients.items) == 2 })

	all := filepath.Join(t.TempDir(), "all.bin")
	p.files.startSave(all)
	if p.files.saveBtn.Text != "Stop saving" {
		t.Errorf("button %q", p.files.saveBtn.Text)
	}
	a.Write([]byte("first "))
	uiWait(t, q, "a's bytes", func() bool { return logShows(p.log, "first") })
	b.Write([]byte("second"))
	uiWait(t, q, "b's bytes", func() bool { return logShows(p.log, "second") })
	test.Tap(p.files.saveBtn) // stop
	if got, _ := os.ReadFile(all); string(got) != "first second" {
		t.Errorf("saved %q", got)
	}
	if !strings.Contains(p.files.status.Text, "Saved 12 bytes") {
		t.Errorf("status %q", p.files.status.Text)
	}
	a.Write([]byte("after"))
	uiWait(t, q, "bytes after saving stopped", func() bool { return logShows(p.log, "after") })
	if got, _ := os.ReadFile(all); string(got) != "first second" {
		t.Errorf("saved after stopping: %q", got)
	}

	// Only the selected client (the second), until the server stops.
	p.clients.table.Select(widget.TableCellID{Row: 2})
	one := filepath.Join(t.TempDir(), "one.bin")
	p.files.startSave(one)
	a.Write([]byte("from a"))
	b.Write([]byte("from b"))
	uiWait(t, q, "both", func() bool { return logShows(p.log, "from b") })
	p.clients.table.Select(widget.TableCellID{Row: 0}) // show every client's lines again
	uiWait(t, q, "a's line", func() bool { return logShows(p.log, "from a") })
	test.Tap(p.startBtn) // stop the server: saving ends with it
	if got, _ := os.ReadFile(one); string(got) != "from b" {
		t.Errorf("saved %q, want only the selected client's bytes", got)
	}
	if p.files.saving != nil || p.files.saveBtn.Text != "Save received…" {
		t.Error("still saving after the server stopped")
	}

	// A file that cannot be created is an error in the row; nothing else changes.
	test.Tap(p.startBtn)
	p.files.startSave(filepath.Join(t.TempDir(), "no", "such", "dir", "x"))
	if !strings.Contains(p.files.status.Text, "⚠") || p.files.saving != nil || p.srv == nil {
		t.Errorf("status %q", p.files.status.Text)
	}
}

// A repeat with {counter}: each message gets its own checksum.
func TestUDPPanelChecksumPerRepeatedMessage(t *testing.T) {
	e, _ := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	peer := udpPeer(t, "")
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(peer.LocalAddr().(*net.UDPAddr).Port))
	p.send.checksum.SetSelected("crc32")
	p.send.entry.SetText("n{counter}")
	p.send.repeat.SetChecked(true)
	p.send.every.SetText("10")
	p.send.times.SetText("3")
	test.Tap(p.send.sendBtn)
	c, _, _ := checksum.Lookup("crc32")
	for i := 1; i <= 3; i++ {
		d := readDatagram(t, peer)
		if body := "n" + strconv.Itoa(i); len(d) != len(body)+4 || string(d[:len(body)]) != body || !c.Verify(d, checksum.OrderDefault).OK {
			t.Errorf("datagram %d: % x", i, d)
		}
	}
}
