package charset

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// samples holds representative text for each charset, all of it encodable.
var samples = map[string]string{
	"UTF-8":        "Hello, 世界! 你好 こんにちは 안녕 café 😀👍🏽 \u0080\U0010FFFF end",
	"GBK":          "你好，世界！GBK 编码测试 們€ abc 123",
	"GB2312":       "你好，世界！简体中文 GB2312 ①Ⅻ，。",
	"GB18030":      "你好 世界 😀 €\u0080 ɑ ḿ 𠀀 \U0010FFFF ok",
	"Big5":         "繁體中文測試，們 臺灣 Big5 abc",
	"Shift_JIS":    "日本語のテキスト ｶﾀｶﾅ ①＼ abc",
	"EUC-JP":       "日本語のテキスト ｶﾀｶﾅ 丂 abc",
	"EUC-KR":       "한국어 텍스트 똠방각하 abc",
	"ISO-8859-1":   "Ça été très déjà-vu, ¿qué? ÿ\u0085 ok",
	"Windows-1252": "Ça coûte 5 € — “quoted” ‘x’ • …",
	"UTF-16LE":     "UTF-16 你好 😀 café \uFFFD end",
	"UTF-16BE":     "UTF-16 你好 😀 café \uFFFD end",
}

// decodeSplit decodes b in pieces cut at the given offsets, then flushes.
func decodeSplit(cs *Charset, b []byte, cuts ...int) string {
	d := cs.NewDecoder()
	var sb strings.Builder
	prev := 0
	for _, c := range cuts {
		sb.WriteString(d.Decode(b[prev:c]))
		prev = c
	}
	sb.WriteString(d.Decode(b[prev:]))
	sb.WriteString(d.Flush())
	return sb.String()
}

func TestDecoderRoundTripEverySplit(t *testing.T) {
	for _, cs := range All() {
		text, ok := samples[cs.Name()]
		if !ok {
			t.Errorf("no sample text for %s", cs.Name())
			continue
		}
		enc, err := cs.Encode(text)
		if err != nil {
			t.Fatalf("%s: %v", cs.Name(), err)
		}
		if got := cs.DecodeAll(enc); got != text {
			t.Errorf("%s DecodeAll = %q, want %q", cs.Name(), got, text)
		}
		for cut := 0; cut <= len(enc); cut++ {
			if got := decodeSplit(cs, enc, cut); got != text {
				t.Errorf("%s split at %d = %q, want %q", cs.Name(), cut, got, text)
			}
		}
		every := make([]int, len(enc))
		for i := range every {
			every[i] = i
		}
		if got := decodeSplit(cs, enc, every...); got != text {
			t.Errorf("%s byte by byte = %q, want %q", cs.Name(), got, text)
		}
	}
}

// A GB18030 four-byte sequence split at every position, alone and between
// other characters, with every split point of the surrounding text too.
func TestDecoderGB18030FourByteSplits(t *testing.T) {
	cs := MustLookup("GB18030")
	for _, text := range []string{"😀", "a😀b", "你😀😀好", "\u0080", "\U0010FFFF", "€😀\uFFFD"} {
		enc, err := cs.Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i <= len(enc); i++ {
			for j := i; j <= len(enc); j++ {
				if got := decodeSplit(cs, enc, i, j); got != text {
					t.Errorf("%x cut at %d,%d = %q, want %q", enc, i, j, got, text)
				}
			}
		}
	}
}

func TestDecoderInvalidBytes(t *testing.T) {
	tests := []struct {
		cs, in, want string
	}{
		{"UTF-8", "a\xffb", `a\xFFb`},
		{"UTF-8", "\xef\xbf\xbd", "\uFFFD"}, // a real U+FFFD stays
		{"UTF-8", "\xe4\xb8x\xe4", `\xE4\xB8x\xE4`},
		{"UTF-8", "\xed\xa0\x80", `\xED\xA0\x80`}, // surrogate
		{"UTF-8", "\xc0\xaf", `\xC0\xAF`},         // overlong
		{"UTF-8", "你\x80好", `你\x80好`},
		{"GBK", "\xc4\xe3\xff", `你\xFF`},
		{"GBK", "\xc4\xe3\xc4", `你\xC4`},
		{"GBK", "\x81\x30", `\x810`},            // GB18030 four-byte start is not GBK: '0' kept
		{"GBK", "\xc4A", "\u8141"},              // a real GBK/4 character, not an error
		{"GBK", "\xa2\x40z", `\xA2@z`},          // x/text swallows the '@' here; we keep it
		{"GBK", "\xa1\x7f", "\\xA1\x7f"},        // DEL after a lead byte
		{"GBK", "\xc4\xff\xe3", `\xC4\xFF\xE3`}, // no false pairing across a bad byte
		{"GBK", "\x80", "€"},
		{"GBK", "\xff\xfe\xfe", `\xFF\xFE\xFE`}, // x/text maps no user-defined (PUA) codes
		{"GB2312", "\xc4\xe3\xff", `你\xFF`},
		{"GB18030", "\x84\x31\xa4\x37", "\uFFFD"}, // GB18030's own encoding of U+FFFD
		{"GB18030", "\x81\x30\x81", `\x810\x81`},
		{"GB18030", "\x84\x31\xa5\x30x", `\x841\xA50x`},
		{"GB18030", "\xfe\x39\xfe\x39", `\xFE9\xFE9`}, // beyond U+10FFFF
		{"Big5", "\x81\x7f", "\\x81\x7f"},
		{"Big5", "\xa1\x30", `\xA10`},
		{"Big5", "\x88\x62", "\u00ca\u0304"}, // one code, two runes
		{"Shift_JIS", "\x81\x7f", "\\x81\x7f"},
		{"Shift_JIS", "\xa0\xfd", `\xA0\xFD`},
		{"EUC-JP", "\x8f\xa1", `\x8F\xA1`},
		{"EUC-JP", "\x8f\xa2\xafA", "\u02d8A"},
		{"EUC-KR", "\xc7A", `\xC7A`},
		{"ISO-8859-1", "\x81\xff", "\u0081\u00ff"},
		{"Windows-1252", "\x80\x81\x8d", `€\x81\x8D`},
		{"UTF-16LE", "\x00\xdc\x00\xdc", `\x00\xDC\x00\xDC`}, // two low surrogates
		{"UTF-16LE", "\x3d\xd8\x41\x00", `\x3D\xD8A`},        // high surrogate, then 'A'
		{"UTF-16LE", "\x3d\xd8", `\x3D\xD8`},
		{"UTF-16LE", "\x41\x00\x42", `A\x42`},
		{"UTF-16LE", "\xfd\xff\xff\xfe", "\uFFFD\uFEFF"},
		{"UTF-16BE", "\xdc\x00\xd8\x3d\xde\x00", `\xDC\x00` + "😀"},
	}
	for _, tc := range tests {
		cs := MustLookup(tc.cs)
		in := []byte(tc.in)
		if got := cs.DecodeAll(in); got != tc.want {
			t.Errorf("%s DecodeAll(%x) = %q, want %q", tc.cs, in, got, tc.want)
		}
		for cut := 0; cut <= len(in); cut++ {
			if got := decodeSplit(cs, in, cut); got != tc.want {
				t.Errorf("%s %x split at %d = %q, want %q", tc.cs, in, cut, got, tc.want)
			}
		}
	}
}

// After a bad lead byte, an ASCII byte must come out as itself (or the pair
// must be one valid character): x/text sometimes consumes both bytes.
func TestDecoderKeepsASCIIAfterBadLead(t *testing.T) {
	for _, cs := range All() {
		if cs.unit != 1 {
			continue
		}
		for lead := 0x80; lead <= 0xFF; lead++ {
			for trail := 0x20; trail < 0x7F; trail++ {
				in := []byte{byte(lead), byte(trail)}
				got := cs.DecodeAll(in)
				if !strings.Contains(got, `\x`) {
					continue // real characters only
				}
				if !strings.HasSuffix(got, string(rune(trail))) {
					t.Errorf("%s: %x decodes to %q, losing %q", cs.Name(), in, got, rune(trail))
				}
			}
		}
	}
}

// unescapeForTest turns decoder output back into bytes: `\xNN` into the
// byte, other text encoded with cs.
func unescapeForTest(t *testing.T, cs *Charset, s string) []byte {
	var out []byte
	for s != "" {
		if i := strings.Index(s, `\x`); i != 0 {
			if i < 0 {
				i = len(s)
			}
			b, err := cs.Encode(s[:i])
			if err != nil {
				t.Fatalf("%s: re-encoding %q: %v", cs.Name(), s[:i], err)
			}
			out, s = append(out, b...), s[i:]
			continue
		}
		b, err := hex.DecodeString(s[2:4])
		if err != nil {
			t.Fatalf("bad escape in %q", s)
		}
		out, s = append(out, b...), s[4:]
	}
	return out
}

// For charsets where decoding then encoding valid characters is the identity,
// random bytes must come back exactly: no byte is lost or invented.
func TestDecoderLossless(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"UTF-8", "ISO-8859-1", "UTF-16LE", "UTF-16BE"} {
		cs := MustLookup(name)
		for range 300 {
			in := make([]byte, rng.IntN(40))
			for i := range in {
				if in[i] = byte(rng.UintN(256)); in[i] == '\\' {
					in[i] = 0xFF // keep literal backslashes out of the text
				}
			}
			got := unescapeForTest(t, cs, cs.DecodeAll(in))
			if !bytes.Equal(got, in) {
				t.Errorf("%s: %x -> %q -> %x", name, in, cs.DecodeAll(in), got)
			}
		}
	}
}

func TestDecoderPendingAndFlush(t *testing.T) {
	tests := []struct {
		cs, in  string
		pending int
		flushed string
	}{
		{"UTF-8", "a\xe4\xbd", 2, `\xE4\xBD`},
		{"UTF-8", "\xf0\x9f\x98", 3, `\xF0\x9F\x98`},
		{"UTF-8", "\xf0\x9f\x98\x80", 0, ""},
		{"GBK", "\xc4", 1, `\xC4`},
		{"GB18030", "\x94\x39\xfc", 3, `\x949\xFC`},
		{"GB18030", "\x81\x30", 2, `\x810`},
		{"EUC-JP", "\x8f\xa2", 2, `\x8F\xA2`},
		{"UTF-16LE", "\x41", 1, `\x41`},
		{"UTF-16LE", "\x3d\xd8\x00", 3, `\x3D\xD8\x00`},
		{"ISO-8859-1", "\xe9", 0, ""},
	}
	for _, tc := range tests {
		cs := MustLookup(tc.cs)
		d := cs.NewDecoder()
		d.Decode([]byte(tc.in))
		if d.Pending() != tc.pending {
			t.Errorf("%s %x: Pending = %d, want %d", tc.cs, tc.in, d.Pending(), tc.pending)
		}
		if got := d.Flush(); got != tc.flushed {
			t.Errorf("%s %x: Flush = %q, want %q", tc.cs, tc.in, got, tc.flushed)
		}
		if d.Pending() != 0 || d.Flush() != "" {
			t.Errorf("%s: Flush did not reset", tc.cs)
		}
		ok, _ := cs.Encode("ok")
		if got := d.Decode(ok); got != "ok" {
			t.Errorf("%s: after Flush, Decode = %q", tc.cs, got)
		}
	}
}

// Output three times the input size (each 0x80 is a 3-byte euro) must fit.
func TestDecoderOutputGrows(t *testing.T) {
	for _, name := range []string{"GBK", "Windows-1252"} {
		cs := MustLookup(name)
		in := bytes.Repeat([]byte{0x80}, 1000)
		want := strings.Repeat("€", 1000)
		if got := cs.DecodeAll(in); got != want {
			t.Errorf("%s DecodeAll: got %d bytes, want %d", name, len(got), len(want))
		}
		if got := decodeSplit(cs, in, 1, 500); got != want {
			t.Errorf("%s Decode: got %d bytes, want %d", name, len(got), len(want))
		}
	}
}

func TestDecoderHoldsAcrossEmptyReads(t *testing.T) {
	d := UTF8.NewDecoder()
	var got string
	for _, p := range [][]byte{{0xf0}, nil, {0x9f}, {}, {0x98}, nil, {0x80, 'x'}} {
		got += d.Decode(p)
	}
	if got != "😀x" || d.Pending() != 0 {
		t.Errorf("got %q, pending %d", got, d.Pending())
	}
}

// Results must not alias the decoder's reused buffers or the caller's slice.
func TestDecoderResultsAreIndependent(t *testing.T) {
	for _, cs := range []*Charset{UTF8, MustLookup("GBK")} {
		d := cs.NewDecoder()
		buf := []byte("hello")
		first := d.Decode(buf)
		copy(buf, "HELLO")
		second := d.Decode([]byte("world\xff"))
		if first != "hello" || second != `world\xFF` {
			t.Errorf("%s: got %q, %q", cs.Name(), first, second)
		}
	}
}

// Random valid text, cut into random reads, decodes like one read.
func TestDecoderRandomReads(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, cs := range All() {
		runes := []rune(samples[cs.Name()])
		for range 50 {
			var sb strings.Builder
			for range rng.IntN(60) {
				sb.WriteRune(runes[rng.IntN(len(runes))])
			}
			enc, err := cs.Encode(sb.String())
			if err != nil {
				t.Fatal(err)
			}
			// Sprinkle in junk so the slow path is exercised too.
			if rng.IntN(2) == 0 && len(enc) > 0 {
				enc[rng.IntN(len(enc))] = byte(rng.UintN(256))
			}
			var cuts []int
			for i := 1; i < len(enc); i++ {
				if rng.IntN(4) == 0 {
					cuts = append(cuts, i)
				}
			}
			if got, want := decodeSplit(cs, enc, cuts...), cs.DecodeAll(enc); got != want {
				t.Errorf("%s %x cuts %v: %q, want %q", cs.Name(), enc, cuts, got, want)
			}
		}
	}
}

// slowDecodeAll is the reference: every character through the slow path.
func slowDecodeAll(cs *Charset, b []byte) string {
	out, _ := cs.NewDecoder().slow(nil, b, 0, len(b), true)
	return string(out)
}

// The chunked fast path must produce exactly what the slow path does, also
// across chunk boundaries and with bad bytes at any density.
func TestDecoderFastPathMatchesSlowPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, cs := range All() {
		unit, err := cs.Encode(samples[cs.Name()])
		if err != nil {
			t.Fatal(err)
		}
		for _, junkEvery := range []int{0, 5, 100, 3000} {
			in := bytes.Repeat(unit, 70000/len(unit)+1)[:70000+rng.IntN(8)]
			if junkEvery > 0 {
				for i := rng.IntN(junkEvery); i < len(in); i += 1 + rng.IntN(2*junkEvery) {
					in[i] = byte(rng.UintN(256))
				}
			}
			if got, want := cs.DecodeAll(in), slowDecodeAll(cs, in); got != want {
				t.Errorf("%s junk every %d: fast and slow paths differ (len %d vs %d)", cs.Name(), junkEvery, len(got), len(want))
			}
			cuts := []int{1 + rng.IntN(len(in)-1)}
			cuts = append(cuts, cuts[0]+rng.IntN(len(in)-cuts[0]))
			if got, want := decodeSplit(cs, in, cuts...), cs.DecodeAll(in); got != want {
				t.Errorf("%s junk every %d: split at %v differs", cs.Name(), junkEvery, cuts)
			}
		}
	}
}

func FuzzDecoderSplit(f *testing.F) {
	f.Add([]byte("你好"), uint8(0), uint16(1))
	f.Add([]byte("\xc4\xe3\xba\xc3"), uint8(1), uint16(1))
	f.Add([]byte("\xc4\xe3\xff\x81\x30"), uint8(1), uint16(3))
	f.Add([]byte("\x94\x39\xfc\x36\x84\x31\xa4\x37"), uint8(3), uint16(2))
	f.Add([]byte("\x81\x30\x81\x84\x31\xa5\x30x"), uint8(3), uint16(3))
	f.Add([]byte("\x88\x62\x81\x7f"), uint8(4), uint16(1))
	f.Add([]byte("\x93\xfa\x96\x7b\x81\x7f"), uint8(5), uint16(3))
	f.Add([]byte("\x8f\xa2\xaf\x8f\xa1"), uint8(6), uint16(2))
	f.Add([]byte("\xc7\xd1\xc7A"), uint8(7), uint16(1))
	f.Add([]byte("\x80\x81\x8d"), uint8(9), uint16(1))
	f.Add([]byte("\x3d\xd8\x00\xde\x00\xdc\x00\xdc\x41"), uint8(10), uint16(3))
	f.Add([]byte("\xd8\x3d\xde\x00\xdc\x00"), uint8(11), uint16(1))
	f.Add([]byte("\xf0\x9f\x98\x80\xef\xbf\xbd\xe4\xb8"), uint8(0), uint16(2))
	all := All()
	f.Fuzz(func(t *testing.T, data []byte, which uint8, split uint16) {
		cs := all[int(which)%len(all)]
		cut := int(split) % (len(data) + 1)
		want := cs.DecodeAll(data)
		got := decodeSplit(cs, data, cut)
		if got != want {
			t.Fatalf("%s %x cut at %d: %q, DecodeAll %q", cs.Name(), data, cut, got, want)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("%s %x: invalid UTF-8 output %q", cs.Name(), data, got)
		}
		if slow := slowDecodeAll(cs, data); slow != want {
			t.Fatalf("%s %x: DecodeAll %q, slow path %q", cs.Name(), data, want, slow)
		}
		// Arbitrary splits (derived from split, so a crasher replays) agree too.
		rng := rand.New(rand.NewPCG(uint64(split), uint64(len(data))))
		var cuts []int
		for at := 0; len(data) > 0; {
			at += rng.IntN(len(data)/2 + 2)
			if at >= len(data) {
				break
			}
			cuts = append(cuts, at)
		}
		if got := decodeSplit(cs, data, cuts...); got != want {
			t.Fatalf("%s %x cut at %v: %q, DecodeAll %q", cs.Name(), data, cuts, got, want)
		}
		// And byte by byte.
		every := make([]int, len(data))
		for i := range every {
			every[i] = i
		}
		if got := decodeSplit(cs, data, every...); got != want {
			t.Fatalf("%s %x byte by byte: %q, DecodeAll %q", cs.Name(), data, got, want)
		}
	})
}

func benchmarkDecoder(b *testing.B, cs *Charset, text string) {
	unit, err := cs.Encode(text)
	if err != nil {
		b.Fatal(err)
	}
	buf := bytes.Repeat(unit, 64<<10/len(unit)+1)[:64<<10]
	d := cs.NewDecoder()
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		d.Decode(buf)
	}
}

func BenchmarkDecoder(b *testing.B) {
	chinese := "网络调试助手 UDP/TCP 你好，世界！"
	b.Run("UTF-8", func(b *testing.B) { benchmarkDecoder(b, UTF8, chinese) })
	b.Run("UTF-8/ascii", func(b *testing.B) { benchmarkDecoder(b, UTF8, "GET / HTTP/1.1\r\nHost: x\r\n") })
	b.Run("GBK", func(b *testing.B) { benchmarkDecoder(b, MustLookup("GBK"), chinese) })
	b.Run("GBK/ascii", func(b *testing.B) { benchmarkDecoder(b, MustLookup("GBK"), "GET / HTTP/1.1\r\nHost: x\r\n") })
	// Baseline: x/text's GBK decoder alone (no streaming, no \xNN), to
	// compare with "GBK" in the same run.
	b.Run("GBK/x-text-baseline", func(b *testing.B) {
		cs := MustLookup("GBK")
		unit, _ := cs.Encode(chinese)
		buf := bytes.Repeat(unit, 64<<10/len(unit)+1)[:64<<10]
		b.SetBytes(int64(len(buf)))
		b.ReportAllocs()
		for b.Loop() {
			s, _ := cs.enc.NewDecoder().Bytes(buf)
			_ = string(s)
		}
	})
	// Text with a bad byte every 4 KiB: the fast path must recover quickly.
	b.Run("GBK/mostly-clean", func(b *testing.B) {
		cs := MustLookup("GBK")
		unit, _ := cs.Encode(chinese)
		buf := bytes.Repeat(unit, 64<<10/len(unit)+1)[:64<<10]
		for i := 100; i < len(buf); i += 4 << 10 {
			buf[i] = 0xFF
		}
		d := cs.NewDecoder()
		b.SetBytes(int64(len(buf)))
		b.ReportAllocs()
		for b.Loop() {
			d.Decode(buf)
		}
	})
	// Binary junk takes the slow path; it must stay linear.
	b.Run("GBK/binary", func(b *testing.B) {
		cs := MustLookup("GBK")
		buf := make([]byte, 64<<10)
		rng := rand.New(rand.NewPCG(5, 6))
		for i := range buf {
			buf[i] = byte(rng.UintN(256))
		}
		d := cs.NewDecoder()
		b.SetBytes(int64(len(buf)))
		b.ReportAllocs()
		for b.Loop() {
			d.Decode(buf)
		}
	})
}

// DecodeOwned gives the same text as Decode for every charset and split point,
// and shares the input's memory only where the text is the input's bytes.
func TestDecodeOwnedMatchesDecode(t *testing.T) {
	for _, cs := range All() {
		enc, err := cs.Encode(samples[cs.Name()] + " plain ascii")
		if err != nil {
			t.Fatal(err)
		}
		for cut := 0; cut <= len(enc); cut++ {
			plain, owned := cs.NewDecoder(), cs.NewDecoder()
			for _, part := range [][]byte{enc[:cut], enc[cut:]} {
				own := append([]byte(nil), part...)
				want, got := plain.Decode(part), owned.DecodeOwned(own)
				if got != want {
					t.Fatalf("%s split at %d: DecodeOwned %q, Decode %q", cs.Name(), cut, got, want)
				}
			}
		}
	}
	p := []byte("hello, 你好")
	s := UTF8.NewDecoder().DecodeOwned(p)
	if s != "hello, 你好" || unsafe.StringData(s) != &p[0] {
		t.Errorf("valid UTF-8 should share the input: %q", s)
	}
	q := []byte("hello")
	if s := UTF8.NewDecoder().Decode(q); unsafe.StringData(s) == &q[0] {
		t.Error("Decode must copy: its caller may reuse the buffer")
	}
	g := []byte{0xc4, 0xe3}
	gbk, _ := Lookup("gbk")
	if s := gbk.NewDecoder().DecodeOwned(g); s != "你" || unsafe.StringData(s) == &g[0] {
		t.Errorf("decoded GBK is new text, not the input: %q", s)
	}
}
