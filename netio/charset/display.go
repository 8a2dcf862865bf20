package charset

import (
	"unicode/utf8"
)

// DisplayText makes decoded (untrusted) text safe to show on one line of a log
// or terminal. It escapes:
//   - C0 controls, DEL and C1 controls: \r \n \t as `\r` `\n` `\t`, NUL as `\0`,
//     the rest as `\xNN`;
//   - characters that break the line or reorder what follows them: U+061C,
//     U+200B..U+200F, U+2028, U+2029, U+202A..U+202E, U+2066..U+2069 and
//     U+FEFF, as `\u{XXXX}`;
//   - bytes that are not valid UTF-8, as `\xNN`, so the result always is.
//
// Everything else, CJK included, is unchanged; a backslash is not escaped, so
// the output of a Decoder passes through as it is.
func DisplayText(s string) string {
	i := displaySafePrefix(s)
	if i == len(s) {
		return s // most text needs nothing and is returned without copying
	}
	b := make([]byte, 0, len(s)+len(s)/16+16)
	return string(appendEscaped(append(b, s[:i]...), s[i:]))
}

// AppendDisplayText appends DisplayText(s) to dst without making the string in
// between: log files and the printer format whole lines into one buffer.
func AppendDisplayText(dst []byte, s string) []byte {
	i := displaySafePrefix(s)
	dst = append(dst, s[:i]...)
	if i == len(s) {
		return dst
	}
	return appendEscaped(dst, s[i:])
}

// displaySafePrefix is how many bytes at the start of s DisplayText leaves as they are.
func displaySafePrefix(s string) int {
	i := 0
	for i < len(s) {
		i += printablePrefix(s[i:])
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7F {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if NeedsEscape(r) || r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	return i
}

// appendEscaped appends s to b with DisplayText's escapes.
func appendEscaped(b []byte, s string) []byte {
	// Characters that need nothing are copied as runs, not one by one: text with
	// a newline every line (most of what a socket tool sees) would otherwise cost
	// a call per byte.
	i, run := 0, 0 // run: start of the run not yet copied
	for i < len(s) {
		i += printablePrefix(s[i:])
		if i == len(s) {
			break
		}
		c := s[i]
		size := 1
		switch r := rune(c); {
		case c < utf8.RuneSelf:
			b = append(b, s[run:i]...)
			b = appendRuneEscape(b, r)
		default:
			r, size = utf8.DecodeRuneInString(s[i:])
			bad := r == utf8.RuneError && size == 1
			if !bad && !NeedsEscape(r) {
				i += size
				continue
			}
			b = append(b, s[run:i]...)
			if bad {
				b = appendByteEscape(b, c)
			} else {
				b = appendRuneEscape(b, r)
			}
		}
		i += size
		run = i
	}
	return append(b, s[run:]...)
}

// printablePrefix is how many bytes at the start of s are printable ASCII (0x20 to
// 0x7E), which DisplayText copies as they are. It looks at eight bytes at a time:
// a byte below 0x20 borrows in w-0x20 per byte, 0x7F carries into the top bit in
// w+1 per byte, and anything from 0x80 has the top bit already; the lowest such
// byte is always caught, as no byte below it borrows or carries.
func printablePrefix(s string) int {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		_ = s[i+7]
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if ((w-0x20*ones)|(w+ones)|w)&tops != 0 {
			break
		}
	}
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7F {
		i++
	}
	return i
}

// NeedsEscape reports whether r is a control or layout-changing character.
func NeedsEscape(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7F && r < 0xA0:
		return true
	case r < 0x600:
		return false
	}
	switch {
	case r == 0x061C, // Arabic letter mark (bidi)
		r >= 0x200B && r <= 0x200F, // zero width space/joiners, LRM, RLM
		r == 0x2028, r == 0x2029,   // line and paragraph separators
		r >= 0x202A && r <= 0x202E, // bidi embeddings and overrides
		r >= 0x2066 && r <= 0x2069, // bidi isolates
		r == 0xFEFF:                // zero width no-break space / BOM
		return true
	}
	return false
}

func appendRuneEscape(b []byte, r rune) []byte {
	switch r {
	case '\r':
		return append(b, `\r`...)
	case '\n':
		return append(b, `\n`...)
	case '\t':
		return append(b, `\t`...)
	case 0:
		return append(b, `\0`...)
	}
	if r < 0x100 {
		return appendByteEscape(b, byte(r))
	}
	b = append(b, `\u{`...)
	for shift := 12; shift >= 0; shift -= 4 {
		b = append(b, upperHex[r>>shift&0xF])
	}
	return append(b, '}')
}

func appendByteEscape(b []byte, c byte) []byte {
	return append(b, '\\', 'x', upperHex[c>>4], upperHex[c&0xF])
}
