package payload

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/netio/charset"
)

// Mode says how the text a user typed becomes the bytes to send.
type Mode int

const (
	ModeText    Mode = iota // the text, encoded in the session's charset
	ModeEscapes             // the text with \r \n \t \\ \0 \xNN escapes
	ModeHex                 // hex digits, see ParseHex
)

var modeNames = [...]string{ModeText: "text", ModeEscapes: "escapes", ModeHex: "hex"}

func (m Mode) String() string {
	if m >= 0 && int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode accepts "text", "escapes" or "hex", ignoring case and surrounding
// white space.
func ParseMode(s string) (Mode, error) {
	key := strings.ToLower(strings.TrimSpace(s))
	for m, name := range modeNames {
		if key == name {
			return Mode(m), nil
		}
	}
	return 0, fmt.Errorf("unknown payload mode %q (want text, escapes or hex)", s)
}

// InputError is bad user input in escapes or hex mode.
type InputError struct {
	Kind string // "hex" or "escapes"
	Pos  int    // 1-based character (rune) position of the first offending character; 0 if none
	Msg  string // the message without the Kind, e.g. `invalid character "g" at position 5`
}

func (e *InputError) Error() string { return e.Kind + ": " + e.Msg }

func hexError(pos int, format string, args ...any) *InputError {
	return &InputError{Kind: "hex", Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Parse builds the bytes to send from what the user typed. A nil cs means UTF-8.
//
//   - ModeText: cs.Encode(input).
//   - ModeEscapes: input with the escapes \r \n \t \\ \0 (a single NUL, not
//     octal) and \xNN (exactly two hex digits, either case). Plain text is
//     encoded with cs; \xNN inserts the raw byte NN whatever the charset, so
//     `\xC4\xE3` is two bytes even in UTF-8.
//   - ModeHex: ParseHex(input).
//
// Errors are *InputError or *EncodeError, with positions counted in runes of
// the whole input.
func Parse(input string, mode Mode, cs *charset.Charset) ([]byte, error) {
	if cs == nil {
		cs = charset.UTF8
	}
	switch mode {
	case ModeText:
		return cs.Encode(input)
	case ModeEscapes:
		return parseEscapes(input, cs)
	case ModeHex:
		return ParseHex(input)
	}
	return nil, fmt.Errorf("unknown payload mode %v", mode)
}

// parseEscapes implements ModeEscapes.
func parseEscapes(s string, cs *charset.Charset) ([]byte, error) {
	out := make([]byte, 0, len(s))
	segStart, segPos := 0, 0 // current plain-text run: byte offset, runes before it
	pos := 0                 // runes before s[i]
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			pos++
			continue
		}
		var err error
		if out, err = appendEncoded(out, s[segStart:i], segPos, cs); err != nil {
			return nil, err
		}
		at := pos + 1 // the backslash's position
		if i+1 == len(s) {
			return nil, escapeError(at, "trailing backslash at position %d", at)
		}
		n := 2 // bytes (= runes, all ASCII) in the escape
		switch c := s[i+1]; c {
		case 'r':
			out = append(out, '\r')
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case '\\':
			out = append(out, '\\')
		case '0':
			out = append(out, 0)
		case 'x':
			if i+3 >= len(s) || !isHexDigit(s[i+2]) || !isHexDigit(s[i+3]) {
				return nil, escapeError(at, `incomplete \x escape at position %d`, at)
			}
			out = append(out, unhex(s[i+2])<<4|unhex(s[i+3]))
			n = 4
		default:
			_, size := utf8.DecodeRuneInString(s[i+1:])
			return nil, escapeError(at, `unknown escape \%s at position %d`, charset.DisplayText(s[i+1:i+1+size]), at)
		}
		i += n
		pos += n
		segStart, segPos = i, pos
	}
	return appendEncoded(out, s[segStart:], segPos, cs)
}

// appendEncoded encodes a plain-text run, moving an EncodeError's position
// from the run to the whole input (runesBefore precede the run).
func appendEncoded(out []byte, seg string, runesBefore int, cs *charset.Charset) ([]byte, error) {
	if seg == "" {
		return out, nil
	}
	b, err := cs.Encode(seg)
	if err != nil {
		var ee *charset.EncodeError
		if errors.As(err, &ee) {
			moved := *ee
			moved.Pos += runesBefore
			return nil, &moved
		}
		return nil, err
	}
	return append(out, b...), nil
}

func escapeError(pos int, format string, args ...any) *InputError {
	return &InputError{Kind: "escapes", Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// ParseHex reads bytes written in hex, in the forms people paste:
// `c4 e3 ba c3`, `c4e3bac3`, `C4E3BAC3`, `0xc4,0xe3`, `0xC4 0xE3`, `c4:e3`,
// `c4-e3`, `0xc4e3`, `\xc4\xe3`.
//
// The rules:
//   - Separators are white space (including newlines, tabs and the ideographic
//     space), `,` `:` `;` `-`, and the full-width `，` `：` `；` a Chinese input
//     method types. Separators split the input into groups.
//   - A group may start with `0x` or `0X`; `\x` or `\X` starts a new group
//     anywhere. A prefix must be followed by at least one digit.
//   - Digits pair up within a group, so `c4e3` is two bytes; a group with an
//     odd number of digits is an error at its last digit (`c4 e` fails at 4).
//   - Anything else is an invalid character.
//   - Input without any byte is an error ("hex: no bytes").
//
// Errors are *InputError with the 1-based rune position of the first offending
// character, checked left to right.
func ParseHex(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)/2)
	var (
		pos       int  // 1-based rune position of the rune at s[i]
		digits    int  // digits in the current group
		hi        byte // pending high nibble
		lastDigit int  // position of the group's last digit
		prefixAt  int  // position of the group's 0x or \x, 0 if none
	)
	endGroup := func() error {
		switch {
		case digits%2 == 1:
			return hexError(lastDigit, "odd number of digits (last digit at position %d)", lastDigit)
		case digits == 0 && prefixAt > 0:
			return hexError(prefixAt, "no digits after prefix at position %d", prefixAt)
		}
		digits, prefixAt = 0, 0
		return nil
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		pos++
		hasX := i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X')
		switch {
		case isHexSep(r):
			if err := endGroup(); err != nil {
				return nil, err
			}
		case r == '\\' && hasX, r == '0' && hasX && digits == 0 && prefixAt == 0:
			if err := endGroup(); err != nil {
				return nil, err
			}
			prefixAt = pos
			pos++ // the x
			size = 2
		case r < utf8.RuneSelf && isHexDigit(byte(r)):
			if digits%2 == 0 {
				hi = unhex(byte(r))
			} else {
				out = append(out, hi<<4|unhex(byte(r)))
			}
			digits++
			lastDigit = pos
		default:
			return nil, hexError(pos, "invalid character %q at position %d", s[i:i+size], pos)
		}
		i += size
	}
	if err := endGroup(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, hexError(0, "no bytes")
	}
	return out, nil
}

func isHexSep(r rune) bool {
	switch r {
	case ',', ':', ';', '-', '，', '：', '；':
		return true
	}
	return unicode.IsSpace(r)
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unhex returns the value of a hex digit already checked by isHexDigit.
func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
