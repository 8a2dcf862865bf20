package payload

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/netio/charset"
)

func TestTemplateCounter(t *testing.T) {
	for _, tc := range []struct {
		input, charset string
		mode           Mode
		n              uint64
		want           []byte
	}{
		{"seq {counter}!", "utf-8", ModeText, 42, []byte("seq 42!")},
		{"{counter}{counter}", "utf-8", ModeText, 7, []byte("77")},
		{"你好{counter}", "gbk", ModeText, 1, []byte{0xc4, 0xe3, 0xba, 0xc3, '1'}},
		{`n={counter}\r\n`, "utf-8", ModeEscapes, 1000, []byte("n=1000\r\n")},
		{"01 02 {counter} 0d 0a", "utf-8", ModeHex, 9, []byte{1, 2, '9', 0x0d, 0x0a}},
		{"{counter}", "utf-8", ModeHex, 12, []byte("12")},
		{"a{counter}", "utf-16le", ModeText, 10, []byte{'a', 0, '1', 0, '0', 0}},
		{"no counter", "utf-8", ModeText, 5, []byte("no counter")},
	} {
		tmpl, err := ParseTemplate(tc.input, tc.mode, charset.MustLookup(tc.charset))
		if err != nil {
			t.Errorf("%q: %v", tc.input, err)
			continue
		}
		got := tmpl.Append(nil, tc.n)
		if !bytes.Equal(got, tc.want) || tmpl.Len(tc.n) != len(tc.want) {
			t.Errorf("%q #%d: % x (Len %d), want % x", tc.input, tc.n, got, tmpl.Len(tc.n), tc.want)
		}
	}
}

// Errors point where the user typed them, placeholders counted as written.
func TestTemplateErrorPositions(t *testing.T) {
	for _, tc := range []struct {
		input string
		mode  Mode
		want  string
	}{
		{"01 {counter} 0g", ModeHex, `hex: invalid character "g" at position 15`},
		{"c{counter}4", ModeHex, "hex: odd number of digits (last digit at position 1)"},
		{`x{counter}\q`, ModeEscapes, `escapes: unknown escape \q at position 11`},
		{"", ModeHex, "hex: no bytes"},
	} {
		_, err := ParseTemplate(tc.input, tc.mode, nil)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.input, err, tc.want)
		}
	}
	if _, err := ParseTemplate("{counter}😀", ModeText, charset.MustLookup("gbk")); err == nil || !strings.Contains(err.Error(), "at position 10") {
		t.Errorf("emoji in GBK: %v", err)
	}
}
