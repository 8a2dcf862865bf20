package extract

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds nesting, so a message of ten thousand [ cannot exhaust the
// stack; a deeper message is treated as malformed.
const maxJSONDepth = 64

// json adds every numeric field of a JSON text, named by its path (a.b, a[0]).
// Surrounding white space is allowed; anything else that is not one JSON value
// (malformed, truncated, two values, trailing text) gives no value at all, rather
// than the numbers before the fault.
func (x *extractor) json(s string) {
	mark := len(x.out)
	p := jsonParser{s: s, x: x}
	var buf [maxNameLen]byte
	p.skipSpace()
	if !p.value(buf[:0], 0) {
		x.out = x.out[:mark]
		return
	}
	p.skipSpace()
	if p.i != len(s) {
		x.out = x.out[:mark]
	}
}

// jsonParser walks a JSON text once, adding its numbers as it meets them. Each
// method returns false on malformed input.
type jsonParser struct {
	s string
	i int
	x *extractor
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
}

func (p *jsonParser) value(path []byte, depth int) bool {
	if p.i >= len(p.s) || depth > maxJSONDepth {
		return false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(path, depth)
	case c == '[':
		return p.array(path, depth)
	case c == '"':
		_, ok := p.str(nil)
		return ok
	case c == '-' || isDigit(c):
		return p.number(path)
	default:
		return p.literal("true") || p.literal("false") || p.literal("null")
	}
}

func (p *jsonParser) literal(word string) bool {
	if len(p.s)-p.i >= len(word) && p.s[p.i:p.i+len(word)] == word {
		p.i += len(word)
		return true
	}
	return false
}

func (p *jsonParser) object(path []byte, depth int) bool {
	p.i++ // {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return true
	}
	for {
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return false
		}
		field := path
		if len(field) > 0 && len(field) <= maxNameLen {
			field = append(field, '.')
		}
		field, ok := p.str(field)
		if !ok {
			return false
		}
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return false
		}
		p.i++
		p.skipSpace()
		if !p.value(field, depth+1) {
			return false
		}
		if !p.endOfMember('}') {
			return false
		}
		if p.s[p.i-1] == '}' {
			return true
		}
	}
}

func (p *jsonParser) array(path []byte, depth int) bool {
	p.i++ // [
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return true
	}
	for index := 0; ; index++ {
		p.skipSpace()
		elem := path
		if len(elem) <= maxNameLen {
			elem = append(elem, '[')
			elem = strconv.AppendInt(elem, int64(index), 10)
			elem = append(elem, ']')
		}
		if !p.value(elem, depth+1) {
			return false
		}
		if !p.endOfMember(']') {
			return false
		}
		if p.s[p.i-1] == ']' {
			return true
		}
	}
}

// endOfMember reads the , or the closing bracket after a member.
func (p *jsonParser) endOfMember(closing byte) bool {
	p.skipSpace()
	if p.i < len(p.s) && (p.s[p.i] == ',' || p.s[p.i] == closing) {
		p.i++
		return true
	}
	return false
}

// number reads a JSON number and adds it under path.
func (p *jsonParser) number(path []byte) bool {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.i < len(p.s) && isDigit(p.s[p.i]):
		p.digits()
	default:
		return false
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if !p.digits() {
			return false
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if !p.digits() {
			return false
		}
	}
	v, err := strconv.ParseFloat(p.s[start:p.i], 64)
	if err == nil && len(path) > 0 && len(path) <= maxNameLen {
		p.x.add(p.x.names.intern(path), v)
	}
	return true // a number too large for a float64 is still JSON: no value, no fault
}

func (p *jsonParser) digits() bool {
	start := p.i
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		p.i++
	}
	return p.i > start
}

// str reads a JSON string, appending its decoded text to dst (nil: just skip it).
// A name stops growing once it is longer than maxNameLen: it gives no value
// anyway, and a hostile key must not cost memory at every level of nesting.
func (p *jsonParser) str(dst []byte) ([]byte, bool) {
	p.i++ // "
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return dst, true
		case c < 0x20:
			return dst, false
		case c == '\\':
			var ok bool
			if dst, ok = p.escape(dst); !ok {
				return dst, false
			}
		default:
			if dst != nil && len(dst) <= maxNameLen {
				dst = append(dst, c)
			}
			p.i++
		}
	}
	return dst, false
}

// escape decodes the escape at p.i (a backslash) into dst.
func (p *jsonParser) escape(dst []byte) ([]byte, bool) {
	if p.i+1 >= len(p.s) {
		return dst, false
	}
	c := p.s[p.i+1]
	p.i += 2
	var r rune
	switch c {
	case '"', '\\', '/':
		r = rune(c)
	case 'b':
		r = '\b'
	case 'f':
		r = '\f'
	case 'n':
		r = '\n'
	case 'r':
		r = '\r'
	case 't':
		r = '\t'
	case 'u':
		var ok bool
		if r, ok = p.hex4(); !ok {
			return dst, false
		}
		if utf16.IsSurrogate(r) {
			r2 := rune(-1)
			if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
				p.i += 2
				if r2, ok = p.hex4(); !ok {
					return dst, false
				}
			}
			r = utf16.DecodeRune(r, r2) // U+FFFD for a lone surrogate
		}
	default:
		return dst, false
	}
	if dst != nil && len(dst) <= maxNameLen {
		dst = utf8.AppendRune(dst, r)
	}
	return dst, true
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.s[p.i : p.i+4]) {
		var d byte
		switch {
		case isDigit(c):
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	p.i += 4
	return r, true
}
