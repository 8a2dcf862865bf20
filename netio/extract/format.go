package extract

import (
	"strconv"
	"unicode/utf8"
)

// AppendText appends the values as a readable line's suffix, "temp=23.5 hum=41",
// in order. A name that has a space, an = or a quote, or that a terminal could
// take as a control sequence, is written quoted with Go escapes ("a b"=1,
// "\x1b[31m"=2), so what a peer sends cannot drive the terminal.
func AppendText(b []byte, values []Value) []byte {
	for i, v := range values {
		if i > 0 {
			b = append(b, ' ')
		}
		if plainName(v.Name) {
			b = append(b, v.Name...)
		} else {
			b = strconv.AppendQuote(b, v.Name)
		}
		b = append(b, '=')
		b = strconv.AppendFloat(b, v.Value, 'g', -1, 64)
	}
	return b
}

func plainName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r == ' ' || r == '=' || r == '"' || r == '\\' || r == utf8.RuneError || !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// AppendJSON appends the values as a JSON object, {"temp":23.5,"hum":41}: each
// name once, with its last value, in the order names first appear.
func AppendJSON(b []byte, values []Value) []byte {
	b = append(b, '{')
	first := true
	for i, v := range values {
		if repeatedLater(values, i) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, v.Name)
		b = append(b, ':')
		b = strconv.AppendFloat(b, lastValue(values, i), 'g', -1, 64)
	}
	return append(b, '}')
}

// repeatedLater tells whether values[i]'s name came before i: it was written there.
func repeatedLater(values []Value, i int) bool {
	for _, v := range values[:i] {
		if v.Name == values[i].Name {
			return true
		}
	}
	return false
}

func lastValue(values []Value, i int) float64 {
	v := values[i].Value
	for _, w := range values[i+1:] {
		if w.Name == values[i].Name {
			v = w.Value
		}
	}
	return v
}

// appendJSONString writes s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20 || r == 0x7f:
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
