package app

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// recorder is a fake send function: it keeps every payload (copied) and can be
// told to fail. Safe for the worker goroutine and the test goroutine.
type recorder struct {
	mu     sync.Mutex
	got    [][]byte
	failAt int   // the failAt-th call (1-based) and later ones fail; 0 = never
	err    error // what they fail with
}

func (r *recorder) send(p []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, bytes.Clone(p))
	if r.failAt > 0 && len(r.got) >= r.failAt {
		return r.err
	}
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func (r *recorder) payloads() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.got...)
}

func (r *recorder) last() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.got) == 0 {
		return nil
	}
	return r.got[len(r.got)-1]
}

type sendBoxFixture struct {
	t   *testing.T
	a   fyne.App
	w   fyne.Window
	q   *queuedUI
	rec *recorder
	cs  *charset.Charset
	b   *sendBox
}

// newSendBoxFixture builds an enabled send box in a test window, with a
// queuedUI so the test goroutine is the only UI goroutine.
func newSendBoxFixture(t *testing.T, cs *charset.Charset) *sendBoxFixture {
	t.Helper()
	a := test.NewTempApp(t)
	f := &sendBoxFixture{t: t, a: a, w: a.NewWindow(""), q: &queuedUI{}, rec: &recorder{}, cs: cs}
	f.b = f.newBox()
	f.w.SetContent(f.b.Object())
	f.w.Resize(fyne.NewSize(900, 400))
	f.b.SetEnabled(true)
	t.Cleanup(func() {
		f.b.Stop()
		f.q.Flush()
		f.w.Close()
	})
	return f
}

// newBox makes another send box over the same app, preferences and recorder.
func (f *sendBoxFixture) newBox() *sendBox {
	e := env{app: f.a, win: f.w, ui: f.q}
	return newSendBox(e, newPrefs(f.a, "udp"), func() *charset.Charset { return f.cs }, f.rec.send)
}

// waitFor flushes the UI queue until cond holds, failing after a deadline.
func (f *sendBoxFixture) waitFor(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.q.Flush()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("waited 5s for %s; sent %d payloads, error %q", what, f.rec.count(), f.b.note.Text())
		}
		time.Sleep(time.Millisecond)
	}
}

// sendText types text in the given mode and taps Send.
func (f *sendBoxFixture) sendText(text, mode string) {
	f.t.Helper()
	f.b.mode.SetSelected(mode)
	f.b.entry.SetText(text)
	test.Tap(f.b.sendBtn)
}

// sendAndWait sends text and waits until the worker has sent it.
func (f *sendBoxFixture) sendAndWait(text, mode string) []byte {
	f.t.Helper()
	n := f.rec.count()
	f.sendText(text, mode)
	f.waitFor("a payload", func() bool { return f.rec.count() > n })
	return f.rec.last()
}

// assertNothingQueued proves a refused Send queued nothing: a later good send
// is the next payload the worker delivers, as it runs jobs in order.
func (f *sendBoxFixture) assertNothingQueued(before int) {
	f.t.Helper()
	f.b.repeat.SetChecked(false)
	got := f.sendAndWait("marker", "Text")
	if n := f.rec.count(); n != before+1 || string(got) != "marker" {
		f.t.Fatalf("after a refused send: %d payloads (want %d), last %q", n, before+1, got)
	}
}

func unhexT(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func charsetT(t *testing.T, name string) *charset.Charset {
	t.Helper()
	cs, err := charset.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestSendBoxTextInGBK(t *testing.T) {
	f := newSendBoxFixture(t, charsetT(t, "GBK"))
	got := f.sendAndWait("你好", "Text")
	if want := unhexT(t, "c4e3bac3"); !bytes.Equal(got, want) {
		t.Fatalf("payload % x, want % x", got, want)
	}
	if f.b.note.isError() {
		t.Errorf("error shown after a good send: %q", f.b.note.Text())
	}
	p := newPrefs(f.a, "udp")
	if m, mode := p.get("message", ""), p.get("mode", ""); m != "你好" || mode != "text" {
		t.Errorf("remembered message %q mode %q", m, mode)
	}
}

func TestSendBoxEscapes(t *testing.T) {
	f := newSendBoxFixture(t, charsetT(t, "GBK"))
	for _, tc := range []struct{ in, want string }{
		{`AT\r\n`, "41540d0a"},
		{`你\x41\0\t\\`, "c4e34100095c"},
		{`\xC4\xe3`, "c4e3"},
	} {
		got := f.sendAndWait(tc.in, "Text with escapes")
		if want := unhexT(t, tc.want); !bytes.Equal(got, want) {
			t.Errorf("%q: payload % x, want % x", tc.in, got, want)
		}
	}
	if mode := newPrefs(f.a, "udp").get("mode", ""); mode != "escapes" {
		t.Errorf("remembered mode %q, want escapes", mode)
	}
}

func TestSendBoxHexForms(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	for _, in := range []string{
		"c4 e3 ba c3",
		"c4e3bac3",
		"C4E3BAC3",
		"0xc4,0xe3,0xba,0xc3",
		"0xC4 0xE3 0xBA 0xC3",
		"c4:e3:ba:c3",
		"c4-e3-ba-c3",
		`\xc4\xe3\xba\xc3`,
		"c4 e3\nba c3\n",
		"c4，e3，ba，c3",
	} {
		got := f.sendAndWait(in, "Hex")
		if want := unhexT(t, "c4e3bac3"); !bytes.Equal(got, want) {
			t.Errorf("%q: payload % x, want % x", in, got, want)
		}
	}
}

// A bad payload is explained under the entry, with its position, and nothing is sent.
func TestSendBoxBadPayloads(t *testing.T) {
	gbk := charsetT(t, "GBK")
	for _, tc := range []struct {
		name, text, mode string
		want             []string
	}{
		{"bad hex", "c4 e3 g1", "Hex", []string{`Hex: invalid character "g" at position 7`}},
		{"odd hex", "c4 e", "Hex", []string{"Hex:", "position 4"}},
		{"unencodable", "ab😀", "Text", []string{`"😀"`, "position 3", "GBK"}},
		{"unencodable after escape", `\x41😀`, "Text with escapes", []string{"position 5", "GBK"}},
		{"incomplete escape", `ab\x4`, "Text with escapes", []string{`Escapes: incomplete \x escape at position 3`}},
		{"empty", "", "Text", []string{"Nothing to send"}},
		{"unknown placeholder", "ab{countr}", "Text", []string{"Placeholder: unknown placeholder {countr} at position 3"}},
		{"bad hex placeholder", "你好{hex:0g}", "Text", []string{`Hex: invalid character "g" at position 9`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSendBoxFixture(t, gbk)
			f.sendText(tc.text, tc.mode)
			f.q.Flush()
			if !f.b.note.isError() {
				t.Fatalf("no error shown")
			}
			for _, w := range tc.want {
				if !strings.Contains(f.b.note.Text(), w) {
					t.Errorf("error %q lacks %q", f.b.note.Text(), w)
				}
			}
			if p := newPrefs(f.a, "udp"); p.get("message", "unset") != "unset" {
				t.Errorf("a refused message was remembered")
			}
			f.assertNothingQueued(0)
			if f.b.note.isError() {
				t.Errorf("error still shown after a good send: %q", f.b.note.Text())
			}
		})
	}
}

// An input error stays while its cause does, follows the edits (its position
// moves with the text) and goes when the text is right; the note's place, and
// the Send button, do not move meanwhile.
func TestSendBoxErrorClearsOnEdit(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.sendText("zz", "Hex")
	if !f.b.note.isError() {
		t.Fatal("no error for bad hex")
	}
	sendAt, noteAt := f.b.sendBtn.Position(), f.b.note.Position()
	f.b.entry.SetText("c4 zz")
	if !strings.Contains(f.b.note.Text(), "position 4") {
		t.Errorf("error after an edit that kept the cause: %q", f.b.note.Text())
	}
	f.b.entry.SetText("c4 e3")
	if f.b.note.isError() || f.b.note.Text() != "2 bytes" {
		t.Errorf("after the fix the note says %q", f.b.note.Text())
	}
	if f.b.sendBtn.Position() != sendAt || f.b.note.Position() != noteAt {
		t.Errorf("Send moved from %v to %v, the note from %v to %v", sendAt, f.b.sendBtn.Position(), noteAt, f.b.note.Position())
	}
}

// A failed send is shown (through env.ui) and a later good send clears it.
func TestSendBoxSendError(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.rec.failAt, f.rec.err = 1, errors.New("netio: write: broken pipe")
	f.sendText("hello", "Text")
	f.waitFor("the error", func() bool { return f.b.note.isError() })
	if !strings.Contains(f.b.note.Text(), "broken pipe") || strings.Contains(f.b.note.Text(), "netio:") {
		t.Errorf("error text %q", f.b.note.Text())
	}
	f.rec.mu.Lock()
	f.rec.failAt = 0
	f.rec.mu.Unlock()
	f.sendAndWait("again", "Text")
	f.waitFor("the error to clear", func() bool { return !f.b.note.isError() })
}

// Ctrl+Enter (Cmd+Enter on macOS) in the focused entry sends, as Fyne's desktop
// driver delivers it: a CustomShortcut to the focused widget's TypedShortcut.
func TestSendBoxShortcutSends(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	c := f.w.Canvas()
	c.Focus(f.b.entry)
	focused, ok := c.Focused().(fyne.Shortcutable)
	if !ok || focused != fyne.Shortcutable(f.b.entry) {
		t.Fatalf("focused %T, want the send entry", c.Focused())
	}
	f.b.entry.SetText("one")
	focused.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault})
	f.waitFor("the Ctrl+Return send", func() bool { return f.rec.count() == 1 })

	f.b.entry.SetText("two")
	focused.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault})
	f.waitFor("the Ctrl+keypad Enter send", func() bool { return f.rec.count() == 2 })
	if got := string(f.rec.last()); got != "two" {
		t.Fatalf("sent %q", got)
	}

	// Plain Return still breaks the line and sends nothing.
	f.b.entry.SetText("line")
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	for _, r := range "next" { // what the driver does with typed characters
		c.Focused().TypedRune(r)
	}
	if f.b.entry.Text != "line\nnext" {
		t.Errorf("entry text %q after Return", f.b.entry.Text)
	}
	// Other shortcuts still reach the Entry.
	focused.TypedShortcut(&fyne.ShortcutSelectAll{})
	if sel := f.b.entry.SelectedText(); sel != "line\nnext" {
		t.Errorf("select all selected %q", sel)
	}
	// Shift+Ctrl+Return is not the send shortcut.
	focused.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	f.assertNothingQueued(2)
}

// A disabled send box sends nothing, by button or shortcut.
func TestSendBoxDisabled(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.b.SetEnabled(false)
	if !f.b.sendBtn.Disabled() {
		t.Fatal("Send button enabled")
	}
	f.b.entry.SetText("x")
	f.b.tapSend() // what a tap would do if the button let it through
	f.b.entry.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault})
	f.b.SetEnabled(true)
	f.assertNothingQueued(0)
}

func TestSendBoxRepeatCount(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.b.repeat.SetChecked(true)
	f.b.every.SetText("5")
	f.b.times.SetText("4")
	f.sendText("ping", "Text")
	if f.b.sendBtn.Text != "Stop" {
		t.Fatalf("button says %q while repeating", f.b.sendBtn.Text)
	}
	f.waitFor("the repeat to end", func() bool { return f.b.sendBtn.Text == "Send" })
	// The worker reported the end, so it sends no more.
	if n := f.rec.count(); n != 4 {
		t.Fatalf("repeat ×4 sent %d payloads", n)
	}
	for _, p := range f.rec.payloads() {
		if string(p) != "ping" {
			t.Fatalf("payload %q", p)
		}
	}
	p := newPrefs(f.a, "udp")
	if p.get("every", "") != "5" || p.get("times", "") != "4" {
		t.Errorf("remembered every %q times %q", p.get("every", ""), p.get("times", ""))
	}
}

// Placeholders are filled in per send: {counter} counts through a repeat,
// {hex:..} is raw bytes in text mode.
func TestSendBoxRepeatPlaceholders(t *testing.T) {
	f := newSendBoxFixture(t, charsetT(t, "UTF-16LE"))
	f.b.repeat.SetChecked(true)
	f.b.every.SetText("1")
	f.b.times.SetText("3")
	f.sendText("n{counter}{hex:0d0a}", "Text")
	f.waitFor("the repeat to end", func() bool { return f.b.sendBtn.Text == "Send" })
	got := f.rec.payloads()
	if len(got) != 3 {
		t.Fatalf("%d payloads, want 3", len(got))
	}
	for i, p := range got {
		want := []byte{'n', 0, byte('1' + i), 0, '\r', '\n'}
		if !bytes.Equal(p, want) {
			t.Errorf("send %d: % x, want % x", i+1, p, want)
		}
	}
}

// The payload is built once, at start: editing the entry during a repeat does
// not change what is sent.
func TestSendBoxRepeatPayloadFixed(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.b.repeat.SetChecked(true)
	f.b.every.SetText("1")
	f.b.times.SetText("0")
	f.sendText("first", "Text")
	f.waitFor("two sends", func() bool { return f.rec.count() >= 2 })
	f.b.entry.SetText("changed")
	f.waitFor("two more sends", func() bool { return f.rec.count() >= 4 })
	test.Tap(f.b.sendBtn) // Stop
	for _, p := range f.rec.payloads() {
		if string(p) != "first" {
			t.Fatalf("payload %q during the repeat", p)
		}
	}
}

// Stop on the button ends the repeat at once: the button says Send again and a
// single send queued after it is the last thing sent.
func TestSendBoxRepeatStopButton(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.b.repeat.SetChecked(true)
	f.b.every.SetText("1")
	f.b.times.SetText("0")
	f.sendText("tick", "Text")
	f.waitFor("three sends", func() bool { return f.rec.count() >= 3 })
	test.Tap(f.b.sendBtn)
	if f.b.sendBtn.Text != "Send" {
		t.Fatalf("button says %q after Stop", f.b.sendBtn.Text)
	}
	f.b.repeat.SetChecked(false)
	f.sendText("end", "Text")
	f.waitFor("the single send", func() bool { return string(f.rec.last()) == "end" })
	n := f.rec.count()
	f.q.Flush()
	if got := f.rec.count(); got != n || f.b.sendBtn.Text != "Send" {
		t.Fatalf("after the repeat was stopped: %d payloads (had %d), button %q", got, n, f.b.sendBtn.Text)
	}
}

// Stop() ends a repeat that runs until stopped: once it returns nothing more
// is sent and the worker is gone (goleak checks the latter for the suite).
func TestSendBoxStopEndsRepeat(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.b.repeat.SetChecked(true)
	f.b.every.SetText("1")
	f.b.times.SetText("0")
	f.sendText("tick", "Text")
	f.waitFor("three sends", func() bool { return f.rec.count() >= 3 })
	f.b.Stop()
	n := f.rec.count()
	select {
	case <-f.b.done:
	default:
		t.Fatal("worker still running after Stop returned")
	}
	f.b.Stop() // idempotent
	time.Sleep(20 * time.Millisecond)
	if got := f.rec.count(); got != n {
		t.Fatalf("%d sends after Stop returned", got-n)
	}
	// A stopped box refuses to send.
	f.b.repeat.SetChecked(false)
	f.sendText("late", "Text")
	f.q.Flush()
	if got := f.rec.count(); got != n {
		t.Fatalf("a stopped box sent")
	}
}

// Turning the box off (session closed) stops a repeat.
func TestSendBoxDisableStopsRepeat(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.b.repeat.SetChecked(true)
	f.b.every.SetText("1")
	f.b.times.SetText("0")
	f.sendText("tick", "Text")
	f.waitFor("two sends", func() bool { return f.rec.count() >= 2 })
	f.b.SetEnabled(false)
	if f.b.sendBtn.Text != "Send" || f.b.running != nil {
		t.Fatalf("still repeating after SetEnabled(false)")
	}
	f.b.SetEnabled(true)
	f.assertNothingQueued(f.rec.count())
}

// A send error stops the repeat and is shown.
func TestSendBoxRepeatErrorStops(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.rec.failAt, f.rec.err = 3, errors.New("netio: write tcp: connection reset by peer")
	f.b.repeat.SetChecked(true)
	f.b.every.SetText("1")
	f.b.times.SetText("0")
	f.sendText("tick", "Text")
	f.waitFor("the repeat to stop", func() bool { return f.b.sendBtn.Text == "Send" })
	if n := f.rec.count(); n != 3 {
		t.Fatalf("%d sends, want 3 (the third fails)", n)
	}
	if txt := f.b.note.Text(); !f.b.note.isError() || !strings.Contains(txt, "Repeat stopped") || !strings.Contains(txt, "connection reset") {
		t.Fatalf("error %q (visible %v)", txt, f.b.note.isError())
	}
}

// Bad interval or count: a message at those fields, nothing starts.
func TestSendBoxRepeatBadFields(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.b.repeat.SetChecked(true)
	for _, tc := range []struct{ every, times, want string }{
		{"0", "1", "Every"},
		{"abc", "1", "Every"},
		{"3600001", "1", "Every"},
		{"", "1", "Every"},
		{"10", "-1", "Times"},
		{"10", "1000000001", "Times"},
		{"10", "x", "Times"},
	} {
		f.b.every.SetText(tc.every)
		f.b.times.SetText(tc.times)
		f.sendText("x", "Text")
		f.q.Flush()
		if !f.b.repeatNote.isError() || !strings.Contains(f.b.repeatNote.Text(), tc.want) {
			t.Errorf("every %q times %q: message %q, want one about %s",
				tc.every, tc.times, f.b.repeatNote.Text(), tc.want)
		}
		if f.b.sendBtn.Text != "Send" || f.b.running != nil {
			t.Fatalf("every %q times %q: a repeat started", tc.every, tc.times)
		}
	}
	// The limits themselves are accepted.
	if _, err := parseEvery("3600000"); err != nil {
		t.Error(err)
	}
	if _, err := parseTimes("1000000000"); err != nil {
		t.Error(err)
	}
	f.b.every.SetText("1")
	if f.b.repeatNote.isError() {
		t.Error("message not cleared by editing the field")
	}
	f.assertNothingQueued(0)
}

// A new send box starts from the remembered message and mode.
func TestSendBoxRemembers(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	f.sendAndWait("de ad", "Hex")
	b2 := f.newBox()
	defer b2.Stop()
	if b2.entry.Text != "de ad" || b2.mode.Selected != "Hex" {
		t.Fatalf("new box: entry %q mode %q", b2.entry.Text, b2.mode.Selected)
	}
	if !b2.sendBtn.Disabled() {
		t.Error("a new send box starts enabled; it should wait for its session")
	}
}
