package app

import (
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/netio/framing"
)

// acceptOne listens on loopback and returns the listener's address and a
// channel with the first connection accepted.
func acceptOne(t *testing.T) (string, <-chan net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(conns)
			return
		}
		t.Cleanup(func() { c.Close() })
		conns <- c
	}()
	return ln.Addr().String(), conns
}

// receivedRows are the log's rows of received messages.
func receivedRows(p *session) []string {
	var out []string
	for _, l := range p.log.Lines() {
		if strings.Contains(l, " ← ") {
			out = append(out, l)
		}
	}
	return out
}

// A TCP client session with line framing shows one row per line, however the
// peer cut its writes: three lines coalesced into one write, one line split
// across writes with pauses between them.
func TestTCPClientLineFramingShowsOneRowPerLine(t *testing.T) {
	e, q := newTestEnv(t)
	addr, conns := acceptOne(t)
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	host, port, _ := net.SplitHostPort(addr)
	p.host.SetText(host)
	p.port.SetText(port)
	p.framing.mode.SetSelectedIndex(int(framing.Line))
	test.Tap(p.connectBtn)
	peer := <-conns
	if peer == nil {
		t.Fatal("no connection")
	}
	uiWait(t, q, "connected", func() bool { return p.client != nil })
	if !strings.Contains(p.bar.Text(), "frames end at LF") {
		t.Errorf("the state line does not name the framing: %q", p.bar.Text())
	}

	for _, w := range []string{"one\ntwo\r\nthr", "ee\nfo", "u", "r\n"} {
		if _, err := peer.Write([]byte(w)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond) // each write its own read
	}
	uiWait(t, q, "four lines", func() bool { return len(receivedRows(p.session)) >= 4 })
	q.Flush()
	rows := receivedRows(p.session)
	want := []string{`4 B: one\n`, `5 B: two\r\n`, `6 B: three\n`, `5 B: four\n`}
	if len(rows) != len(want) {
		t.Fatalf("%d received rows, want %d: %q", len(rows), len(want), rows)
	}
	for i, w := range want {
		if !strings.HasSuffix(rows[i], w) {
			t.Errorf("row %d %q, want it to end in %q", i, rows[i], w)
		}
	}
	uiWait(t, q, "frames counted as messages", func() bool { return strings.Contains(p.counters.Text(), "In 4 msgs · 20 B") })

	// An unfinished line when the peer leaves is shown, marked incomplete.
	peer.Write([]byte("five"))
	time.Sleep(30 * time.Millisecond)
	peer.Close()
	uiWait(t, q, "the incomplete frame", func() bool { return logShows(p.log, "incomplete frame") })
	if rows := receivedRows(p.session); !strings.Contains(rows[len(rows)-1], "4 B ⚠ (incomplete frame: the connection ended): five") {
		t.Errorf("last row %q", rows[len(rows)-1])
	}
}

// A message longer than Max frame is cut there, its pieces marked, in a server
// session.
func TestTCPServerFramingOverflowIsMarked(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	p.framing.mode.SetSelectedIndex(int(framing.Delim))
	p.framing.delim.SetText("03")
	p.framing.maxFrame.SetText("8")
	test.Tap(p.startBtn)
	if p.srv == nil {
		t.Fatalf("not started: %s", shown(p.session))
	}
	if !strings.Contains(p.bar.Text(), "frames end at 03") {
		t.Errorf("state %q", p.bar.Text())
	}
	c, err := net.Dial("tcp4", p.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("0123456789ab\x03ok\x03"))
	uiWait(t, q, "three frames", func() bool { return len(receivedRows(p.session)) >= 3 })
	rows := receivedRows(p.session)
	// Both pieces of the long message are marked; the next one is whole.
	for i, w := range []string{"8 B ⚠ (overflow: longer than the max frame, cut there): 01234567",
		`5 B ⚠ (overflow: longer than the max frame, cut there): 89ab\x03`, `3 B: ok\x03`} {
		if !strings.HasSuffix(rows[i], w) {
			t.Errorf("row %d %q, want it to end in %q", i, rows[i], w)
		}
	}
}

// Each field's error is shown at that field, saying what it takes; the session
// does not start.
func TestFramingFieldErrorsAreShownAtTheirField(t *testing.T) {
	e, _ := newTestEnv(t)
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	p.host.SetText("127.0.0.1")
	p.port.SetText("9")
	f := p.framing
	for _, tc := range []struct {
		name string
		set  func()
		row  *fieldRow
		want string
	}{
		{"bad hex digit", func() { f.mode.SetSelectedIndex(int(framing.Delim)); f.delim.SetText("0d 0x") }, f.delimRow, `"x" at character 5 is not a hex digit`},
		{"odd digits", func() { f.delim.SetText("0d0") }, f.delimRow, "two hex digits per byte"},
		{"no delimiter", func() { f.delim.SetText("") }, f.delimRow, "enter the bytes that end a frame"},
		{"fixed zero", func() { f.mode.SetSelectedIndex(int(framing.Fixed)); f.fixed.SetText("0") }, f.fixedRow, "from 1 to 1073741824"},
		{"length offset", func() { f.mode.SetSelectedIndex(int(framing.Length)); f.offset.SetText("x") }, f.offsetRow, "from 0 to 65535"},
		{"length adjust", func() { f.offset.SetText("4"); f.adjust.SetText("2x") }, f.adjustRow, "it may be negative"},
		{"idle", func() { f.mode.SetSelectedIndex(int(framing.Idle)); f.idle.SetText("5") }, f.idleRow, "such as 20ms"},
		{"max frame", func() { f.idle.SetText("5ms"); f.maxFrame.SetText("2GiB") }, f.modeRow, `"2GiB" is not a size`},
	} {
		tc.set()
		test.Tap(p.connectBtn)
		if p.connecting || p.client != nil {
			t.Fatalf("%s: the session started", tc.name)
		}
		if tc.row.err == nil || !tc.row.obj.Visible() || !strings.Contains(tc.row.noteText(), tc.want) {
			t.Errorf("%s: the field shows %q (visible %v), want %q\n%s", tc.name, tc.row.noteText(), tc.row.obj.Visible(), tc.want, shown(p.session))
		}
		for _, r := range f.rows() {
			if r != tc.row && r.err != nil {
				t.Errorf("%s: %q shows an error too: %v", tc.name, r.name(), r.err)
			}
		}
	}
	if !f.modeRow.parts[0].outline.Visible() || f.modeRow.outline.Visible() {
		t.Error("the max frame's error does not outline that field alone")
	}
	// Editing a field takes its error away.
	f.maxFrame.SetText("64KiB")
	if f.modeRow.err != nil {
		t.Errorf("the error stayed after an edit: %v", f.modeRow.err)
	}
}

// The framing is saved with the session, as --frame writes it, and comes back
// into the same fields; the fields a mode does not take are hidden.
func TestFramingIsSavedWithTheSession(t *testing.T) {
	e, _ := newTestEnv(t)
	p := newRelayPanel(e)
	t.Cleanup(p.Close)
	f := p.framing
	if f.offsetRow.obj.Visible() || f.maxBox.Visible() {
		t.Error("without framing, its fields are shown")
	}
	f.mode.SetSelectedIndex(int(framing.Length))
	f.offset.SetText("4")
	f.size.SetSelectedIndex(1)
	f.order.SetSelectedIndex(1)
	f.adjust.SetText("-2")
	f.maxFrame.SetText("64KiB")
	if !f.offsetRow.obj.Visible() || !f.adjustRow.obj.Visible() || f.delimRow.obj.Visible() {
		t.Error("length framing shows the wrong fields")
	}
	if got := f.modeRow.noteText(); got != "frames of 6 + length - 2 bytes: a 2-byte little-endian length at byte 4" {
		t.Errorf("the framing is described as %q", got)
	}
	ws := p.capture()
	if ws.Settings["frame"] != "length:4:2:le:-2" || ws.Settings["maxframe"] != "64KiB" {
		t.Fatalf("saved frame %q, maxframe %q", ws.Settings["frame"], ws.Settings["maxframe"])
	}

	q := newRelayPanel(e)
	t.Cleanup(q.Close)
	q.restore(ws)
	spec, max, err := q.framing.spec()
	if err != nil || spec.String() != "length:4:2:le:-2" || max != 64<<10 {
		t.Errorf("restored %v, %d, %v", spec, max, err)
	}
	if got := q.capture().Settings["frame"]; got != "length:4:2:le:-2" {
		t.Errorf("saved again as %q", got)
	}
	for _, spec := range []string{"line", "delim:0d0a", "fixed:16", "modbus-tcp", "idle:20ms", "length:0:4"} {
		ws.Settings["frame"] = spec
		q.restore(ws)
		if got := q.capture().Settings["frame"]; got != spec {
			t.Errorf("%q comes back as %q", spec, got)
		}
	}
}

// The framing speaks the UI language, switched at once: its choices, its
// label, and what it says the frames are.
func TestFramingInChinese(t *testing.T) {
	useLanguage(t, "en")
	e, _ := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.framing.mode.SetSelectedIndex(int(framing.Length))
	useLanguage(t, "zh-Hans")
	p.relabel()
	f := p.framing
	if f.mode.Selected != "长度字段" || f.order.Options[1] != "小端" || f.size.Selected != "2 字节" || f.modeRow.label.Text != "分帧" {
		t.Errorf("mode %q, orders %q, size %q, label %q", f.mode.Selected, f.order.Options, f.size.Selected, f.modeRow.label.Text)
	}
	if got := f.modeRow.noteText(); got != "帧长 2 + 长度 字节：2 字节大端长度字段，位于第 0 字节" {
		t.Errorf("described as %q", got)
	}
	for spec, want := range map[string]string{
		"line":       "帧以 LF 结尾",
		"delim:0d0a": "帧以 0d 0a 结尾",
		"fixed:16":   "每帧 16 字节",
		"idle:20ms":  "无数据 20ms 后结束一帧",
	} {
		s, err := framing.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := describeFraming(s); got != want {
			t.Errorf("%s: %q, want %q", spec, got, want)
		}
	}
}

func TestParseFrameSize(t *testing.T) {
	for text, want := range map[string]int{"": 0, " ": 0, "64KiB": 64 << 10, "1 MiB": 1 << 20} {
		if got, err := parseFrameSize(text); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", text, got, err, want)
		}
	}
	for _, text := range []string{"0", "lots"} {
		if _, err := parseFrameSize(text); err == nil {
			t.Errorf("%q: no error", text)
		}
	}
}
