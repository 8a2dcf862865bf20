package webtrace

import (
	"strings"

	"github.com/sockdesk/sockdesk/netio/charset"
)

// prescanLen is how much of a page browsers look through for a <meta> charset
// (WHATWG HTML, "prescan a byte stream to determine its encoding").
const prescanLen = 1024

// metaCharset is what the prescan found in a page's first bytes.
type metaCharset struct {
	charset *charset.Charset // nil: no usable declaration
	tag     string           // how it was declared: `<meta charset>` or `<meta http-equiv="Content-Type">`
	// unsupported is the first label a <meta> named that charset.Lookup does
	// not know; browsers skip such a tag and scan on.
	unsupported string
}

// prescanMeta looks for the charset a page declares in a <meta> tag the way
// browsers do before they parse it (the WHATWG prescan): only the first
// prescanLen bytes, skipping comments and the attributes of other tags, and
// taking the first <meta charset="…"> or <meta http-equiv="Content-Type"
// content="…; charset=…"> that names a known charset. A tag cut off by the end
// of those bytes counts for nothing.
func prescanMeta(b []byte) metaCharset {
	s := prescanner{b: b[:min(len(b), prescanLen)]}
	none := func() metaCharset { return metaCharset{unsupported: s.unsupported} }
	for ; s.more(); s.pos++ { // each case leaves pos on the last byte it used
		rest := s.b[s.pos:]
		switch {
		case hasPrefix(rest, "<!--"):
			// To the first "-->"; its hyphens may be those of "<!--".
			end := strings.Index(string(rest[2:]), "-->")
			if end < 0 {
				return none()
			}
			s.pos += 2 + end + 2
		case hasPrefixFold(rest, "<meta") && len(rest) > 5 && (isHTMLSpace(rest[5]) || rest[5] == '/'):
			s.pos += 6
			cs, tag := s.meta()
			if !s.more() {
				return none() // the tag is cut off
			}
			if cs != nil {
				return metaCharset{charset: cs, tag: tag}
			}
		case len(rest) > 1 && rest[0] == '<' && (isASCIILetter(rest[1]) || rest[1] == '/' && len(rest) > 2 && isASCIILetter(rest[2])):
			// Another tag: step over its name and attributes, so that an
			// attribute value that looks like a tag is not taken for one.
			for s.more() && !isHTMLSpace(s.cur()) && s.cur() != '>' {
				s.pos++
			}
			for {
				if _, _, ok := s.attribute(); !ok {
					break
				}
			}
		case len(rest) > 1 && rest[0] == '<' && (rest[1] == '!' || rest[1] == '/' || rest[1] == '?'):
			end := strings.IndexByte(string(rest[1:]), '>')
			if end < 0 {
				return none()
			}
			s.pos += 1 + end
		}
	}
	return none()
}

// prescanner reads attributes as the prescan does: names and values are
// ASCII-lowercased, and running out of bytes ends everything.
type prescanner struct {
	b           []byte
	pos         int
	unsupported string // the first charset label found that Lookup does not know
}

func (s *prescanner) more() bool { return s.pos < len(s.b) }
func (s *prescanner) cur() byte  { return s.b[s.pos] }

func (s *prescanner) skipSpaces() {
	for s.more() && isHTMLSpace(s.cur()) {
		s.pos++
	}
}

// meta reads a <meta> tag's attributes, pos just after "<meta ", and returns
// the charset it declares, if it declares a known one the way the spec counts:
// a charset attribute, or a content attribute with http-equiv="Content-Type".
func (s *prescanner) meta() (*charset.Charset, string) {
	seen := map[string]bool{}
	gotPragma := false
	const (
		pragmaUnset = iota
		pragmaNeeded
		pragmaNotNeeded
	)
	needPragma := pragmaUnset
	var cs *charset.Charset
	for {
		name, value, found := s.attribute()
		if !found {
			break
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		switch name {
		case "http-equiv":
			gotPragma = gotPragma || value == "content-type"
		case "content":
			if label, found := charsetFromContent(value); found && cs == nil && needPragma != pragmaNotNeeded {
				if cs = s.lookup(label); cs != nil {
					needPragma = pragmaNeeded
				}
			}
		case "charset":
			cs, needPragma = s.lookup(value), pragmaNotNeeded
		}
	}
	switch {
	case cs == nil, needPragma == pragmaNeeded && !gotPragma:
		return nil, ""
	case cs.Name() == "UTF-16LE" || cs.Name() == "UTF-16BE":
		// A page that can declare its charset in ASCII is not UTF-16.
		cs = charset.UTF8
	}
	if needPragma == pragmaNeeded {
		return cs, `<meta http-equiv="Content-Type">`
	}
	return cs, "<meta charset>"
}

// lookup is charset.Lookup for a label from the page; an unknown (or empty)
// one is remembered for the detail and is nil.
func (s *prescanner) lookup(label string) *charset.Charset {
	label = strings.TrimSpace(label)
	if cs, err := charset.Lookup(label); err == nil && label != "" {
		return cs
	}
	if s.unsupported == "" {
		s.unsupported = label
	}
	return nil
}

// attribute reads one attribute at pos. found is false at the tag's '>' and
// when the bytes run out (then more is false).
func (s *prescanner) attribute() (name, value string, found bool) {
	for s.more() && (isHTMLSpace(s.cur()) || s.cur() == '/') {
		s.pos++
	}
	if !s.more() || s.cur() == '>' {
		return "", "", false
	}
	var n []byte
	for {
		if !s.more() {
			return "", "", false
		}
		c := s.cur()
		if c == '=' && len(n) > 0 {
			break
		}
		if isHTMLSpace(c) {
			s.skipSpaces()
			if !s.more() {
				return "", "", false
			}
			if s.cur() != '=' {
				return string(n), "", true
			}
			break
		}
		if c == '/' || c == '>' {
			return string(n), "", true
		}
		n = append(n, lowerASCII(c))
		s.pos++
	}
	s.pos++ // the '='
	s.skipSpaces()
	if !s.more() {
		return "", "", false
	}
	var v []byte
	switch q := s.cur(); q {
	case '"', '\'':
		for s.pos++; s.more(); s.pos++ {
			if s.cur() == q {
				s.pos++
				return string(n), string(v), true
			}
			v = append(v, lowerASCII(s.cur()))
		}
		return "", "", false
	case '>':
		return string(n), "", true
	}
	for ; s.more(); s.pos++ {
		if c := s.cur(); isHTMLSpace(c) || c == '>' {
			return string(n), string(v), true
		}
		v = append(v, lowerASCII(s.cur()))
	}
	return "", "", false
}

// charsetFromContent finds the charset in a content attribute such as
// "text/html; charset=gbk" (WHATWG: "extracting a character encoding from a
// meta element"); v is already lower case.
func charsetFromContent(v string) (string, bool) {
	i := 0
	for {
		j := strings.Index(v[i:], "charset")
		if j < 0 {
			return "", false
		}
		i += j + len("charset")
		for i < len(v) && isHTMLSpace(v[i]) {
			i++
		}
		if i >= len(v) || v[i] != '=' {
			continue
		}
		i++
		for i < len(v) && isHTMLSpace(v[i]) {
			i++
		}
		if i >= len(v) {
			return "", false
		}
		if q := v[i]; q == '"' || q == '\'' {
			end := strings.IndexByte(v[i+1:], q)
			if end < 0 {
				return "", false
			}
			return v[i+1 : i+1+end], true
		}
		end := i
		for end < len(v) && !isHTMLSpace(v[end]) && v[end] != ';' {
			end++
		}
		return v[i:end], true
	}
}

func isHTMLSpace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

func hasPrefixFold(b []byte, p string) bool {
	return len(b) >= len(p) && strings.EqualFold(string(b[:len(p)]), p)
}
