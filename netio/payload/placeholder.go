package payload

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/netio/charset"
)

// Placeholders a message may hold (see ParseTemplate):
//
//	{counter}   the message's number: 1, 2, 3, ... (per rule for auto-replies)
//	{time}      local time when sent, 15:04:05.000
//	{unix}      Unix time in seconds
//	{unixms}    Unix time in milliseconds
//	{hex:c4e3}  raw bytes, whatever the mode and charset
//	{{          a literal {
//
// Auto-replies to a regular expression also take its groups: $1, ${1}, $name,
// ${name}, as regexp.Expand does, and $$ for a literal $.
const PlaceholderHelp = "{counter} {time} {unix} {unixms} {hex:..} ({{ = {)"

// timeLayout is what {time} writes: to the millisecond, as the log shows it.
const timeLayout = "15:04:05.000"

type slotKind uint8

const (
	slotCounter slotKind = iota
	slotTime
	slotUnix
	slotUnixMs
	slotGroup // a regular expression's group, in auto-replies
	slotVar   // a named variable, in sequences: {name}
)

var slotNames = map[string]slotKind{
	"counter": slotCounter,
	"time":    slotTime,
	"unix":    slotUnix,
	"unixms":  slotUnixMs,
}

// token is one piece of a scanned message: literal text, raw bytes ({hex:..})
// or a slot filled in when the message is sent.
type token struct {
	text  string // literal text, still in the message's mode
	pos   int    // runes before the text in the whole input
	raw   []byte // {hex:..} bytes
	slot  *slot
	isRaw bool
}

type slot struct {
	kind  slotKind
	group int // slotGroup: the group's index; slotVar: the variable's
}

// GroupLookup resolves a group reference ("1", "name") to its index.
type GroupLookup func(name string) (int, bool)

// VarLookup resolves a variable's name to its index in the values given to
// FillWith, or reports that there is no such variable.
type VarLookup func(name string) (int, bool)

// scanner is what a template may refer to besides the built-in placeholders.
type scanner struct {
	groups GroupLookup // $1, ${name}; nil: none
	vars   VarLookup   // {name}; nil: none
}

// scanPlaceholders splits input into tokens and returns, as well, input with
// every placeholder blanked to spaces of its own length (and {{ to "{ "), so
// that the payload parser can check the input whole with positions as the user
// sees them. groups, when not nil, enables $ group references.
func scanPlaceholders(input string, sc scanner) (toks []token, blank string, err error) {
	groups := sc.groups
	var lit, bl strings.Builder
	litPos, pos := 0, 0 // runes before the current literal, before input[i]
	flush := func() {
		if lit.Len() > 0 {
			toks = append(toks, token{text: lit.String(), pos: litPos})
			lit.Reset()
		}
	}
	placeholder := func(t token, n int) { // n: runes (= bytes, ASCII) of the placeholder
		flush()
		toks = append(toks, t)
		bl.WriteString(strings.Repeat(" ", n))
		pos += n
		litPos = pos
	}
	for i := 0; i < len(input); {
		c := input[i]
		switch {
		case c == '{' && strings.HasPrefix(input[i:], "{{"):
			lit.WriteByte('{')
			bl.WriteString("{ ")
			i += 2
			pos += 2
			continue
		case c == '{':
			t, n, isPH, err := scanBrace(input[i:], pos+1, sc.vars)
			if err != nil {
				return nil, "", err
			}
			if isPH {
				placeholder(t, n)
				i += n
				continue
			}
		case c == '$' && groups != nil:
			t, n, isRef, err := scanGroup(input[i:], pos+1, groups)
			if err != nil {
				return nil, "", err
			}
			if isRef {
				placeholder(t, n)
				i += n
				continue
			}
			if strings.HasPrefix(input[i:], "$$") {
				lit.WriteByte('$')
				bl.WriteString("$ ")
				i += 2
				pos += 2
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(input[i:])
		lit.WriteString(input[i : i+size])
		bl.WriteString(input[i : i+size])
		i += size
		pos++
	}
	flush()
	return toks, bl.String(), nil
}

func placeholderError(pos int, format string, args ...any) *InputError {
	return &InputError{Kind: "placeholder", Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// scanBrace reads a placeholder at the start of s ("{name}" or "{hex:..}"), at
// rune position at. A brace not followed by a lower-case word and "}" or ":" is
// plain text (JSON stays as typed); an unknown word is an error, so a typo is
// not sent as it was written. With vars, {name} may also be a variable, whose
// name may have capitals, digits and _ (as a regular expression's group names);
// a name that is neither is an error.
func scanBrace(s string, at int, vars VarLookup) (t token, n int, ok bool, err error) {
	if vars != nil {
		j := 1
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		if j > 1 && j < len(s) && s[j] == '}' && !('0' <= s[1] && s[1] <= '9') {
			name := s[1:j]
			if _, builtin := slotNames[name]; !builtin {
				if idx, found := vars(name); found {
					return token{slot: &slot{kind: slotVar, group: idx}}, j + 1, true, nil
				}
				return token{}, 0, false, placeholderError(at, "unknown placeholder {%s} at position %d: no variable %s is set before here (placeholders: %s)", name, at, name, PlaceholderHelp)
			}
		}
	}
	j := 1
	for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
		j++
	}
	if j == 1 || j == len(s) || (s[j] != '}' && s[j] != ':') {
		return token{}, 0, false, nil
	}
	name := s[1:j]
	if name == "hex" && s[j] == ':' {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return token{}, 0, false, placeholderError(at, "{hex: at position %d has no closing }", at)
		}
		content := s[j+1 : end]
		// Padding puts the content where it stands in the whole input, so that
		// ParseHex's positions are the user's.
		offset := at - 1 + j + 1
		raw, err := ParseHex(strings.Repeat(" ", offset) + content)
		if isNoBytes(err) {
			return token{}, 0, false, placeholderError(at, "{hex:} at position %d has no bytes", at)
		}
		if err != nil {
			return token{}, 0, false, err
		}
		return token{raw: raw, isRaw: true}, end + 1, true, nil
	}
	kind, known := slotNames[name]
	switch {
	case !known:
		return token{}, 0, false, placeholderError(at, "unknown placeholder {%s at position %d (known: %s)", s[1:j+1], at, PlaceholderHelp)
	case s[j] == ':':
		return token{}, 0, false, placeholderError(at, "{%s} at position %d takes no argument", name, at)
	}
	return token{slot: &slot{kind: kind}}, j + 1, true, nil
}

// scanGroup reads a group reference at the start of s ("$1", "${name}"), at
// rune position at, the way regexp.Expand reads them; a group the expression
// does not have is an error. Anything else after $ is plain text.
func scanGroup(s string, at int, groups GroupLookup) (t token, n int, ok bool, err error) {
	var name string
	switch {
	case strings.HasPrefix(s, "${"):
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return token{}, 0, false, placeholderError(at, "${ at position %d has no closing }", at)
		}
		name, n = s[2:end], end+1
	default:
		j := 1
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		name, n = s[1:j], j
	}
	if name == "" || strings.IndexFunc(name, func(r rune) bool { return r > 0x7f || !isNameByte(byte(r)) }) >= 0 {
		if strings.HasPrefix(s, "${") {
			return token{}, 0, false, placeholderError(at, "bad group name in %s at position %d", charset.DisplayText(s[:n]), at)
		}
		return token{}, 0, false, nil
	}
	idx, found := groups(name)
	if !found {
		return token{}, 0, false, placeholderError(at, "the expression has no group %s (at position %d; write ${1}x for group 1 then x)", strconv.Quote(name), at)
	}
	return token{slot: &slot{kind: slotGroup, group: idx}}, n, true, nil
}

func isNameByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
