package app

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/library/known"
)

// newLibraryEnv is newTestEnv with the app's library in a file of its own.
func newLibraryEnv(t *testing.T) (env, *queuedUI, string) {
	t.Helper()
	e, q := newTestEnv(t)
	path := filepath.Join(t.TempDir(), libraryFile)
	e.lib = newLibraryStore(path)
	return e, q, path
}

// fileNames reads the library file as a new start would, and lists its names.
func fileNames(t *testing.T, path string) []string {
	t.Helper()
	lib, err := library.Load(path, known.Names)
	if err != nil {
		t.Fatalf("the library file: %v", err)
	}
	var out []string
	for _, m := range lib.Messages() {
		out = append(out, m.Name)
	}
	return out
}

func buttonNames(m *messagesTool) []string {
	var out []string
	for _, r := range m.shown {
		out = append(out, r.msg.Name)
	}
	return out
}

// menuItem runs the action of a button's menu entry.
func menuItem(t *testing.T, m *messagesTool, name, label string) {
	t.Helper()
	r := m.row(name)
	if r == nil {
		t.Fatalf("no button %q among %q", name, buttonNames(m))
	}
	for _, it := range m.menuItems(r) {
		if it.Label == label {
			if it.Disabled {
				t.Fatalf("%q of %q is disabled", label, name)
			}
			it.Action()
			return
		}
	}
	t.Fatalf("%q has no menu entry %q", name, label)
}

// addMessage makes a message through the editor, as a user would: the send
// box holds text in mode, "New from send box", a name, Save.
func addMessage(t *testing.T, p *udpPanel, name, mode, text string) {
	t.Helper()
	p.send.mode.SetSelected(mode)
	p.send.entry.SetText(text)
	test.Tap(p.messages.newBtn)
	ed := p.messages.editor
	if ed == nil || ed.original != "" {
		t.Fatalf("New from send box showed no editor (note %q)", p.messages.note.Text())
	}
	ed.name.SetText(name)
	test.Tap(ed.saveBtn)
	if p.messages.row(name) == nil {
		t.Fatalf("no button %q after Save (%s)", name, formShown(ed.form))
	}
}

// A button made from the send box sends exactly the bytes Send sends: the
// text in the session's charset, a placeholder filled in, the line end, and
// the checksum in the chosen byte order; here to a loopback listener.
func TestMessageButtonFromSendBoxSendsThoseBytes(t *testing.T) {
	e, q, path := newLibraryEnv(t)
	p := openUDPPanel(t, e, "GBK")
	peer := udpPeer(t, "")
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(peer.LocalAddr().(*net.UDPAddr).Port))

	p.send.mode.SetSelected("Text with escapes")
	p.send.entry.SetText(`温度 #{counter}\t{hex:ff}`)
	p.send.eol.SetSelectedIndex(int(lineEndCRLF))
	p.send.checksum.SetSelected("crc16-modbus")
	p.send.order.SetSelectedIndex(int(checksum.OrderBig))
	crc, _, _ := checksum.Lookup("crc16-modbus")
	want := append(gbkBytes(t, "温度 #1\t"), 0xff, '\r', '\n')
	want = crc.Append(want, checksum.OrderBig)

	test.Tap(p.send.sendBtn)
	if got := readDatagram(t, peer); !bytes.Equal(got, want) {
		t.Fatalf("Send sent % x, want % x", got, want)
	}

	test.Tap(p.messages.newBtn)
	ed := p.messages.editor
	if ed == nil {
		t.Fatalf("no editor: %q", p.messages.note.Text())
	}
	if ed.name.Text == "" || ed.charset.Selected != "GBK" || ed.checksum.Selected != "crc16-modbus" || !ed.order.Visible() ||
		ed.order.SelectedIndex() != int(checksum.OrderBig) || ed.mode.SelectedIndex() != int(p.send.currentMode()) {
		t.Errorf("the editor starts with name %q, charset %q, checksum %q order %d, mode %q",
			ed.name.Text, ed.charset.Selected, ed.checksum.Selected, ed.order.SelectedIndex(), ed.mode.Selected)
	}
	ed.name.SetText("Temperature")
	test.Tap(ed.saveBtn)
	m, ok := e.lib.find("temperature")
	if !ok {
		t.Fatalf("not in the library: %s", formShown(ed.form))
	}
	if m.Charset != "GBK" || m.Checksum != "crc16-modbus:be" || m.Mode != library.ModeEscapes || !strings.Contains(m.Payload, "{counter}") {
		t.Errorf("saved as %+v", m)
	}
	if got := fileNames(t, path); !slices.Equal(got, []string{"Temperature"}) {
		t.Errorf("the library file holds %q", got)
	}

	// The send box changes; the button still sends what it was made of.
	p.send.entry.SetText("something else")
	p.send.checksum.SetSelectedIndex(0)
	p.charset.SetSelected("UTF-8")
	test.Tap(p.messages.row("Temperature").send)
	if got := readDatagram(t, peer); !bytes.Equal(got, want) {
		t.Fatalf("the button sent % x, want % x", got, want)
	}
	uiWait(t, q, "the button's report", func() bool { return strings.Contains(p.messages.note.Text(), "Sent “Temperature”") })
}

// A message's destination is where its button sends, not the session's; a
// message for another protocol is not sent, and the panel says why.
func TestMessageButtonDestinationAndProtocol(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	formPeer, msgPeer := udpPeer(t, ""), udpPeer(t, "")
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(formPeer.LocalAddr().(*net.UDPAddr).Port))
	if err := p.messages.store.change(func(l *library.Library) error {
		if err := l.Add(library.Message{Name: "to peer", Mode: library.ModeHex, Payload: "01 02", Protocol: library.UDP,
			Destination: msgPeer.LocalAddr().String()}); err != nil {
			return err
		}
		return l.Add(library.Message{Name: "tcp only", Mode: library.ModeText, Payload: "x", Protocol: library.TCP})
	}); err != nil {
		t.Fatal(err)
	}
	test.Tap(p.messages.row("to peer").send)
	if got := readDatagram(t, msgPeer); !bytes.Equal(got, []byte{1, 2}) {
		t.Fatalf("the message's destination got % x", got)
	}
	uiWait(t, q, "the send reported", func() bool { return strings.Contains(p.messages.note.Text(), "Sent") })

	test.Tap(p.messages.row("tcp only").send)
	if got := p.messages.note.Text(); !strings.Contains(got, "“tcp only”: This message is for TCP; this session is UDP") {
		t.Errorf("note %q", got)
	}
	// Nothing went anywhere: the next datagram the session's destination gets
	// is Send's.
	p.send.entry.SetText("after")
	test.Tap(p.send.sendBtn)
	if got := string(readDatagram(t, formPeer)); got != "after" {
		t.Errorf("the session's destination got %q", got)
	}
}

// In a TCP server, a button sends to the client chosen, or to all; a message
// with a client's address goes to that client only, and one for an address
// that is not a client is not sent.
func TestMessageButtonsInATCPServer(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	test.Tap(p.startBtn)
	if p.srv == nil {
		t.Fatalf("server did not start: %s", shown(p.session))
	}
	var conns []net.Conn
	for range 2 {
		c, err := net.Dial("tcp4", p.srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		conns = append(conns, c)
	}
	uiWait(t, q, "two clients", func() bool { return len(p.srv.Clients()) == 2 })
	second := conns[1].LocalAddr().String()
	p.messages.store.change(func(l *library.Library) error {
		l.Add(library.Message{Name: "hello", Mode: library.ModeText, Payload: "hi{counter}"})
		l.Add(library.Message{Name: "to second", Mode: library.ModeText, Payload: "2nd", Destination: second})
		return l.Add(library.Message{Name: "nobody", Mode: library.ModeText, Payload: "x", Destination: "127.0.0.1:1"})
	})
	read := func(c net.Conn, n int) string {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, n)
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatalf("read: %v", err)
		}
		return string(buf)
	}
	test.Tap(p.messages.row("hello").send)
	for i, c := range conns {
		if got := read(c, 3); got != "hi1" {
			t.Errorf("client %d got %q", i, got)
		}
	}
	test.Tap(p.messages.row("to second").send)
	if got := read(conns[1], 3); got != "2nd" {
		t.Errorf("the second client got %q", got)
	}
	test.Tap(p.messages.row("nobody").send)
	if got := p.messages.note.Text(); !strings.Contains(got, "127.0.0.1:1, which is not a client of this server") {
		t.Errorf("note %q", got)
	}
	// The first client got nothing more than "hi1": the next thing it reads is
	// what is sent to all now.
	test.Tap(p.messages.row("hello").send)
	if got := read(conns[0], 3); got != "hi1" {
		t.Errorf("the first client then got %q", got)
	}
}

// A message with a repeat interval repeats from its toggle, {counter} counting
// up, until the toggle is pressed again; closing the session stops it too.
func TestMessageButtonRepeats(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	peer := udpPeer(t, "")
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(peer.LocalAddr().(*net.UDPAddr).Port))
	p.messages.store.change(func(l *library.Library) error {
		return l.Add(library.Message{Name: "tick", Mode: library.ModeText, Payload: "t{counter};", Repeat: 5 * time.Millisecond})
	})
	row := p.messages.row("tick")
	if row.repeat == nil {
		t.Fatal("a message with a repeat interval has no toggle")
	}
	test.Tap(row.repeat)
	for i := 1; i <= 3; i++ {
		if got, want := string(readDatagram(t, peer)), "t"+strconv.Itoa(i)+";"; got != want {
			t.Fatalf("datagram %d: %q, want %q", i, got, want)
		}
	}
	// Other buttons and Send still go while it repeats.
	p.send.entry.SetText("between")
	test.Tap(p.send.sendBtn)
	deadline := time.Now().Add(5 * time.Second)
	for string(readDatagram(t, peer)) != "between" {
		if time.Now().After(deadline) {
			t.Fatal("Send's message did not arrive among the repeats")
		}
	}
	test.Tap(p.messages.row("tick").repeat)
	if len(p.messages.repeats) != 0 {
		t.Fatal("the toggle did not stop the repeat")
	}
	// Drain what was under way, then nothing more comes.
	peer.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	buf := make([]byte, 64)
	for {
		if _, _, err := peer.ReadFromUDP(buf); err != nil {
			break
		}
	}
	peer.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, _, err := peer.ReadFromUDP(buf); err == nil {
		t.Fatalf("still repeating: %q", buf[:n])
	}

	// Started again, it stops when the session closes.
	test.Tap(p.messages.row("tick").repeat)
	readDatagram(t, peer)
	test.Tap(p.openBtn)
	q.Flush()
	if len(p.messages.repeats) != 0 || !p.messages.row("tick").send.Disabled() {
		t.Errorf("after Close: %d repeats, button disabled %v", len(p.messages.repeats), p.messages.row("tick").send.Disabled())
	}
}

// Edit, duplicate, move and delete from a button's menu change the library
// file, and every session's panel shows the change.
func TestMessageMenuChangesTheLibraryFile(t *testing.T) {
	e, _, path := newLibraryEnv(t)
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	other := newTCPClientPanel(e)
	t.Cleanup(other.Close)

	addMessage(t, p, "Ping", "Text", "PING")
	addMessage(t, p, "Read coils", "Hex", "01 01 00 00 00 08")
	addMessage(t, p, "Reset", "Text with escapes", `RESET\r\n`)
	if got := fileNames(t, path); !slices.Equal(got, []string{"Ping", "Read coils", "Reset"}) {
		t.Fatalf("file %q", got)
	}
	if got := buttonNames(other.messages); !slices.Equal(got, []string{"Ping", "Read coils", "Reset"}) {
		t.Fatalf("the other session shows %q", got)
	}

	// Edit: every field, checked at its field before anything is saved.
	menuItem(t, p.messages, "Ping", "Edit…")
	ed := p.messages.editor
	if ed.original != "Ping" || ed.payload.Text != "PING" {
		t.Fatalf("editing %q with %q", ed.original, ed.payload.Text)
	}
	ed.name.SetText("Reset")
	test.Tap(ed.saveBtn)
	if got := ed.form.rows[0].noteText(); !strings.Contains(got, `"Reset" is the name of another message`) {
		t.Errorf("a taken name: %q", got)
	}
	ed.name.SetText("Ping 2")
	ed.mode.SetSelected("Hex")
	ed.payload.SetText("50 49 4e 4x")
	test.Tap(ed.saveBtn)
	if got := strings.Join(formShown(ed.form), "\n"); !strings.Contains(got, "Message: Hex: ") || !strings.Contains(got, "position 11") {
		t.Errorf("bad hex: %q", got)
	}
	ed.payload.SetText("50 49 4e 47")
	ed.dest.SetText("127.0.0.1:70000")
	test.Tap(ed.saveBtn)
	if got := strings.Join(formShown(ed.form), "\n"); !strings.Contains(got, "Destination: ") || !strings.Contains(got, "70000") {
		t.Errorf("bad destination: %q", got)
	}
	ed.dest.SetText("127.0.0.1:7000")
	ed.repeat.SetText("0.5")
	test.Tap(ed.saveBtn)
	if got := strings.Join(formShown(ed.form), "\n"); !strings.Contains(got, "Repeat every (ms): ") {
		t.Errorf("bad repeat: %q", got)
	}
	if got := fileNames(t, path); !slices.Equal(got, []string{"Ping", "Read coils", "Reset"}) {
		t.Fatalf("a refused edit changed the file: %q", got)
	}
	ed.repeat.SetText("250")
	ed.group.SetText("Device")
	ed.protocol.SetSelected("UDP")
	ed.note.SetText("says PING")
	test.Tap(ed.saveBtn)
	saved, err := library.Load(path, known.Names)
	if err != nil {
		t.Fatal(err)
	}
	want := library.Message{Name: "Ping 2", Group: "Device", Mode: library.ModeHex, Payload: "50 49 4e 47", Charset: "UTF-8",
		Destination: "127.0.0.1:7000", Protocol: library.UDP, Repeat: 250 * time.Millisecond, Note: "says PING"}
	if got, _ := saved.Find("Ping 2"); got != want {
		t.Errorf("the file holds %+v\nwant %+v", got, want)
	}
	if got := buttonNames(other.messages); !slices.Equal(got, []string{"Ping 2", "Read coils", "Reset"}) {
		t.Errorf("the other session shows %q", got)
	}

	menuItem(t, p.messages, "Read coils", "Duplicate")
	if got := fileNames(t, path); !slices.Equal(got, []string{"Ping 2", "Read coils", "Read coils (copy)", "Reset"}) {
		t.Errorf("after Duplicate: %q", got)
	}
	menuItem(t, p.messages, "Reset", "Move up")
	menuItem(t, p.messages, "Ping 2", "Move down")
	if got := fileNames(t, path); !slices.Equal(got, []string{"Read coils", "Ping 2", "Reset", "Read coils (copy)"}) {
		t.Errorf("after moving: %q", got)
	}
	if got := buttonNames(other.messages); !slices.Equal(got, []string{"Read coils", "Ping 2", "Reset", "Read coils (copy)"}) {
		t.Errorf("the other session shows %q", got)
	}

	// Delete asks; No keeps it, Yes deletes it.
	menuItem(t, p.messages, "Reset", "Delete…")
	p.messages.confirm.Dismiss()
	if got := fileNames(t, path); len(got) != 4 {
		t.Errorf("Delete without confirming: %q", got)
	}
	menuItem(t, p.messages, "Reset", "Delete…")
	p.messages.confirm.Confirm()
	if got := fileNames(t, path); !slices.Equal(got, []string{"Read coils", "Ping 2", "Read coils (copy)"}) {
		t.Errorf("after Delete: %q", got)
	}
	if _, err := os.Stat(path + ".bak"); err != nil {
		t.Errorf("no backup of the previous version: %v", err)
	}

	// A group shows its messages only; moving among them moves past the
	// others in the file.
	p.messages.showGroup("Device")
	if got := buttonNames(p.messages); !slices.Equal(got, []string{"Ping 2"}) {
		t.Errorf("group Device shows %q", got)
	}
	if ws := p.capture(); ws.Settings["group"] != "Device" {
		t.Errorf("the workspace keeps group %q", ws.Settings["group"])
	}
}

// A library file that cannot be read is not written over: the panel says
// so, changes are refused, and Reload reads the file once it is mended.
func TestDamagedLibraryIsNotOverwritten(t *testing.T) {
	e, _ := newTestEnv(t)
	path := filepath.Join(t.TempDir(), libraryFile)
	damaged := []byte(`{"format": "sockdesk-library", "version": 1, "messages": [{"name": "x", "mode": "te`)
	os.WriteFile(path, damaged, 0o644)
	e.lib = newLibraryStore(path)
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	if !strings.Contains(p.messages.hint.Text, "cannot be read") || !p.messages.newBtn.Disabled() || !p.messages.reloadBtn.Visible() {
		t.Errorf("hint %q, New disabled %v", p.messages.hint.Text, p.messages.newBtn.Disabled())
	}
	if err := e.lib.change(func(l *library.Library) error {
		return l.Add(library.Message{Name: "y", Mode: library.ModeText, Payload: "y"})
	}); err == nil {
		t.Error("a change was accepted")
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, damaged) {
		t.Errorf("the file changed: %q", got)
	}
	os.WriteFile(path, []byte(`{"format": "sockdesk-library", "version": 1, "messages": [{"name": "x", "mode": "text", "payload": "x"}]}`), 0o644)
	test.Tap(p.messages.reloadBtn)
	if p.messages.row("x") == nil || p.messages.newBtn.Disabled() || p.messages.reloadBtn.Visible() {
		t.Errorf("after Reload: buttons %q", buttonNames(p.messages))
	}
}

// writeLibrary writes a library file of msgs.
func writeLibrary(t *testing.T, path string, msgs ...library.Message) {
	t.Helper()
	l := library.New(known.Names)
	for _, m := range msgs {
		if err := l.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Export(path); err != nil {
		t.Fatal(err)
	}
}

// An import asks about each clash and does what was chosen; "the same for the
// others" answers the rest; the report lists what happened to each message.
func TestImportAsksPerClash(t *testing.T) {
	e, _, path := newLibraryEnv(t)
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	text := func(name, payload string) library.Message {
		return library.Message{Name: name, Mode: library.ModeText, Payload: payload}
	}
	p.messages.store.change(func(l *library.Library) error {
		l.Add(text("Ping", "PING"))
		l.Add(text("Reset", "RESET"))
		l.Add(text("Status", "STATUS?"))
		return l.Add(text("Same", "same"))
	})
	src := filepath.Join(t.TempDir(), "colleague.json")
	writeLibrary(t, src, text("ping", "PING v2"), text("Reset", "RESET v2"), text("Status", "STATUS v2"), text("Same", "same"), text("New", "new"))

	p.messages.importFile(src)
	q := p.messages.clash
	if q == nil || !strings.Contains(q.text, "“Ping”") || !q.all.Visible() {
		t.Fatalf("no question about Ping: %+v", q)
	}
	test.Tap(q.replace)
	q = p.messages.clash
	if !strings.Contains(q.text, "“Reset”") {
		t.Fatalf("the second question: %q", q.text)
	}
	test.Tap(q.rename)
	q = p.messages.clash
	if !strings.Contains(q.text, "“Status”") || q.all.Visible() {
		t.Fatalf("the third question: %q (the same for others shown: %v)", q.text, q.all.Visible())
	}
	test.Tap(q.keep)

	saved, err := library.Load(path, known.Names)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range saved.Messages() {
		got[m.Name] = m.Payload
	}
	want := map[string]string{"ping": "PING v2", "Reset": "RESET", "Status": "STATUS?", "Same": "same", "Reset (2)": "RESET v2", "New": "new"}
	if len(got) != len(want) {
		t.Errorf("the file holds %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%q: %q, want %q", k, got[k], v)
		}
	}
	for _, s := range []string{`Added: "New"`, `Replaced: "ping"`, `"Reset" → "Reset (2)"`, `Kept the library's: "Status"`, `Already in the library: "Same"`} {
		if !strings.Contains(p.messages.report, s) {
			t.Errorf("the report lacks %q:\n%s", s, p.messages.report)
		}
	}

	// Once more with "the same for the others": one question, all kept.
	writeLibrary(t, src, text("Ping", "PING v3"), text("New", "new v3"))
	p.messages.importFile(src)
	p.messages.clash.all.SetChecked(true)
	test.Tap(p.messages.clash.keep)
	if m, _ := p.messages.store.find("new"); m.Payload != "new" {
		t.Errorf("New became %q", m.Payload)
	}
	if m, _ := p.messages.store.find("ping"); m.Payload != "PING v2" {
		t.Errorf("Ping became %q", m.Payload)
	}

	// Cancelling imports nothing.
	before := fileNames(t, path)
	p.messages.importFile(src)
	test.Tap(p.messages.clash.cancel)
	if got := fileNames(t, path); !slices.Equal(got, before) {
		t.Errorf("a cancelled import changed the file: %q", got)
	}
}

// A Packet Sender export imports with its destination and protocol, and the
// report lists what could not be carried over; a damaged file imports nothing
// and says where it is damaged.
func TestImportPacketSenderAndDamagedFiles(t *testing.T) {
	e, _, path := newLibraryEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	src := filepath.Join(t.TempDir(), "packets.json")
	os.WriteFile(src, []byte(`[
  {"name": "Hello", "hexstring": "48 65 6C 6C 6F ", "toip": "127.0.0.1", "port": "5000", "fromport": "6000", "tcporudp": "TCP", "repeat": 0},
  {"name": "Beat", "hexstring": "01", "toip": "127.0.0.1", "port": "5001", "tcporudp": "UDP", "repeat": 2}
]`), 0o644)
	p.messages.importFile(src)
	if p.messages.clash != nil {
		t.Fatal("asked about a clash in an empty library")
	}
	hello, ok1 := p.messages.store.find("Hello")
	beat, ok2 := p.messages.store.find("Beat")
	if !ok1 || !ok2 || hello.Mode != library.ModeHex || hello.Destination != "127.0.0.1:5000" || hello.Protocol != library.TCP ||
		beat.Protocol != library.UDP || beat.Repeat != 2*time.Second {
		t.Errorf("imported %+v and %+v", hello, beat)
	}
	if r := p.messages.report; !strings.Contains(r, "Packet Sender") || !strings.Contains(r, "fromport") {
		t.Errorf("the report:\n%s", r)
	}
	if got := fileNames(t, path); len(got) != 2 {
		t.Errorf("the file holds %q", got)
	}

	os.WriteFile(src, []byte(`{"format": "sockdesk-library", "version": 1, "messages": [{"name": "x", "mode": "bin", "payload": "x"}]}`), 0o644)
	p.messages.importFile(src)
	if r := p.messages.report; !strings.Contains(r, "Nothing was imported") || !strings.Contains(r, "messages[0].mode") {
		t.Errorf("the report of a bad file:\n%s", r)
	}
	if got := fileNames(t, path); len(got) != 2 {
		t.Errorf("a bad import changed the file: %q", got)
	}

	// Export writes the group shown, as a library file another app reads.
	out := filepath.Join(t.TempDir(), "out.json")
	p.messages.store.change(func(l *library.Library) error {
		return l.Update("Beat", library.Message{Name: "Beat", Group: "Keepalive", Mode: library.ModeHex, Payload: "01"})
	})
	p.messages.showGroup("Keepalive")
	p.messages.exportTo(out)
	if got := fileNames(t, out); !slices.Equal(got, []string{"Beat"}) {
		t.Errorf("exported %q", got)
	}
}

// The send box's old saved messages (a preference) move into the library at
// the first start with it, once; names the library would refuse or has are
// mended; a library that cannot be read takes nothing and the preference stays.
func TestQuickSendsMoveIntoTheLibrary(t *testing.T) {
	a := test.NewTempApp(t)
	prefs := a.Preferences()
	old := `[{"name":"Alpha","text":"AT\\r\\n","mode":"escapes"},{"name":"beta","text":"c4 e3","mode":"hex"},` +
		`{"name":"BETA","text":"x","mode":"text"},{"name":"tab\there","text":"t","mode":"bogus"},{"name":"","text":"nameless","mode":"text"}]`
	prefs.SetString(quickSendKey, old)
	path := filepath.Join(t.TempDir(), libraryFile)
	writeLibrary(t, path, library.Message{Name: "alpha", Mode: library.ModeText, Payload: "the library's own"})

	store := openAppLibrary(a, path)
	saved, err := library.Load(path, known.Names)
	if err != nil {
		t.Fatal(err)
	}
	want := []library.Message{
		{Name: "alpha", Mode: library.ModeText, Payload: "the library's own"},
		{Name: "Alpha (2)", Mode: library.ModeEscapes, Payload: `AT\r\n`},
		{Name: "beta", Mode: library.ModeHex, Payload: "c4 e3"},
		{Name: "BETA (2)", Mode: library.ModeText, Payload: "x"},
		{Name: "tab here", Mode: library.ModeText, Payload: "t"},
	}
	if got := saved.Messages(); !slices.Equal(got, want) {
		t.Errorf("the library holds\n%+v\nwant\n%+v", got, want)
	}
	if !slices.Equal(store.messages(), want) {
		t.Errorf("the store shows %+v", store.messages())
	}
	if prefs.String(quickSendKey) != "" {
		t.Error("the old preference is still there")
	}
	// Once: a second start finds nothing to move.
	openAppLibrary(a, path)
	if got := fileNames(t, path); len(got) != len(want) {
		t.Errorf("a second start: %q", got)
	}

	// A library that cannot be read takes nothing; the preference waits.
	prefs.SetString(quickSendKey, old)
	broken := filepath.Join(t.TempDir(), libraryFile)
	os.WriteFile(broken, []byte("{"), 0o644)
	openAppLibrary(a, broken)
	if got, _ := os.ReadFile(broken); string(got) != "{" || prefs.String(quickSendKey) != old {
		t.Errorf("a broken library: file %q, preference %q", got, prefs.String(quickSendKey))
	}
	// A damaged preference is dropped.
	prefs.SetString(quickSendKey, "{not json")
	if n, err := migrateQuickSends(prefs, newLibraryStore("")); n != 0 || err != nil || prefs.String(quickSendKey) != "" {
		t.Errorf("a damaged preference: %d, %v, %q", n, err, prefs.String(quickSendKey))
	}
}

// The Messages tool speaks Chinese and switches at once, buttons kept.
func TestMessagesToolRelabels(t *testing.T) {
	e, _ := newTestEnv(t)
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	p.messages.store.change(func(l *library.Library) error {
		return l.Add(library.Message{Name: "Ping", Mode: library.ModeHex, Payload: "01", Repeat: time.Second})
	})
	useLanguage(t, "zh-Hans")
	p.relabel()
	if p.messages.newBtn.Text != "从发送框新建" || p.messages.group.Options[0] != "全部消息" ||
		!strings.Contains(p.messages.row("Ping").caption.Text(), "十六进制") || !strings.Contains(p.messages.row("Ping").caption.Text(), "每 1000 毫秒") {
		t.Errorf("new %q, groups %q, caption %q", p.messages.newBtn.Text, p.messages.group.Options, p.messages.row("Ping").caption.Text())
	}
	if got := toolNamed(t, p.drawer, toolMessages).Caption(); got != "消息" {
		t.Errorf("tab %q", got)
	}
}
