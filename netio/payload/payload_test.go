package payload

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/netio/charset"
)

func TestParseHexForms(t *testing.T) {
	for _, in := range []string{
		"c4 e3 ba c3", "c4e3bac3", "C4E3BAC3", "C4e3 BAc3", "0xc4,0xe3,0xba,0xc3", "0xC4 0xE3 0xBA 0xC3",
		"0Xc4, 0Xe3, 0xba, 0xc3", "c4:e3:ba:c3", "c4-e3-ba-c3", "c4;e3;ba;c3", "c4\te3\nba\r\nc3",
		"  c4 e3   ba c3\n", "0xc4e3bac3", "0xc4e3 0xbac3", `\xc4\xe3\xba\xc3`, `\xc4e3 \XBA\xc3`,
		"c4，e3：ba；c3", "c4\u3000e3 ba c3", "c4, e3, ba, c3,", ",c4e3,,bac3",
	} {
		got, err := ParseHex(in)
		if err != nil || hex.EncodeToString(got) != "c4e3bac3" {
			t.Errorf("ParseHex(%q) = %x, %v; want c4e3bac3", in, got, err)
		}
	}
	if got, err := ParseHex("00 0x00 ff"); err != nil || !bytes.Equal(got, []byte{0, 0, 0xff}) {
		t.Errorf("ParseHex zeros = %x, %v", got, err)
	}
}

func TestParseHexErrors(t *testing.T) {
	tests := []struct {
		in   string
		pos  int
		want string
	}{
		{"c4 eg", 5, `hex: invalid character "g" at position 5`},
		{"你c4", 1, `hex: invalid character "你" at position 1`},
		{"c4，e3：zz", 7, `hex: invalid character "z" at position 7`}, // full-width separators count as one
		{"c4 e", 4, "hex: odd number of digits (last digit at position 4)"},
		{"c4e3bac 12", 7, "hex: odd number of digits (last digit at position 7)"},
		{"0xc4e", 5, "hex: odd number of digits (last digit at position 5)"},
		{"c e g", 1, "hex: odd number of digits (last digit at position 1)"}, // first problem wins
		{"", 0, "hex: no bytes"},
		{" ,:-;\n\t", 0, "hex: no bytes"},
		{"0x", 1, "hex: no digits after prefix at position 1"},
		{"c4 0x, e3", 4, "hex: no digits after prefix at position 4"},
		{`c4\x`, 3, "hex: no digits after prefix at position 3"},
		{"c40xe3", 4, `hex: invalid character "x" at position 4`},
		{"0x0xc4", 4, `hex: invalid character "x" at position 4`},
		{`c4 \n`, 4, `hex: invalid character "\\" at position 4`},
		{"c4 \xff", 4, `hex: invalid character "\xff" at position 4`},
		{"c4.e3", 3, `hex: invalid character "." at position 3`},
		{`c\xe3`, 1, "hex: odd number of digits (last digit at position 1)"},
	}
	for _, tc := range tests {
		got, err := ParseHex(tc.in)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("ParseHex(%q) = %x, %v; want *InputError", tc.in, got, err)
			continue
		}
		if got != nil || ie.Kind != "hex" || ie.Pos != tc.pos || err.Error() != tc.want {
			t.Errorf("ParseHex(%q) = %x, %q (pos %d); want %q (pos %d)", tc.in, got, err, ie.Pos, tc.want, tc.pos)
		}
	}
}

func TestPayloadEscapes(t *testing.T) {
	gbk := charset.MustLookup("GBK")
	tests := []struct {
		in  string
		cs  *charset.Charset
		hex string
	}{
		{`你好\r\n`, gbk, "c4e3bac30d0a"},
		{`你好\r\n`, charset.UTF8, "e4bda0e5a5bd0d0a"},
		{`\xC4\xe3`, charset.UTF8, "c4e3"}, // raw bytes whatever the charset
		{`a\tb\\c\0d`, charset.UTF8, "6109625c630064"},
		{`\01`, charset.UTF8, "0031"}, // \0 is one NUL, not octal
		{`\\x41`, charset.UTF8, "5c783431"},
		{`\x41\x4a好`, gbk, "414abac3"},
		{"", charset.UTF8, ""},
		{"plain", nil, "706c61696e"},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in, ModeEscapes, tc.cs)
		if err != nil || hex.EncodeToString(got) != tc.hex {
			t.Errorf("Parse(%q, escapes, %v) = %x, %v; want %s", tc.in, tc.cs, got, err, tc.hex)
		}
	}
}

func TestPayloadEscapeErrors(t *testing.T) {
	tests := []struct {
		in   string
		pos  int
		want string
	}{
		{`ab\x4`, 3, `escapes: incomplete \x escape at position 3`},
		{`\x4g`, 1, `escapes: incomplete \x escape at position 1`},
		{`你\x`, 2, `escapes: incomplete \x escape at position 2`},
		{`\x4你`, 1, `escapes: incomplete \x escape at position 1`},
		{`\q`, 1, `escapes: unknown escape \q at position 1`},
		{`好\你`, 2, `escapes: unknown escape \你 at position 2`},
		{"\\\n", 1, `escapes: unknown escape \\n at position 1`}, // a real newline, shown escaped
		{`ab\`, 3, `escapes: trailing backslash at position 3`},
		{`\\\`, 3, `escapes: trailing backslash at position 3`},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in, ModeEscapes, charset.UTF8)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("Parse(%q) = %x, %v; want *InputError", tc.in, got, err)
			continue
		}
		if got != nil || ie.Kind != "escapes" || ie.Pos != tc.pos || err.Error() != tc.want {
			t.Errorf("Parse(%q) = %q (pos %d); want %q (pos %d)", tc.in, err, ie.Pos, tc.want, tc.pos)
		}
	}
}

func TestPayloadEncodeErrorPositions(t *testing.T) {
	gbk := charset.MustLookup("GBK")
	tests := []struct {
		in   string
		mode Mode
		cs   *charset.Charset
		pos  int
	}{
		{"😀", ModeText, gbk, 1},
		{"ab😀", ModeText, gbk, 3},
		{`\n😀`, ModeEscapes, gbk, 3},
		{`你\x41好\t\\😀`, ModeEscapes, gbk, 11},
		{`a\x00b€`, ModeEscapes, charset.MustLookup("ISO-8859-1"), 7},
		{"ok\xff", ModeText, charset.UTF8, 3},
		{`\r` + "\xff", ModeEscapes, charset.UTF8, 3},
		{`a😀\r`, ModeEscapes, gbk, 2}, // in a run ended by an escape
	}
	for _, tc := range tests {
		got, err := Parse(tc.in, tc.mode, tc.cs)
		var ee *charset.EncodeError
		if !errors.As(err, &ee) || ee.Pos != tc.pos || got != nil {
			t.Errorf("Parse(%q, %v, %v) = %x, %v; want EncodeError at %d", tc.in, tc.mode, tc.cs, got, err, tc.pos)
		}
	}
}

func TestPayloadModes(t *testing.T) {
	gbk := charset.MustLookup("GBK")
	for _, tc := range []struct {
		in   string
		mode Mode
		hex  string
	}{
		{"你好", ModeText, "c4e3bac3"},
		{`你好\n`, ModeText, "c4e3bac35c6e"}, // text mode takes backslashes literally
		{"c4 e3", ModeHex, "c4e3"},
		{"", ModeText, ""},
	} {
		got, err := Parse(tc.in, tc.mode, gbk)
		if err != nil || hex.EncodeToString(got) != tc.hex {
			t.Errorf("Parse(%q, %v) = %x, %v; want %s", tc.in, tc.mode, got, err, tc.hex)
		}
	}
	if _, err := Parse("x", Mode(9), nil); err == nil {
		t.Error("Parse with Mode(9) succeeded")
	}
}

func TestParseMode(t *testing.T) {
	for _, m := range []Mode{ModeText, ModeEscapes, ModeHex} {
		for _, s := range []string{m.String(), strings.ToUpper(m.String()), " " + m.String() + " "} {
			if got, err := ParseMode(s); err != nil || got != m {
				t.Errorf("ParseMode(%q) = %v, %v; want %v", s, got, err, m)
			}
		}
	}
	if ModeText.String() != "text" || ModeEscapes.String() != "escapes" || ModeHex.String() != "hex" {
		t.Error("wrong Mode names")
	}
	if Mode(7).String() != "Mode(7)" || Mode(-1).String() != "Mode(-1)" {
		t.Error("wrong name for an unknown Mode")
	}
	if _, err := ParseMode("binary"); err == nil || !strings.Contains(err.Error(), `"binary"`) {
		t.Errorf("ParseMode(binary) error = %v", err)
	}
}

func FuzzParseHex(f *testing.F) {
	for _, s := range []string{"c4 e3 ba c3", "c4e3bac3", "0xc4,0xe3", "0xC4 0xE3", "c4:e3", "c4-e3",
		"c4\te3\nba", "0xc4e3", `\xc4\xe3`, "c4 e", "c4 eg", "", "0x", "你好", "c4，e3", "0x0x", `\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseHex(s)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Kind != "hex" || b != nil {
				t.Fatalf("ParseHex(%q) = %x, %v", s, b, err)
			}
			if ie.Pos < 0 || ie.Pos > len([]rune(s)) || (ie.Pos == 0) != (err.Error() == "hex: no bytes") {
				t.Fatalf("ParseHex(%q): bad position %d for %q", s, ie.Pos, err)
			}
			return
		}
		if len(b) == 0 {
			t.Fatalf("ParseHex(%q) returned no bytes and no error", s)
		}
		again, err := ParseHex(fmt.Sprintf("%x", b))
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("ParseHex(%x) = %x, %v; want %x", b, again, err, b)
		}
		spaced, err := ParseHex(fmt.Sprintf("% X", b))
		if err != nil || !bytes.Equal(spaced, b) {
			t.Fatalf("ParseHex(% X) = %x, %v", b, spaced, err)
		}
	})
}

func FuzzParseEscapes(f *testing.F) {
	for _, s := range []string{`你好\r\n`, `\xC4\xe3`, `a\tb\\c\0d`, `\x4`, `\x4g`, `\q`, `ab\`, "😀", `\n😀`,
		"plain text", "\xff", "", `\\\\`} {
		f.Add(s, uint8(1))
	}
	all := charset.All()
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		cs := all[int(which)%len(all)]
		b, err := Parse(s, ModeEscapes, cs)
		var ie *InputError
		var ee *charset.EncodeError
		switch {
		case err == nil:
		case errors.As(err, &ie):
			if ie.Kind != "escapes" || ie.Pos < 1 || ie.Pos > len([]rune(s)) {
				t.Fatalf("Parse(%q): bad InputError %+v", s, ie)
			}
		case errors.As(err, &ee):
			// The position must point at the very character that fails.
			r := []rune(s)
			if ee.Pos < 1 || ee.Pos > len(r) {
				t.Fatalf("Parse(%q): EncodeError position %d out of range", s, ee.Pos)
			}
			if ee.Char != r[ee.Pos-1] {
				t.Fatalf("Parse(%q): EncodeError %+v, but character %d is %q", s, ee, ee.Pos, r[ee.Pos-1])
			}
		default:
			t.Fatalf("Parse(%q): unexpected error %v", s, err)
		}
		if err != nil && b != nil {
			t.Fatalf("Parse(%q) returned bytes with an error", s)
		}
		if !strings.Contains(s, `\`) {
			tb, terr := Parse(s, ModeText, cs)
			if !bytes.Equal(b, tb) || fmt.Sprint(err) != fmt.Sprint(terr) {
				t.Fatalf("%s %q: escapes %x, %v; text %x, %v", cs.Name(), s, b, err, tb, terr)
			}
		}
	})
}
