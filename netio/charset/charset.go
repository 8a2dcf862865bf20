package charset

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Charset is one supported character set. Charsets are immutable and safe for
// concurrent use; the *Decoder they make is not.
type Charset struct {
	name    string
	aliases []string
	enc     encoding.Encoding // nil for UTF-8, which is handled natively
	maxLen  int               // longest encoded character, in bytes
	unit    int               // code unit size: 2 for UTF-16, else 1
	ascii   bool              // bytes 0x00..0x7F at a character boundary are always ASCII
	fffd    []byte            // this charset's own encoding of U+FFFD, nil if it has none
	// check, if set, reports the index (in characters) of the first encoded
	// character outside a stricter repertoire than enc's (GB2312 over GBK).
	check func(encoded []byte) (bad int, ok bool)
}

// UTF8 is the default charset.
var UTF8 = &Charset{name: "UTF-8", aliases: []string{"utf-8", "utf8"}, maxLen: utf8.UTFMax, unit: 1, ascii: true}

// charsets is the registry, in the order All returns it: UTF-8 first,
// then Chinese (the main audience), other CJK, Western, UTF-16.
var charsets = []*Charset{
	UTF8,
	newCharset("GBK", simplifiedchinese.GBK, 2, 1, "gbk", "cp936", "windows-936"),
	// GB2312 text in the wild is decoded with GBK, as browsers do, but encoding
	// is held to the real GB2312 repertoire so the peer can decode what we send.
	withCheck(newCharset("GB2312", simplifiedchinese.GBK, 2, 1, "gb2312", "euc-cn", "gb_2312-80"), checkPairs(inGB2312)),
	newCharset("GB18030", simplifiedchinese.GB18030, 4, 1, "gb18030"),
	// x/text's Big5 is the WHATWG table, which includes HKSCS. Decoding keeps
	// it; encoding refuses HKSCS codes (lead byte below 0xA1) as the WHATWG
	// encoder does and x/text does not, so a plain Big5 (CP950) peer can read
	// what we send. Hence no "big5-hkscs" alias. CP950 differs from this
	// table in a handful of symbols only.
	withCheck(newCharset("Big5", traditionalchinese.Big5, 2, 1, "big5", "big-5", "cp950"), checkPairs(notHKSCS)),
	// x/text's ShiftJIS is Windows-31J (CP932), the variant Windows sends.
	newCharset("Shift_JIS", japanese.ShiftJIS, 2, 1, "shift_jis", "shift-jis", "sjis", "cp932", "windows-31j", "ms_kanji"),
	newCharset("EUC-JP", japanese.EUCJP, 3, 1, "euc-jp", "eucjp"),
	// x/text's EUC-KR is the WHATWG one, i.e. Unified Hangul Code (CP949).
	newCharset("EUC-KR", korean.EUCKR, 2, 1, "euc-kr", "euckr", "cp949", "ks_c_5601-1987"),
	// Real Latin-1, not htmlindex's (which means Windows-1252).
	newCharset("ISO-8859-1", charmap.ISO8859_1, 1, 1, "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1"),
	newCharset("Windows-1252", charmap.Windows1252, 1, 1, "windows-1252", "cp1252"),
	newCharset("UTF-16LE", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 4, 2, "utf-16le", "utf16le"),
	newCharset("UTF-16BE", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 4, 2, "utf-16be", "utf16be"),
}

var charsetByAlias = func() map[string]*Charset {
	m := make(map[string]*Charset)
	for _, c := range charsets {
		m[strings.ToLower(c.name)] = c
		for _, a := range c.aliases {
			m[a] = c
		}
	}
	return m
}()

func newCharset(name string, enc encoding.Encoding, maxLen, unit int, aliases ...string) *Charset {
	c := &Charset{name: name, aliases: aliases, enc: enc, maxLen: maxLen, unit: unit}
	// Decoding U+FFFD is ambiguous: it is either this charset's genuine
	// encoding of U+FFFD or x/text's marker for bytes it could not decode. The
	// decoder tells them apart by comparing the source bytes with these.
	if b, err := c.Encode("\uFFFD"); err == nil {
		c.fffd = b
	}
	// Let the decoder copy ASCII runs instead of transforming them, if the
	// charset really decodes every ASCII byte as itself.
	ascii := make([]byte, utf8.RuneSelf)
	for i := range ascii {
		ascii[i] = byte(i)
	}
	if got, err := enc.NewDecoder().Bytes(ascii); err == nil && bytes.Equal(got, ascii) {
		c.ascii = true
	}
	return c
}

func withCheck(c *Charset, check func([]byte) (int, bool)) *Charset {
	c.check = check
	return c
}

// Name returns the canonical display name, e.g. "GBK", "UTF-8", "Shift_JIS".
func (c *Charset) Name() string { return c.name }

// String returns the Name, so a *Charset prints nicely.
func (c *Charset) String() string { return c.name }

// Aliases returns the lower-case names Lookup accepts for c.
func (c *Charset) Aliases() []string { return append([]string(nil), c.aliases...) }

// All returns every supported charset in a fixed order, UTF-8 first.
func All() []*Charset { return append([]*Charset(nil), charsets...) }

// Lookup finds a charset by name or alias, ignoring case and
// surrounding white space. The empty name means UTF-8.
func Lookup(name string) (*Charset, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "" {
		return UTF8, nil
	}
	if c, ok := charsetByAlias[key]; ok {
		return c, nil
	}
	return nil, &UnknownError{Name: name}
}

// MustLookup is Lookup for a name fixed in the program; it panics if the name is
// unknown.
func MustLookup(name string) *Charset {
	c, err := Lookup(name)
	if err != nil {
		panic(err)
	}
	return c
}

// UnknownError is returned by Lookup for a name it does not know.
type UnknownError struct{ Name string }

func (e *UnknownError) Error() string {
	names := make([]string, len(charsets))
	for i, c := range charsets {
		names[i] = c.name
	}
	return fmt.Sprintf("unknown charset %q (known: %s)", e.Name, strings.Join(names, ", "))
}

// EncodeError reports a character the charset cannot represent. Invalid UTF-8
// in the input is reported the same way, with Char = utf8.RuneError.
type EncodeError struct {
	Charset string // the charset's Name
	Char    rune
	Pos     int // 1-based character (rune) position in the input text
}

func (e *EncodeError) Error() string {
	return fmt.Sprintf("character %q (U+%04X) at position %d cannot be encoded in %s",
		string(e.Char), e.Char, e.Pos, e.Charset)
}

// Encode turns text into bytes. A character the charset cannot represent is an
// *EncodeError naming it and its position; nothing is ever silently replaced.
func (c *Charset) Encode(s string) ([]byte, error) {
	// Check UTF-8 first: x/text's encoders turn invalid UTF-8 into U+FFFD,
	// which GB18030 and UTF-16 would then encode without complaint.
	if i := invalidUTF8(s); i >= 0 {
		return nil, c.encodeError(s, i)
	}
	if c.enc == nil {
		return []byte(s), nil
	}
	out, n, err := encodeAll(c.enc.NewEncoder(), s)
	if err != nil {
		return nil, c.encodeError(s, n)
	}
	if c.check != nil {
		if k, ok := c.check(out); !ok {
			return nil, c.encodeErrorAtRune(s, k)
		}
	}
	return out, nil
}

// encodeAll runs t over s, growing the output as needed. On a repertoire error
// it returns the byte offset in s of the offending character.
func encodeAll(t transform.Transformer, s string) ([]byte, int, error) {
	src := []byte(s)
	out := make([]byte, 0, len(src)+len(src)/2+8)
	for nSrc := 0; ; {
		nd, ns, err := t.Transform(out[len(out):cap(out)], src[nSrc:], true)
		out = out[:len(out)+nd]
		nSrc += ns
		switch err {
		case nil:
			return out, nSrc, nil
		case transform.ErrShortDst:
			out = slices.Grow(out, len(src)-nSrc+8)
		default:
			return nil, nSrc, err
		}
	}
}

// invalidUTF8 returns the byte offset of the first invalid UTF-8 in s, or -1.
func invalidUTF8(s string) int {
	if utf8.ValidString(s) {
		return -1
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// encodeError builds the error for the character starting at byte offset i.
func (c *Charset) encodeError(s string, i int) *EncodeError {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return &EncodeError{Charset: c.name, Char: r, Pos: utf8.RuneCountInString(s[:i]) + 1}
}

// encodeErrorAtRune builds the error for the k-th (0-based) character of s.
func (c *Charset) encodeErrorAtRune(s string, k int) *EncodeError {
	n := 0
	for i := range s {
		if n == k {
			return c.encodeError(s, i)
		}
		n++
	}
	return c.encodeError(s, len(s))
}

// checkPairs returns a check for a double-byte encoding (ASCII is one byte,
// anything else a lead and a trail byte) that rejects the first character
// whose byte pair ok refuses. For GB2312 the bytes come from the GBK encoder,
// whose lone 0x80 (the euro) is refused too.
func checkPairs(ok func(hi, lo byte) bool) func([]byte) (int, bool) {
	return func(b []byte) (int, bool) {
		k := 0
		for i := 0; i < len(b); k++ {
			switch {
			case b[i] < 0x80:
				i++
			case i+1 < len(b) && ok(b[i], b[i+1]):
				i += 2
			default:
				return k, false
			}
		}
		return k, true
	}
}

// notHKSCS reports whether a Big5 code is outside the HKSCS extension rows.
func notHKSCS(hi, _ byte) bool { return hi >= 0xA1 }

// inGB2312 reports whether hi,lo is one of the 7445 GB 2312-80 codes in
// EUC-CN form, as opposed to GBK's extensions (lead bytes 0x81..0xA0, trail
// bytes below 0xA1, additions and user-defined rows). Rows 1-9 are symbols,
// partly filled; rows 16-87 are hanzi, row 55 ending at 0xF9. The table
// matches glibc's and Python's gb2312 codecs.
func inGB2312(hi, lo byte) bool {
	if lo < 0xA1 || lo > 0xFE {
		return false
	}
	switch {
	case hi >= 0xB0 && hi <= 0xF7:
		return hi != 0xD7 || lo <= 0xF9
	case hi == 0xA1, hi == 0xA3:
		return true
	case hi == 0xA2:
		return lo >= 0xB1 && lo <= 0xE2 || lo >= 0xE5 && lo <= 0xEE || lo >= 0xF1 && lo <= 0xFC
	case hi == 0xA4:
		return lo <= 0xF3
	case hi == 0xA5:
		return lo <= 0xF6
	case hi == 0xA6:
		return lo <= 0xB8 || lo >= 0xC1 && lo <= 0xD8
	case hi == 0xA7:
		return lo <= 0xC1 || lo >= 0xD1 && lo <= 0xF1
	case hi == 0xA8:
		return lo <= 0xBA || lo >= 0xC5 && lo <= 0xE9
	case hi == 0xA9:
		return lo >= 0xA4 && lo <= 0xEF
	}
	return false
}
