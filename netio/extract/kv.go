package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// keyValues finds key=value and key: value pairs (also with the full-width ＝ and
// ：) whose value starts with a number, in the order they stand.
func (x *extractor) keyValues(s string) {
	for i := 0; i < len(s) && !x.full(); {
		sepLen := separatorAt(s, i)
		if sepLen == 0 {
			i++
			continue
		}
		valueAt := i + sepLen
		for valueAt < len(s) && (s[valueAt] == ' ' || s[valueAt] == '\t') {
			valueAt++
		}
		v, n, ok := leadingNumber(s[valueAt:])
		if !ok {
			i += sepLen
			continue
		}
		if key := keyBefore(s[:i]); key != "" {
			x.add(x.names.internString(key), v)
		}
		i = valueAt + n
	}
}

// separatorAt is the length of the key-value separator at s[i], 0 if none.
func separatorAt(s string, i int) int {
	switch s[i] {
	case '=', ':':
		return 1
	case 0xEF: // ＝ U+FF1D and ： U+FF1A are EF BC 9D and EF BC 9A in UTF-8
		if i+2 < len(s) && s[i+1] == 0xBC && (s[i+2] == 0x9D || s[i+2] == 0x9A) {
			return 3
		}
	}
	return 0
}

// keyBefore is the key that ends s (spaces before the separator allowed): a
// quoted string, or a run of letters, digits, _ . and - that does not start with
// a digit, a dot or a dash. "" if there is none.
func keyBefore(s string) string {
	end := len(s)
	for end > 0 && (s[end-1] == ' ' || s[end-1] == '\t') {
		end--
	}
	if end > 0 && (s[end-1] == '"' || s[end-1] == '\'') {
		from := max(0, end-2-maxNameLen) // look no further back than a name can be long
		open := strings.LastIndexByte(s[from:end-1], s[end-1])
		if open < 0 {
			return ""
		}
		open += from
		key := s[open+1 : end-1]
		if key == "" || strings.ContainsAny(key, "\r\n") {
			return ""
		}
		return key
	}
	start := end
	for start > 0 && end-start <= maxNameLen {
		r, size := utf8.DecodeLastRuneInString(s[:start])
		if !isKeyRune(r) {
			break
		}
		start -= size
	}
	if end-start > maxNameLen {
		return ""
	}
	// A run that starts with digits is the end of the value before it (T=25H=40)
	// or a time (12:30): what follows the digits is the key, if anything.
	return strings.TrimLeft(s[start:end], "-.0123456789")
}

func isKeyRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '.' || r == '-'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
