package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// Switching the mode rewrites the message to the same bytes, both ways, in the
// session's charset.
func TestConvertMessage(t *testing.T) {
	gbk, utf16 := charsetT(t, "GBK"), charsetT(t, "UTF-16LE")
	for _, c := range []struct {
		cs       *charset.Charset
		text     string
		from, to payload.Mode
		want     string
	}{
		{gbk, "你好", payload.ModeText, payload.ModeHex, "C4 E3 BA C3"},
		{gbk, "c4e3 bac3", payload.ModeHex, payload.ModeText, "你好"},
		{charset.UTF8, "AT\r\n", payload.ModeText, payload.ModeEscapes, `AT\r\n`},
		{charset.UTF8, `AT\r\n`, payload.ModeEscapes, payload.ModeText, "AT\r\n"},
		{charset.UTF8, `a\\b\x00`, payload.ModeEscapes, payload.ModeHex, "61 5C 62 00"},
		{charset.UTF8, "61 5c 62 00", payload.ModeHex, payload.ModeEscapes, `a\\b\x00`},
		{gbk, "c4 e3 ff", payload.ModeHex, payload.ModeEscapes, `你\xFF`},
		{utf16, "hi", payload.ModeText, payload.ModeHex, "68 00 69 00"},
		{gbk, "", payload.ModeText, payload.ModeHex, ""},
	} {
		got, err := convertMessage(c.text, c.from, c.to, c.cs)
		if err != nil || got != c.want {
			t.Errorf("%q %v→%v in %s: %q, %v; want %q", c.text, c.from, c.to, c.cs.Name(), got, err, c.want)
			continue
		}
		// The same bytes either way.
		a, _ := payload.Parse(c.text, c.from, c.cs)
		b, _ := payload.Parse(got, c.to, c.cs)
		if !bytes.Equal(a, b) {
			t.Errorf("%q→%q: % x became % x", c.text, got, a, b)
		}
	}
}

// What cannot be converted is left as it was, with the reason, in words.
func TestConvertMessageRefuses(t *testing.T) {
	gbk := charsetT(t, "GBK")
	for _, c := range []struct {
		text     string
		from, to payload.Mode
		want     string
	}{
		{"c4 e3 ff", payload.ModeHex, payload.ModeText, "byte 3 is not GBK text"},
		{"41 00 42", payload.ModeHex, payload.ModeText, "byte 2 is a control character"},
		{"#{counter}", payload.ModeText, payload.ModeHex, "placeholders"},
		{"c4 zz", payload.ModeHex, payload.ModeText, `Hex: invalid character "z" at position 4`},
	} {
		_, err := convertMessage(c.text, c.from, c.to, gbk)
		if err == nil {
			t.Errorf("%q converted", c.text)
			continue
		}
		if got := convertText(err, c.to, gbk); !strings.Contains(got, c.want) || !strings.HasPrefix(got, "Left as it was") {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
	}
}

// The send box's switch converts what is in it, or says why not and leaves it.
func TestSendBoxModeSwitchConverts(t *testing.T) {
	f := newSendBoxFixture(t, charsetT(t, "GBK"))
	f.b.mode.SetSelected("Text")
	f.b.entry.SetText("你好")
	f.b.mode.SetSelected("Hex")
	if f.b.entry.Text != "C4 E3 BA C3" || f.b.note.isError() {
		t.Errorf("Text→Hex: %q, note %q", f.b.entry.Text, f.b.note.Text())
	}
	got := f.sendAndWait(f.b.entry.Text, "Hex")
	if want := unhexT(t, "c4e3bac3"); !bytes.Equal(got, want) {
		t.Errorf("sent % x", got)
	}
	f.b.entry.SetText("C4 E3 FF")
	f.b.mode.SetSelected("Text")
	if f.b.entry.Text != "C4 E3 FF" || !strings.Contains(f.b.note.Text(), "byte 3 is not GBK text") {
		t.Errorf("Hex→Text with a byte GBK lacks: %q, note %q", f.b.entry.Text, f.b.note.Text())
	}
	f.b.entry.SetText("ok") // an edit: the note is about the message again
	if f.b.note.Text() != "2 bytes" {
		t.Errorf("note after an edit: %q", f.b.note.Text())
	}
}

// The line-end choice goes on the end of every message: CR, LF or CR LF, in the
// charset's characters for text (two bytes each in UTF-16) and as the bytes 0D 0A
// in hex; a lone { at the end of the message stays a {.
func TestSendBoxLineEnd(t *testing.T) {
	f := newSendBoxFixture(t, charset.UTF8)
	for _, c := range []struct {
		end        lineEnd
		text, mode string
		want       string
	}{
		{lineEndCRLF, "AT", "Text", "41540d0a"},
		{lineEndCR, "AT", "Text", "41540d"},
		{lineEndLF, `AT\t`, "Text with escapes", "4154090a"},
		{lineEndCRLF, "01 02", "Hex", "01020d0a"},
		{lineEndLF, "a{", "Text", "617b0a"},
		{lineEndLF, "a{{", "Text", "617b0a"},
		{lineEndLF, "a{{{", "Text", "617b7b0a"},
		{lineEndCRLF, "n={counter}", "Text", "6e3d310d0a"},
		{lineEndNone, "AT", "Text", "4154"},
	} {
		f.b.eol.SetSelectedIndex(int(c.end))
		if got := f.sendAndWait(c.text, c.mode); !bytes.Equal(got, unhexT(t, c.want)) {
			t.Errorf("%q %s + %v: % x, want %s", c.text, c.mode, c.end, got, c.want)
		}
	}
	f.cs = charsetT(t, "UTF-16LE")
	f.b.eol.SetSelectedIndex(int(lineEndCRLF))
	if got := f.sendAndWait("A", "Text"); !bytes.Equal(got, unhexT(t, "41000d000a00")) {
		t.Errorf("UTF-16LE: % x", got)
	}
	if p := newPrefs(f.a, "udp"); p.get("eol", "") != "crlf" {
		t.Errorf("remembered line end %q", p.get("eol", ""))
	}
}

func TestWrapText(t *testing.T) {
	measure := func(s string) float32 { return float32(len([]rune(s))) } // one unit a character
	for _, c := range []struct {
		s     string
		width float32
		lines int
		want  []string
	}{
		{"short", 10, 2, []string{"short"}},
		{"the port is in use here", 10, 2, []string{"the port", "is in use…"}},
		{"the port is in use", 10, 3, []string{"the port", "is in use"}},
		{"端口已被其他程序占用了", 5, 2, []string{"端口已被其", "他程序占…"}},
		{"", 10, 2, nil},
	} {
		got := wrapText(c.s, c.width, c.lines, measure)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q in %v×%d: %q, want %q", c.s, c.width, c.lines, got, c.want)
		}
	}
}
