package netio

import (
	"errors"
	"strconv"
	"strings"
)

// CounterPlaceholder in a generator's message is replaced by the message's number:
// 1 for the first, then 2, 3, ..., in decimal without leading zeros or separators,
// each digit encoded in the message's charset (one byte in every charset but
// UTF-16, where it is two).
const CounterPlaceholder = "{counter}"

// Template is a message with zero or more counter slots, ready to be filled in for
// each message of a generator run without parsing or encoding anything again.
// A Template is never changed after it is made, so one may serve several runs.
type Template struct {
	parts  [][]byte // literal bytes; a counter goes between each two: len(parts) = slots+1
	digits [][]byte // the encoded digits 0-9, or nil when they are ASCII
	fixed  int      // bytes of the literal parts together
	digitW int      // bytes per digit
}

// NewTemplate is a message of fixed bytes, without a counter.
func NewTemplate(p []byte) *Template {
	p = append([]byte(nil), p...)
	return &Template{parts: [][]byte{p}, fixed: len(p), digitW: 1}
}

// ParseTemplate builds a template from what a user typed, the way Payload builds
// one message: each CounterPlaceholder in input becomes a counter slot and the rest
// is text, text with escapes or hex, in cs (nil = UTF-8). Errors are those of
// Payload, with positions counted in runes of the whole input, placeholders
// included. In hex mode the placeholder stands between groups, e.g.
// "01 02 {counter} 0d 0a"; a group cut by it ("c{counter}4") is an odd group.
func ParseTemplate(input string, mode Mode, cs *Charset) (*Template, error) {
	if cs == nil {
		cs = UTF8
	}
	segs := strings.Split(input, CounterPlaceholder)
	slots := len(segs) - 1
	// Check the input as a whole first, each placeholder taken as nine spaces (its
	// own length, and valid in every mode), so that an error's position is where the
	// user sees it, not where it falls in a piece.
	blank := strings.ReplaceAll(input, CounterPlaceholder, strings.Repeat(" ", len(CounterPlaceholder)))
	if _, err := Payload(blank, mode, cs); err != nil && !(slots > 0 && isNoBytes(err)) {
		return nil, err
	}
	t := &Template{parts: make([][]byte, len(segs)), digitW: 1}
	for i, seg := range segs {
		p, err := Payload(seg, mode, cs)
		if err != nil && !isNoBytes(err) {
			// Not expected once the whole input passed; say where it is anyway.
			return nil, err
		}
		t.parts[i] = p
		t.fixed += len(p)
	}
	if enc, err := cs.Encode("0123456789"); err != nil || string(enc) != "0123456789" {
		t.digits = make([][]byte, 10)
		for d := range 10 {
			if t.digits[d], err = cs.Encode(string(rune('0' + d))); err != nil {
				return nil, err
			}
		}
		t.digitW = len(t.digits[0])
	}
	return t, nil
}

// isNoBytes reports whether err is ParseHex's "no bytes": in hex mode a piece
// between placeholders may be only separators.
func isNoBytes(err error) bool {
	var ie *InputError
	return errors.As(err, &ie) && ie.Kind == "hex" && ie.Pos == 0
}

// Counters is the number of counter slots.
func (t *Template) Counters() int { return len(t.parts) - 1 }

// Len is the length of message n.
func (t *Template) Len(n uint64) int {
	return t.fixed + t.Counters()*t.digitW*decimalDigits(n)
}

// Append appends message n (its counter slots filled with n) to dst.
func (t *Template) Append(dst []byte, n uint64) []byte {
	if len(t.parts) == 1 {
		return append(dst, t.parts[0]...)
	}
	var num [20]byte
	digits := strconv.AppendUint(num[:0], n, 10)
	for i, p := range t.parts {
		dst = append(dst, p...)
		if i == len(t.parts)-1 {
			break
		}
		if t.digits == nil {
			dst = append(dst, digits...)
			continue
		}
		for _, d := range digits {
			dst = append(dst, t.digits[d-'0']...)
		}
	}
	return dst
}

// decimalDigits is how many digits n has in decimal.
func decimalDigits(n uint64) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}
