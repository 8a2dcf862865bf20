package charset

import (
	"bytes"
	"encoding/binary"
	"slices"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/transform"
)

// maxHeld is room for the bytes a Decoder holds back, which are always fewer
// than the charset's longest character (at most 4 bytes).
const maxHeld = utf8.UTFMax

// replacement is U+FFFD in UTF-8, which x/text writes for undecodable bytes.
var replacement = []byte("\uFFFD")

// Decoder turns a stream of bytes in one charset into text. Use one per TCP
// connection (or relay direction), so a character split across two reads decodes
// whole. A datagram is a message of its own: decode it with DecodeMessage.
//
// Bytes that do not decode appear as `\xNN` (upper-case hex), one escape per
// byte (per byte of the bad code unit for UTF-16), while the characters around
// them still decode: every input byte ends up either in a decoded character or
// in an escape. A genuine U+FFFD in the input stays U+FFFD.
//
// A Decoder is not safe for concurrent use.
type Decoder struct {
	cs      *Charset
	t       transform.Transformer // nil for UTF-8
	held    [maxHeld]byte
	nheld   int
	out     []byte            // output buffer, reused across calls
	scratch [utf8.UTFMax]byte // one character's output in the slow path
	window  [2 * maxHeld]byte // held bytes plus the start of the next read
}

// NewDecoder returns a streaming decoder for c.
func (c *Charset) NewDecoder() *Decoder {
	d := &Decoder{cs: c}
	if c.enc != nil {
		d.t = c.enc.NewDecoder().Transformer
	}
	return d
}

// DecodeAll decodes a complete buffer. Incomplete bytes at the end show as \xNN.
func (c *Charset) DecodeAll(b []byte) string {
	if c.enc == nil && utf8.Valid(b) || c.ascii && asciiPrefix(b) == len(b) {
		return string(b)
	}
	return string(c.NewDecoder().body(nil, b, true))
}

// DecodeMessage decodes a complete message that is never modified again, such as
// a datagram's Data: as DecodeAll, but where the text is b's bytes unchanged (valid
// UTF-8, or ASCII in an ASCII-compatible charset) it shares b's memory.
func (c *Charset) DecodeMessage(b []byte) string {
	if len(b) > 0 && (c.enc == nil && utf8.Valid(b) || c.ascii && asciiPrefix(b) == len(b)) {
		return unsafe.String(&b[0], len(b))
	}
	return c.DecodeAll(b)
}

// Decode returns the text for p. An incomplete multi-byte sequence at the end
// is held back (copied; the caller may reuse p) until the next call, never
// more than the charset's longest character less one byte.
func (d *Decoder) Decode(p []byte) string { return d.decode(p, false) }

// DecodeOwned is Decode for a p that is never modified again, such as an event's
// Data: where the text is p's bytes unchanged (valid UTF-8, or ASCII in an
// ASCII-compatible charset, the usual case) it shares p's memory instead of
// copying it. Events that wait in a display queue and a log view's ring then hold
// their payload once, not twice.
func (d *Decoder) DecodeOwned(p []byte) string { return d.decode(p, true) }

func (d *Decoder) decode(p []byte, owned bool) string {
	out := d.out[:0]
	if d.nheld > 0 {
		var n int
		out, n = d.stitch(out, p)
		if d.nheld > 0 { // p was used up and the character is still incomplete
			d.out = out
			return string(out)
		}
		p = p[n:]
	} else if n, ok := d.direct(p); ok {
		if owned && n > 0 {
			return unsafe.String(&p[0], n)
		}
		return string(p[:n])
	}
	out = d.body(out, p, false)
	d.out = out
	return string(out)
}

// Flush returns whatever is held back, decoded as the end of the stream (so an
// incomplete sequence shows as \xNN), and resets the decoder.
func (d *Decoder) Flush() string {
	held := d.held
	n := d.nheld
	d.nheld = 0
	if d.t != nil {
		d.t.Reset()
	}
	if n == 0 {
		return ""
	}
	return string(d.body(d.out[:0], held[:n], true))
}

// Pending reports how many bytes are held back.
func (d *Decoder) Pending() int { return d.nheld }

// direct handles, without the output buffer, the cases where the text is the
// bytes themselves: valid UTF-8, and pure ASCII in an ASCII-compatible charset.
// It returns how many bytes of p are the text (the rest is held back).
func (d *Decoder) direct(p []byte) (int, bool) {
	if d.t == nil {
		end := IncompleteUTF8Tail(p)
		if !utf8.Valid(p[:end]) {
			return 0, false
		}
		d.hold(p[end:])
		return end, true
	}
	if d.cs.ascii && asciiPrefix(p) == len(p) {
		return len(p), true
	}
	return 0, false
}

// stitch decodes the characters that begin in the held-back bytes, completing
// them from the start of p. It returns how many bytes of p those characters
// used. If p runs out first, everything is held back again.
func (d *Decoder) stitch(out, p []byte) ([]byte, int) {
	nh := d.nheld
	// maxLen-1 bytes of p give every held character its full window.
	k := min(len(p), d.cs.maxLen-1)
	win := append(append(d.window[:0], d.held[:nh]...), p[:k]...)
	i := 0
	for i < nh {
		var n int
		out, n = d.next(out, win[i:], false)
		if n == 0 { // incomplete: next guarantees len(win[i:]) < maxLen, so k == len(p)
			d.nheld = copy(d.held[:], win[i:])
			return out, len(p)
		}
		i += n
	}
	d.nheld = 0
	return out, i - nh
}

// Chunking of the fast path: chunks grow while the data decodes cleanly and
// shrink after a bad byte, when a short stretch is decoded character by
// character. Clean text runs at x/text speed, binary junk does not pay for
// transforming data twice, and one bad byte does not slow down the rest.
const (
	minChunk    = 16 // at least maxLen, so each clean chunk makes progress
	maxChunk    = 64 << 10
	slowStretch = 64
)

// body decodes src, appending to out. Unless atEOF, a trailing incomplete
// character is stored in d.held instead.
func (d *Decoder) body(out, src []byte, atEOF bool) []byte {
	if d.t == nil {
		end := len(src)
		if !atEOF {
			end = IncompleteUTF8Tail(src)
		}
		if utf8.Valid(src[:end]) {
			d.hold(src[end:])
			return append(out, src[:end]...)
		}
		out, _ = d.slow(out, src, 0, len(src), atEOF)
		return out
	}
	chunk := minChunk
	for i := 0; i < len(src); {
		if d.cs.ascii { // copying is much faster than x/text on ASCII
			n := asciiPrefix(src[i:])
			out = append(out, src[i:i+n]...)
			if i += n; i == len(src) {
				break
			}
		}
		end := min(len(src), i+chunk)
		var n int
		var clean bool
		out, n, clean = d.fastPrefix(out, src[i:end], atEOF && end == len(src))
		i += n
		switch {
		case clean && end < len(src):
			chunk = min(2*chunk, maxChunk)
		case clean: // at most an incomplete tail is left
			out, _ = d.slow(out, src, i, len(src), atEOF)
			return out
		default:
			if out, i = d.slow(out, src, i, i+slowStretch, atEOF); i < 0 {
				return out
			}
			chunk = minChunk
		}
	}
	return out
}

// slow decodes characters one at a time from src[i] until it reaches stop
// (or the end of src). It returns where it stopped, or -1 if it reached an
// incomplete character, which is then held back.
func (d *Decoder) slow(out, src []byte, i, stop int, atEOF bool) ([]byte, int) {
	for i < len(src) && i < stop {
		var n int
		if out, n = d.next(out, src[i:], atEOF); n == 0 {
			d.hold(src[i:])
			return out, -1
		}
		i += n
	}
	return out, i
}

// fastPrefix transforms src in one pass and returns how much of it was
// decoded cleanly: all of it (less an incomplete tail), or, if not clean, up
// to the first character that came out as U+FFFD, for the slow path to judge.
func (d *Decoder) fastPrefix(out, src []byte, atEOF bool) ([]byte, int, bool) {
	start := len(out)
	out, n, ok := d.transformAll(out, src, atEOF)
	if !ok {
		return out[:start], 0, false
	}
	bad := bytes.Index(out[start:], replacement)
	if bad < 0 {
		if len(src)-n < d.cs.maxLen {
			return out, n, true
		}
		return out[:start], 0, false // cannot happen with x/text
	}
	// Transform again with room for exactly the good output: the transformer
	// stops right before the character that became U+FFFD, telling us where
	// it starts in src.
	d.t.Reset()
	nd, ns, _ := d.t.Transform(out[start:start+bad], src, atEOF)
	if nd != bad {
		return out[:start], 0, false // cannot happen with x/text
	}
	return out[:start+nd], ns, false
}

// IncompleteUTF8Tail returns where a trailing incomplete (but so far valid)
// UTF-8 sequence starts, or len(b) if there is none: b[:n] ends on a character
// boundary, so a stream cut there and at every later such point is whole text.
func IncompleteUTF8Tail(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// asciiPrefix returns the length of the leading run of ASCII bytes in b.
func asciiPrefix(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	return i
}

func (d *Decoder) hold(b []byte) { d.nheld = copy(d.held[:], b) }

// transformAll runs the transformer over all of src. It returns how much of src
// it consumed (less than len(src) only for a trailing incomplete character)
// and false if the transformer failed in a way a decoder should not.
func (d *Decoder) transformAll(out, src []byte, atEOF bool) ([]byte, int, bool) {
	out = slices.Grow(out, 2*len(src)+16) // enough unless many 1-byte characters become 3 bytes
	d.t.Reset()
	n := 0
	for {
		nd, ns, err := d.t.Transform(out[len(out):cap(out)], src[n:], atEOF)
		out = out[:len(out)+nd]
		n += ns
		switch err {
		case nil, transform.ErrShortSrc:
			return out, n, err == nil || !atEOF
		case transform.ErrShortDst:
			out = slices.Grow(out, len(src)-n+16)
		default:
			return out, n, false
		}
	}
}

// next decodes the one character at the start of src and appends its text,
// or `\xNN` per byte of one code unit if it is invalid. It returns the bytes
// consumed, or 0 if src holds only the start of a character (never when
// atEOF, never when len(src) >= maxLen). Every decision depends only on
// src[:maxLen], which is what makes split reads decode like one read.
func (d *Decoder) next(out, src []byte, atEOF bool) ([]byte, int) {
	if src[0] < utf8.RuneSelf && d.cs.ascii {
		return append(out, src[0]), 1
	}
	if d.t == nil {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size == 1 {
			if !atEOF && !utf8.FullRune(src) {
				return out, 0
			}
			return appendByteEscapes(out, src[:1]), 1
		}
		return append(out, src[:size]...), size
	}
	nd, ns, err := d.one(src, atEOF)
	if ns == 0 && err == transform.ErrShortSrc && !atEOF && len(src) < d.cs.maxLen {
		return out, 0
	}
	text := d.scratch[:nd]
	if ns > 0 && (!bytes.Contains(text, replacement) || bytes.Equal(src[:ns], d.cs.fffd)) {
		return append(out, text...), ns
	}
	// Invalid: escape one code unit and resynchronise right after it, so an
	// ASCII byte x/text folded into a bad pair is decoded on its own.
	n := min(d.cs.unit, len(src))
	if ns > 0 {
		n = min(n, ns)
	}
	return appendByteEscapes(out, src[:n]), n
}

// one transforms just the first character of src into d.scratch. The
// transformer writes whole runes or nothing, so limiting the room for output
// limits how much it consumes: three bytes fit most characters of the CJK
// charsets exactly; four fit any character, including Big5's few that decode
// to two 2-byte runes.
func (d *Decoder) one(src []byte, atEOF bool) (nd, ns int, err error) {
	nd, ns, err = d.t.Transform(d.scratch[:3], src, atEOF)
	if ns == 0 && err == transform.ErrShortDst {
		nd, ns, err = d.t.Transform(d.scratch[:4], src, atEOF)
	}
	if ns == 0 {
		return nd, ns, err
	}
	if _, size := utf8.DecodeRune(d.scratch[:nd]); size < nd {
		// Two characters fit: shrink the room to the first rune. If even
		// that consumes nothing, the first character is two runes (Big5).
		if nd, ns, err = d.t.Transform(d.scratch[:size], src, atEOF); ns == 0 {
			nd, ns, err = d.t.Transform(d.scratch[:4], src, atEOF)
		}
	}
	return nd, ns, err
}

const upperHex = "0123456789ABCDEF"

// appendByteEscapes appends `\xNN` for each byte of b.
func appendByteEscapes(out, b []byte) []byte {
	for _, c := range b {
		out = append(out, '\\', 'x', upperHex[c>>4], upperHex[c&0xF])
	}
	return out
}
