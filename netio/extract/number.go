package extract

import (
	"math"
	"strconv"
)

// leadingNumber reads the number at the start of s: an optional sign, then 0x and
// hex digits, or digits with an optional fraction (.5 and 5. too) and an optional
// exponent. What follows the number (a unit) is not looked at. n is the number's
// length in bytes; ok is false when s does not start with a finite number.
func leadingNumber(s string) (v float64, n int, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && isHexDigit(s[i+2]) {
		return leadingHex(s, i)
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		// An exponent only if digits follow: 3eV is 3 with a unit.
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, 0, false
	}
	return v, i, true
}

// leadingHex reads 0x and hex digits from s[i:]; s[:i] is an optional sign.
func leadingHex(s string, i int) (float64, int, bool) {
	start := i + 2
	j := start
	for j < len(s) && isHexDigit(s[j]) {
		j++
	}
	u, err := strconv.ParseUint(s[start:j], 16, 64)
	if err != nil {
		return 0, 0, false
	}
	v := float64(u)
	if s[0] == '-' {
		v = -v
	}
	return v, j, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
