package charset

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDisplayText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"hello, 世界 😀", "hello, 世界 😀"},
		{"a\r\nb\tc", `a\r\nb\tc`},
		{"\x00\x01\x1b[31m\x7f", `\0\x01\x1B[31m\x7F`},
		{"\u0080\u0085\u009f\u00a0é", `\x80\x85\x9F` + "\u00a0é"},
		{"ab\u200bc\u200d\u200e\u200f", `ab\u{200B}c\u{200D}\u{200E}\u{200F}`},
		{"\u202a\u202e evil \u202c", `\u{202A}\u{202E} evil \u{202C}`},
		{"\u2066x\u2069\ufeff", `\u{2066}x\u{2069}\u{FEFF}`},
		{"line\u2028para\u2029\u061c", `line\u{2028}para\u{2029}\u{061C}`},
		{"\u200a\u2010\u2030\u2065\u206a", "\u200a\u2010\u2030\u2065\u206a"}, // neighbours stay
		{`already \xFF escaped \n`, `already \xFF escaped \n`},
		{"bad \xff utf8 \xe4\xbd", `bad \xFF utf8 \xE4\xBD`},
		{"\uFFFD", "\uFFFD"},
	}
	for _, tc := range tests {
		if got := DisplayText(tc.in); got != tc.want {
			t.Errorf("DisplayText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Whatever comes in, the result is one line of valid UTF-8 without controls.
func TestDisplayTextAllRunes(t *testing.T) {
	var sb strings.Builder
	for r := rune(0); r < 0x10000; r++ {
		sb.WriteRune(r)
	}
	got := DisplayText(sb.String())
	if !utf8.ValidString(got) {
		t.Fatal("output is not valid UTF-8")
	}
	for _, r := range got {
		if NeedsEscape(r) {
			t.Fatalf("output still contains %U", r)
		}
	}
}

// The decoder's output of anything, once made displayable, is a single line.
func TestDisplayTextOfDecodedBytes(t *testing.T) {
	in := make([]byte, 256)
	for i := range in {
		in[i] = byte(i)
	}
	for _, cs := range All() {
		got := DisplayText(cs.DecodeAll(in))
		if strings.ContainsAny(got, "\r\n\x00\u2028\u202e") || !utf8.ValidString(got) {
			t.Errorf("%s: %q", cs.Name(), got)
		}
	}
}

func BenchmarkDisplayText(b *testing.B) {
	s := strings.Repeat("网络调试助手 hello world ", 1000)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		DisplayText(s)
	}
}
