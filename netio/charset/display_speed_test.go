package charset

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// displayTextRuneByRune is DisplayText as first written, one character at a time:
// the reference the run-copying version must match exactly.
func displayTextRuneByRune(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = appendByteEscape(b, s[i])
		case NeedsEscape(r):
			b = appendRuneEscape(b, r)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

func TestDisplayTextMatchesRuneByRune(t *testing.T) {
	pieces := []string{"a", "hello ", "\n", "\r\n", "\t", "\x00", "\x1b[31m", "\x7f", "\u0085", "é", "你好",
		"😀", "\u200b", "\u202e", "\ufeff", "\xff", "\xe4\xbd", "\xe4", "\x80", "\\x41", " "}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 20000 {
		var sb strings.Builder
		for range rng.IntN(12) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := sb.String()
		want := displayTextRuneByRune(in)
		if got := DisplayText(in); got != want {
			t.Fatalf("case %d: DisplayText(%q) = %q, want %q", n, in, got, want)
		}
		if got := string(AppendDisplayText([]byte("x:"), in)); got != "x:"+want {
			t.Fatalf("case %d: AppendDisplayText(\"x:\", %q) = %q, want %q", n, in, got, "x:"+want)
		}
	}
	var all strings.Builder
	for r := rune(0); r < 0x10000; r++ {
		all.WriteRune(r)
	}
	all.WriteString("\xff\xfe tail")
	if DisplayText(all.String()) != displayTextRuneByRune(all.String()) {
		t.Fatal("DisplayText differs from the reference over the BMP")
	}
}

// Text lines: a newline every 64 bytes, the case that used to cost a call per byte.
func BenchmarkDisplayTextLines(b *testing.B) {
	s := strings.Repeat(strings.Repeat("x", 63)+"\n", 256)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		DisplayText(s)
	}
}

func TestPrintablePrefix(t *testing.T) {
	for c := range 256 {
		for pos := range 17 {
			b := []byte(strings.Repeat("a", 20))
			b[pos] = byte(c)
			want := pos
			if c >= 0x20 && c < 0x7F {
				want = len(b)
			}
			if got := printablePrefix(string(b)); got != want {
				t.Fatalf("byte %#x at %d: got %d, want %d", c, pos, got, want)
			}
		}
	}
}
