package logview

import (
	"bytes"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/eventlog"
)

// logT0 is when the test events happen: 15:04:05.123 local time.
var logT0 = time.Date(2025, 3, 1, 15, 4, 5, 123_000_000, time.Local)

const testPeer = "127.0.0.1:5050"

// newTestLogView builds a log view in a test window of a usual size.
func newTestLogView(t testing.TB, capacity int) (*View, fyne.App, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("log")
	t.Cleanup(w.Close)
	v := New(a, w, capacity)
	w.SetContent(v.Object())
	w.Resize(fyne.NewSize(900, 500))
	return v, a, w
}

func dataEvent(kind netio.EventKind, ms int, peer string, data []byte, text string) netio.Event {
	return netio.Event{
		Time: logT0.Add(time.Duration(ms) * time.Millisecond), Kind: kind, Proto: "tcp",
		Local: "127.0.0.1:7788", Peer: peer, Data: data, Text: text,
	}
}

// numbered makes n received events "msg 0", "msg 1", ... from testPeer.
func numbered(from, n int) []netio.Event {
	out := make([]netio.Event, n)
	for i := range out {
		text := fmt.Sprintf("msg %d", from+i)
		out[i] = dataEvent(netio.EventReceived, 0, testPeer, []byte(text), text)
	}
	return out
}

// hexRow is the expected dump row: offset, the hex column padded to its width,
// then the ASCII column.
func hexRow(prefix, ascii string) string {
	return fmt.Sprintf("%-56s|%s|", prefix, ascii)
}

func assertLines(t *testing.T, v *View, want []string) {
	t.Helper()
	got := v.Lines()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("shown lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := v.list.Length(); n != len(got) {
		t.Errorf("list length %d, shown lines %d", n, len(got))
	}
}

func TestLogViewModes(t *testing.T) {
	v, _, _ := newTestLogView(t, DefaultCapacity)
	v.SetSide(SideServer)
	gbk := []byte{0xc4, 0xe3, 0xba, 0xc3} // 你好 in GBK
	utf8Data := append([]byte("Hello, world!\r\n\x00"), "你好"...)
	v.Append([]netio.Event{
		dataEvent(netio.EventReceived, 0, testPeer, gbk, "你好"),
		dataEvent(netio.EventSent, 1, testPeer, utf8Data, string(utf8Data)),
		{Time: logT0.Add(2 * time.Millisecond), Kind: netio.EventClosed, Proto: "tcp", Local: "127.0.0.1:7788", Peer: testPeer, Reason: netio.ReasonPeerClosed},
	})

	text := []string{
		"15:04:05.123 ← [127.0.0.1:5050] 4 B: 你好",
		`15:04:05.124 → [127.0.0.1:5050] 22 B: Hello, world!\r\n\0你好`,
		"15:04:05.125 • [127.0.0.1:5050] client closed",
	}
	assertLines(t, v, text)

	hexGBK := hexRow("0000  c4 e3 ba c3", "....")
	hexUTF8 := []string{
		"0000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0d 0a 00  |Hello, world!...|",
		hexRow("0010  e4 bd a0 e5 a5 bd", "......"),
	}
	v.modeSelect.SetSelected("Hex")
	assertLines(t, v, []string{
		"15:04:05.123 ← [127.0.0.1:5050] 4 B",
		hexGBK,
		"15:04:05.124 → [127.0.0.1:5050] 22 B",
		hexUTF8[0],
		hexUTF8[1],
		"15:04:05.125 • [127.0.0.1:5050] client closed",
	})

	v.modeSelect.SetSelected("Text + Hex")
	assertLines(t, v, []string{text[0], hexGBK, text[1], hexUTF8[0], hexUTF8[1], text[2]})

	// Appending in a hex mode derives the new event's rows only.
	v.Append([]netio.Event{dataEvent(netio.EventReceived, 3, testPeer, []byte("ok"), "ok")})
	lines := v.Lines()
	if got := lines[len(lines)-2:]; got[0] != "15:04:05.126 ← [127.0.0.1:5050] 2 B: ok" || got[1] != hexRow("0000  6f 6b", "ok") {
		t.Errorf("appended rows %q", got)
	}

	v.modeSelect.SetSelected("Text")
	assertLines(t, v, append(text, "15:04:05.126 ← [127.0.0.1:5050] 2 B: ok"))
}

func TestLogViewOtherEvents(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	at := logT0
	v.Append([]netio.Event{
		{Time: at, Kind: netio.EventListening, Proto: "tcp", Local: "127.0.0.1:7788"},
		{Time: at, Kind: netio.EventAccepted, Proto: "tcp", Local: "127.0.0.1:7788", Peer: testPeer, Client: 1},
		{Time: at, Kind: netio.EventClosed, Proto: "tcp", Local: "127.0.0.1:7788", Peer: testPeer, Reason: netio.ReasonReset},
		{Time: at, Kind: netio.EventClosed, Proto: "tcp", Local: "127.0.0.1:7788", Peer: testPeer, Reason: netio.ReasonLocal, Data: []byte{0xc4}, Text: `\xC4`},
		{Time: at, Kind: netio.EventError, Proto: "udp", Peer: testPeer, Err: errors.New("boom\nnext")},
		{Time: at, Kind: netio.EventClosed, Proto: "tcp", Local: "127.0.0.1:7788"},
	})
	assertLines(t, v, []string{
		"15:04:05.123 • tcp listening on 127.0.0.1:7788",
		"15:04:05.123 • [127.0.0.1:5050] accepted (local 127.0.0.1:7788)",
		"15:04:05.123 • [127.0.0.1:5050] connection reset by peer",
		`15:04:05.123 • [127.0.0.1:5050] closed here (unfinished bytes: \xC4)`,
		`15:04:05.123 ⚠ [127.0.0.1:5050] error: boom\nnext`,
		"15:04:05.123 • 127.0.0.1:7788 closed",
	})
	v.modeSelect.SetSelected("Hex")
	if got := v.Lines()[4]; got != hexRow("0000  c4", ".") {
		t.Errorf("hex row of unfinished bytes = %q", got)
	}
}

func TestLogViewHexCap(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	data := make([]byte, 1100)
	for i := range data {
		data[i] = byte(i)
	}
	v.Append([]netio.Event{dataEvent(netio.EventReceived, 0, testPeer, data, "")})
	v.modeSelect.SetSelected("Hex")
	lines := v.Lines()
	if len(lines) != 1+64+1 {
		t.Fatalf("%d rows, want 66", len(lines))
	}
	if lines[0] != "15:04:05.123 ← [127.0.0.1:5050] 1100 B" {
		t.Errorf("headline %q", lines[0])
	}
	if want := "0020  20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f  | !\"#$%&'()*+,-./|"; lines[3] != want {
		t.Errorf("row 0x20:\n%q\nwant\n%q", lines[3], want)
	}
	if !strings.HasPrefix(lines[64], "03f0  f0 f1 ") {
		t.Errorf("last dump row %q", lines[64])
	}
	if lines[65] != "… 76 more bytes" {
		t.Errorf("overflow row %q", lines[65])
	}
}

// Received text is untrusted: control characters, ANSI escapes and bidi overrides
// are escaped, markup stays literal, and the row is a plain one-line label.
func TestLogViewUntrustedText(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	text := "a\x1b[31mred\x1b[0m\r\n\u202Eevil [markup](x) **bold** <b>tag</b>\x07"
	v.Append([]netio.Event{dataEvent(netio.EventReceived, 0, testPeer, []byte(text), text)})
	want := `15:04:05.123 ← [127.0.0.1:5050] ` + fmt.Sprint(len(text)) +
		` B: a\x1B[31mred\x1B[0m\r\n\u{202E}evil [markup](x) **bold** <b>tag</b>\x07`
	assertLines(t, v, []string{want})

	var found *canvas.Text
	for _, o := range test.LaidOutObjects(v.list) {
		switch o := o.(type) {
		case *canvas.Text:
			// The row may be cut to the view's width; what it shows is the start
			// of the escaped line.
			if o.Text == want || strings.HasSuffix(o.Text, "…") && strings.HasPrefix(want, strings.TrimSuffix(o.Text, "…")) && strings.Contains(o.Text, `\x1B[31m`) {
				found = o
			}
		case *widget.RichText:
			t.Errorf("a row is rich text (%T): markup could be interpreted", o)
		}
	}
	if found == nil {
		t.Fatal("no row shows the escaped line")
	}
	if !found.TextStyle.Monospace {
		t.Error("row text is not monospace")
	}
}

// A row longer than the view is cut to its width with "…": the text drawn never
// runs past the row, whatever came in.
func TestLogViewCutsLongRows(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	long := strings.Repeat("0123456789", 200) + "END"
	v.Append([]netio.Event{dataEvent(netio.EventReceived, 0, testPeer, []byte(long), long)})
	var row *canvas.Text
	for _, o := range test.LaidOutObjects(v.list) {
		if o, ok := o.(*canvas.Text); ok && strings.Contains(o.Text, "0123456789") {
			row = o
		}
	}
	if row == nil {
		t.Fatal("no row shows the line")
	}
	if !strings.HasSuffix(row.Text, "…") || strings.Contains(row.Text, "END") {
		t.Fatalf("long row not cut: %d runes, ends %q", len([]rune(row.Text)), row.Text[max(len(row.Text)-20, 0):])
	}
	if w := fyne.MeasureText(row.Text, row.TextSize, row.TextStyle).Width; w > v.list.Size().Width {
		t.Errorf("cut row is %.0f wide in a list %.0f wide", w, v.list.Size().Width)
	}
	if full := v.Lines()[0]; !strings.HasSuffix(full, "END") {
		t.Errorf("the row's full text (for copying, saving) lost its end: %q", full[len(full)-10:])
	}
}

func TestCutToColumns(t *testing.T) {
	for _, c := range []struct {
		in   string
		cols int
		want string
	}{
		{"hello", 5, "hello"},
		{"hello", 10, "hello"},
		{"hello!", 5, "hell…"},
		{"hello", 1, "…"},
		{"hello", 0, ""},
		{"", 3, ""},
		{"你好世界", 8, "你好世界"},
		{"你好世界", 7, "你好世…"},
		{"你好世界", 6, "你好…"},
		{"a你好", 4, "a你…"},
		{"ab你", 3, "ab…"},
		{"\x1b[31m", 8, "\x1b[31m"},
	} {
		if got := cutToColumns(c.in, c.cols); got != c.want {
			t.Errorf("cutToColumns(%q, %d) = %q, want %q", c.in, c.cols, got, c.want)
		}
	}
}

func TestLogViewCapacity(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	v.Append(numbered(0, 100))
	v.Append(numbered(100, 100))
	v.Append(numbered(200, 50))
	lines := v.Lines()
	if len(lines) != 100 || !strings.HasSuffix(lines[0], "msg 150") || !strings.HasSuffix(lines[99], "msg 249") {
		t.Fatalf("%d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
	if !strings.Contains(v.status.Text, "150 older lines left the display") || !v.status.Visible() {
		t.Errorf("status %q", v.status.Text)
	}
	if v.events.len() != 100 || len(v.shown)-v.head != 100 {
		t.Errorf("ring holds %d events, %d shown", v.events.len(), len(v.shown)-v.head)
	}

	// In hex mode the rows of evicted events go with them.
	v.modeSelect.SetSelected("Text + Hex")
	v.Append(numbered(250, 30))
	lines = v.Lines()
	if len(lines) != 200 || !strings.HasSuffix(lines[0], "msg 180") || !strings.HasPrefix(lines[1], "0000  6d 73 67 20 31 38 30") {
		t.Fatalf("%d lines, first %q %q", len(lines), lines[0], lines[1])
	}

	// A long run keeps memory bounded: the ring and the row index stay small, in
	// small batches (rows leave the index's front a few at a time) and big ones.
	for i := range 30 {
		v.Append(numbered(1000+i*50, 50))
	}
	if len(v.shown) > 1200 {
		t.Errorf("row index not compacted: %d entries, %d live", len(v.shown), len(v.shown)-v.head)
	}
	for i := range 5 {
		v.Append(numbered(10_000+i*1000, 1000))
	}
	if v.events.len() != 100 || len(v.shown)-v.head != 100 || cap(v.shown) > 4096 {
		t.Errorf("after a long run: ring %d, shown %d (cap %d)", v.events.len(), len(v.shown)-v.head, cap(v.shown))
	}
	if !strings.Contains(v.status.Text, "6,680 older lines left the display") {
		t.Errorf("status %q", v.status.Text)
	}
	if got := v.Lines(); len(got) != 200 || !strings.HasSuffix(got[198], "msg 14999") {
		t.Errorf("last rows %q", got[len(got)-2:])
	}
}

func TestLogViewFilter(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	ev := func(peer string, client uint64, data []byte, text string) netio.Event {
		e := dataEvent(netio.EventReceived, 0, peer, data, text)
		e.Client = client
		return e
	}
	v.Append([]netio.Event{
		ev("127.0.0.1:5050", 1, []byte("Hello there"), "Hello there"),
		ev("127.0.0.1:5051", 2, []byte{0xc4, 0xe3, 0xba, 0xc3}, "你好"),
		ev("127.0.0.1:5051", 2, []byte("say HELLO"), "say HELLO"),
		ev("10.0.0.9:7", 3, []byte("bye"), "bye"),
	})
	shown := func() (tails []string) {
		for _, l := range v.Lines() {
			tails = append(tails, l[strings.Index(l, "["):])
		}
		return tails
	}
	check := func(what string, want ...string) {
		t.Helper()
		if got := shown(); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: shown %q, want %q", what, got, want)
		}
	}

	test.Type(v.filterEntry, "hello")
	check("text filter", "[127.0.0.1:5050] 11 B: Hello there", "[127.0.0.1:5051] 9 B: say HELLO")

	v.filterEntry.SetText("")
	test.Type(v.filterEntry, "5051")
	check("peer filter", "[127.0.0.1:5051] 4 B: 你好", "[127.0.0.1:5051] 9 B: say HELLO")

	v.filterEntry.SetText("你")
	check("CJK filter", "[127.0.0.1:5051] 4 B: 你好")

	// Hex bytes match in the hex modes only.
	v.filterEntry.SetText("C4 E3")
	check("hex query in text mode")
	v.modeSelect.SetSelected("Hex")
	if got := v.Lines(); len(got) != 2 || !strings.HasPrefix(got[1], "0000  c4 e3 ba c3") {
		t.Errorf("hex filter in hex mode: %q", got)
	}
	v.modeSelect.SetSelected("Text")

	// The client filter combines with the text filter.
	v.filterEntry.SetText("")
	v.SetClientFilter(2)
	check("client 2", "[127.0.0.1:5051] 4 B: 你好", "[127.0.0.1:5051] 9 B: say HELLO")
	test.Type(v.filterEntry, "hello")
	check("client 2 and hello", "[127.0.0.1:5051] 9 B: say HELLO")
	v.Append([]netio.Event{ev("127.0.0.1:5050", 1, []byte("hello again"), "hello again"), ev("127.0.0.1:5051", 2, []byte("Hello 2"), "Hello 2")})
	check("appended under filters", "[127.0.0.1:5051] 9 B: say HELLO", "[127.0.0.1:5051] 7 B: Hello 2")
	v.SetClientFilter(0)
	check("all clients, hello", "[127.0.0.1:5050] 11 B: Hello there", "[127.0.0.1:5051] 9 B: say HELLO",
		"[127.0.0.1:5050] 11 B: hello again", "[127.0.0.1:5051] 7 B: Hello 2")
}

func TestLogViewClearAndDropped(t *testing.T) {
	v, _, _ := newTestLogView(t, 10)
	v.Append(numbered(0, 15))
	v.SetDropped(42)
	if s := v.status.Text; !strings.Contains(s, "5 older lines left the display") || !strings.Contains(s, "42 events not shown (display too slow)") {
		t.Errorf("status %q", s)
	}
	test.Tap(v.clearBtn)
	if n := len(v.Lines()); n != 0 || v.list.Length() != 0 || v.events.len() != 0 {
		t.Errorf("after Clear: %d lines, ring %d", n, v.events.len())
	}
	if v.status.Text != "" || v.status.Visible() {
		t.Errorf("status after Clear %q", v.status.Text)
	}
	v.SetDropped(50)
	v.Append(numbered(15, 2))
	if s := v.status.Text; s != "8 events not shown (display too slow)" {
		t.Errorf("status %q", s)
	}
	if got := v.Lines(); len(got) != 2 || !strings.HasSuffix(got[0], "msg 15") {
		t.Errorf("after Clear and Append: %q", got)
	}
}

func TestLogViewPauseResume(t *testing.T) {
	v, _, _ := newTestLogView(t, 10)
	v.Append(numbered(0, 3))
	test.Tap(v.pauseBtn)
	if v.pauseBtn.Text != "Resume" {
		t.Errorf("pause button says %q", v.pauseBtn.Text)
	}
	v.Append(numbered(3, 5))
	if n := len(v.Lines()); n != 3 || v.list.Length() != 3 {
		t.Errorf("paused: %d lines shown", n)
	}
	if !strings.Contains(v.status.Text, "Paused: 5 new events waiting") {
		t.Errorf("status %q", v.status.Text)
	}
	test.Tap(v.pauseBtn)
	if got := v.Lines(); len(got) != 8 || !strings.HasSuffix(got[7], "msg 7") || v.pauseBtn.Text != "" {
		t.Errorf("resumed: %q", got)
	}

	// Paused while the ring overwrites what the list shows: the list keeps showing
	// it (filters still apply to it), and resuming shows the newest ring.
	v.Append(numbered(8, 2)) // msg 0..9: the ring is full
	test.Tap(v.pauseBtn)
	v.Append(numbered(10, 25))
	lines := v.Lines()
	if len(lines) != 10 || !strings.HasSuffix(lines[0], "msg 0") || !strings.HasSuffix(lines[9], "msg 9") {
		t.Errorf("paused over a full ring: %q", lines)
	}
	test.Type(v.filterEntry, "msg 1")
	if got := v.Lines(); len(got) != 1 || !strings.HasSuffix(got[0], "msg 1") {
		t.Errorf("filtered while paused: %q", got)
	}
	v.filterEntry.SetText("")
	if !strings.Contains(v.status.Text, "25 older lines left the display") {
		t.Errorf("status %q", v.status.Text)
	}
	test.Tap(v.pauseBtn)
	lines = v.Lines()
	if len(lines) != 10 || !strings.HasSuffix(lines[0], "msg 25") || !strings.HasSuffix(lines[9], "msg 34") || v.snap != nil {
		t.Errorf("resumed over a full ring: %q", lines)
	}
}

func TestLogViewCopyLine(t *testing.T) {
	v, a, w := newTestLogView(t, 3)
	long := strings.Repeat("long text ", 40)
	v.Append([]netio.Event{
		dataEvent(netio.EventReceived, 0, testPeer, []byte("first"), "first"),
		dataEvent(netio.EventReceived, 1, testPeer, []byte(long), long),
		dataEvent(netio.EventSent, 2, testPeer, []byte("third"), "third"),
	})
	if !v.copyBtn.Disabled() {
		t.Error("Copy is enabled with nothing selected")
	}
	v.list.Select(1)
	if v.copyBtn.Disabled() {
		t.Fatal("Copy is disabled with a row selected")
	}
	test.Tap(v.copyBtn)
	want := "15:04:05.124 ← [127.0.0.1:5050] 400 B: " + long
	if got := a.Clipboard().Content(); got != want {
		t.Errorf("clipboard %q, want %q", got, want)
	}

	// Ctrl+C on the focused list, as the driver delivers it.
	v.list.Select(2)
	w.Canvas().Focus(v.list)
	sc, ok := w.Canvas().Focused().(fyne.Shortcutable)
	if !ok {
		t.Fatalf("focused %T takes no shortcuts", w.Canvas().Focused())
	}
	sc.TypedShortcut(&fyne.ShortcutCopy{Clipboard: a.Clipboard()})
	if got := a.Clipboard().Content(); got != "15:04:05.125 → [127.0.0.1:5050] 5 B: third" {
		t.Errorf("clipboard after Ctrl+C %q", got)
	}

	// The selection follows its row as older rows leave, and goes when it leaves.
	v.Append(numbered(0, 2)) // evicts "first" and the long one
	test.Tap(v.copyBtn)
	if got := a.Clipboard().Content(); !strings.HasSuffix(got, "B: third") {
		t.Errorf("clipboard after rows shifted %q", got)
	}
	if id, _ := v.selectedID(); id != 0 {
		t.Errorf("selected row %d, want 0", id)
	}
	v.Append(numbered(2, 1))
	if !v.copyBtn.Disabled() {
		t.Error("Copy still enabled after the selected row left")
	}

	// In Text + Hex a hex row can be copied too.
	v.modeSelect.SetSelected("Text + Hex")
	v.list.Select(1)
	test.Tap(v.copyBtn)
	if got := a.Clipboard().Content(); got != hexRow("0000  6d 73 67 20 30", "msg 0") {
		t.Errorf("clipboard with a hex row %q", got)
	}
}

func TestLogViewAutoScroll(t *testing.T) {
	v, _, _ := newTestLogView(t, 1000)
	v.Append(numbered(0, 200))
	if v.list.GetScrollOffset() <= 0 || !v.atBottom() {
		t.Fatalf("did not follow: offset %v", v.list.GetScrollOffset())
	}

	// Scrolled up: the view stays where the user is.
	v.list.ScrollToOffset(100)
	v.Append(numbered(200, 10))
	if off := v.list.GetScrollOffset(); off != 100 {
		t.Errorf("scrolled-up view moved to %v", off)
	}
	// Back at the bottom: it follows again.
	v.list.ScrollToBottom()
	before := v.list.GetScrollOffset()
	v.Append(numbered(210, 10))
	if off := v.list.GetScrollOffset(); off <= before || !v.atBottom() {
		t.Errorf("did not follow again: %v -> %v", before, off)
	}
	// Follow turned off: no scrolling.
	test.Tap(v.followCheck)
	if v.follow {
		t.Fatal("Follow still on")
	}
	before = v.list.GetScrollOffset()
	v.Append(numbered(220, 10))
	if off := v.list.GetScrollOffset(); off != before {
		t.Errorf("scrolled with Follow off: %v -> %v", before, off)
	}
	test.Tap(v.followCheck)
	if !v.atBottom() {
		t.Error("turning Follow on did not go to the bottom")
	}
}

// Following survives the list changing height under it: the status line appearing
// when older rows start to leave, and the window shrinking.
func TestLogViewFollowsThroughResize(t *testing.T) {
	v, _, w := newTestLogView(t, 300)
	v.Append(numbered(0, 300))
	if v.status.Visible() || !v.atBottom() {
		t.Fatalf("status %q shown, at bottom %v", v.status.Text, v.atBottom())
	}
	v.Append(numbered(300, 10)) // the status line appears and takes a line of the list
	if !v.status.Visible() || !v.atBottom() {
		t.Errorf("status shown %v, at bottom %v", v.status.Visible(), v.atBottom())
	}
	w.Resize(fyne.NewSize(900, 300))
	v.SetDropped(5)
	v.Append(numbered(310, 10))
	if !v.atBottom() {
		t.Error("stopped following after the window shrank")
	}
}

// While the user reads older rows and the ring is full, the rows leaving above do
// not drag the view: the same row stays on top.
func TestLogViewScrolledUpKeepsItsRows(t *testing.T) {
	v, _, _ := newTestLogView(t, 300)
	v.Append(numbered(0, 300))
	step := v.rowStep()
	v.list.ScrollToOffset(100 * step)
	top := func() string { return v.Lines()[int(v.list.GetScrollOffset()/step+0.5)] }
	before := top()
	v.Append(numbered(300, 20))
	if after := top(); after != before {
		t.Errorf("top row changed from %q to %q", before, after)
	}
}

func TestLogViewBigBatch(t *testing.T) {
	v, _, _ := newTestLogView(t, DefaultCapacity)
	v.Append(numbered(0, 10_000))
	if n := v.list.Length(); n != 10_000 {
		t.Fatalf("list length %d", n)
	}
	if lines := v.Lines(); !strings.HasSuffix(lines[9999], "msg 9999") {
		t.Errorf("last line %q", lines[9999])
	}
	if !v.atBottom() {
		t.Error("not at the bottom after a big batch")
	}
	labels := 0
	for _, o := range test.LaidOutObjects(v.list) {
		if _, ok := o.(*canvas.Text); ok {
			labels++
		}
	}
	if labels == 0 || labels > 100 {
		t.Errorf("%d row labels built for 10,000 rows", labels)
	}
}

func TestLogSaveText(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	events := []netio.Event{
		dataEvent(netio.EventReceived, 0, testPeer, []byte{0xc4, 0xe3}, "你"),
		dataEvent(netio.EventSent, 1, "127.0.0.1:6000", []byte("x\r\n"), "x\r\n"),
		{Time: logT0, Kind: netio.EventClosed, Proto: "tcp", Local: "127.0.0.1:7788", Peer: testPeer, Reason: netio.ReasonPeerClosed},
	}
	v.Append(events)
	var buf bytes.Buffer
	n, err := writeLogEvents(&buf, v.savedEvents(), false, SideNone)
	if err != nil || n != 3 {
		t.Fatalf("wrote %d, %v", n, err)
	}
	var want strings.Builder
	for _, e := range events {
		want.WriteString(eventlog.FormatLine(e, true) + "\n")
	}
	if buf.String() != want.String() {
		t.Errorf("text log:\n%s\nwant:\n%s", buf.String(), want.String())
	}

	// Filters apply; whatever the list shows, every matching event in the ring is saved.
	v.filterEntry.SetText("6000")
	buf.Reset()
	if n, _ := writeLogEvents(&buf, v.savedEvents(), false, SideNone); n != 1 || buf.String() != eventlog.FormatLine(events[1], true)+"\n" {
		t.Errorf("filtered text log (%d): %q", n, buf.String())
	}
}

func TestLogSaveCSV(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	tricky := "he said \"hi\", then\nleft"
	v.Append([]netio.Event{
		dataEvent(netio.EventReceived, 0, testPeer, []byte{0xc4, 0xe3, 0xba, 0xc3}, "你好"),
		dataEvent(netio.EventSent, 1, testPeer, []byte(tricky), tricky),
		{Time: logT0, Kind: netio.EventClosed, Proto: "tcp", Local: "127.0.0.1:7788", Peer: testPeer, Reason: netio.ReasonPeerClosed},
	})
	var buf bytes.Buffer
	if _, err := writeLogEvents(&buf, v.savedEvents(), true, SideServer); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"time", "direction", "peer", "bytes", "text", "hex"},
		{"2025-03-01 15:04:05.123", "received", testPeer, "4", "你好", "c4e3bac3"},
		{"2025-03-01 15:04:05.124", "sent", testPeer, fmt.Sprint(len(tricky)), `he said "hi", then\nleft`, hex.EncodeToString([]byte(tricky))},
		{"2025-03-01 15:04:05.123", "closed", testPeer, "0", "client closed", ""},
	}
	if fmt.Sprintf("%q", records) != fmt.Sprintf("%q", want) {
		t.Errorf("CSV records:\n%q\nwant:\n%q", records, want)
	}
}

// fakeWriter is what the save dialog hands over.
type fakeWriter struct {
	io.Writer
	uri    fyne.URI
	closed bool
}

func (f *fakeWriter) Close() error   { f.closed = true; return nil }
func (f *fakeWriter) URI() fyne.URI  { return f.uri }
func (f *fakeWriter) String() string { return f.Writer.(*bytes.Buffer).String() }

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestLogSaveTo(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	v.Append(numbered(0, 2))
	dir := t.TempDir()

	csvOut := &fakeWriter{Writer: &bytes.Buffer{}, uri: storage.NewFileURI(dir + "/log.CSV")}
	v.saveTo(csvOut)
	if !csvOut.closed || !strings.HasPrefix(csvOut.String(), "time,direction,peer,bytes,text,hex\n") {
		t.Errorf("CSV save: closed %v, %q", csvOut.closed, csvOut.String())
	}
	if !strings.Contains(v.status.Text, "Saved 2 events to log.CSV") {
		t.Errorf("status %q", v.status.Text)
	}

	textOut := &fakeWriter{Writer: &bytes.Buffer{}, uri: storage.NewFileURI(dir + "/log.txt")}
	v.saveTo(textOut)
	if lines := strings.Split(strings.TrimSuffix(textOut.String(), "\n"), "\n"); len(lines) != 2 || !strings.HasSuffix(lines[1], "RECV tcp [127.0.0.1:5050] 5 B: msg 1") {
		t.Errorf("text save: %q", lines)
	}

	v.saveTo(&fakeWriter{Writer: failingWriter{}, uri: storage.NewFileURI(dir + "/log.txt")})
	if !strings.Contains(v.status.Text, "⚠ Save failed: disk full") {
		t.Errorf("status after a failed save %q", v.status.Text)
	}
}

// BenchmarkLogViewAppend appends 1,000,000 events in batches of 1,000 (the pump's
// way) to a view of the default capacity in a 900x500 window, so each batch also
// pays for re-rendering the visible rows; "unshown" is the same view outside any
// window, the cost of the ring and the row index alone.
func BenchmarkLogViewAppend(b *testing.B) {
	const total, batchSize = 1_000_000, 1_000
	for _, bc := range []struct {
		name, mode, filter string
		shown              bool
	}{
		{"text", "Text", "", true},
		{"texthex", "Text + Hex", "", true},
		{"filtered", "Text", "msg 7", true},
		{"unshown", "Text", "", false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			a := test.NewTempApp(b)
			w := a.NewWindow("bench")
			defer w.Close()
			w.Resize(fyne.NewSize(900, 500))
			batch := make([]netio.Event, batchSize)
			for i := range batch {
				text := fmt.Sprintf("msg %d: some ordinary payload of a few dozen bytes", i)
				batch[i] = dataEvent(netio.EventReceived, i, testPeer, []byte(text), text)
			}
			for b.Loop() {
				v := New(a, w, DefaultCapacity)
				if bc.shown {
					w.SetContent(v.Object())
				}
				v.modeSelect.SetSelected(bc.mode)
				v.filterEntry.SetText(bc.filter)
				for range total / batchSize {
					v.Append(batch)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/total, "ns/event")
		})
	}
}

// A flood of big datagrams cannot make the log hold more than its byte budget: the
// oldest events leave, as they do for the line count, and the status says so.
func TestLogViewBoundsTheDataItHolds(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("")
	defer w.Close()
	v := New(a, w, 1000)
	v.maxBytes = 1 << 20
	big := make([]byte, 64<<10)
	for range 10 {
		batch := make([]netio.Event, 10)
		for i := range batch {
			batch[i] = netio.Event{Time: time.Now(), Kind: netio.EventReceived, Peer: "127.0.0.1:9", Data: big, Text: "x"}
		}
		v.Append(batch)
	}
	if v.dataBytes > v.maxBytes || v.events.len() != 16 {
		t.Errorf("holds %d bytes in %d events; budget %d (16 events of 64 KiB)", v.dataBytes, v.events.len(), v.maxBytes)
	}
	if len(v.Lines()) != 16 || v.events.evicted != 84 {
		t.Errorf("%d rows shown, %d evicted", len(v.Lines()), v.events.evicted)
	}
	// Paused, the rows on screen stay readable while the budget pushes events out.
	v.togglePause()
	before := v.Lines()
	v.Append([]netio.Event{{Time: time.Now(), Kind: netio.EventReceived, Peer: "127.0.0.1:9", Data: big, Text: "y"}})
	if got := v.Lines(); len(got) != len(before) || got[0] != before[0] {
		t.Errorf("paused view changed: %d rows, first %q (was %q)", len(got), got[0], before[0])
	}
	v.togglePause()
	if v.dataBytes > v.maxBytes {
		t.Errorf("after resume: %d bytes", v.dataBytes)
	}
}
