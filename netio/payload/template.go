package payload

import (
	"errors"
	"strconv"
	"time"

	"github.com/sockdesk/sockdesk/netio/charset"
)

// CounterPlaceholder in a message is replaced by the message's number: 1 for the
// first, then 2, 3, ..., in decimal without leading zeros or separators, each
// digit encoded in the message's charset (one byte in every charset but UTF-16,
// where it is two). See PlaceholderHelp for the others.
const CounterPlaceholder = "{counter}"

// Template is a message with zero or more slots ({counter}, {time}, ...), ready
// to be filled in for each message without parsing or encoding anything again.
// A Template is never changed after it is made, so one may serve several runs
// and goroutines.
type Template struct {
	parts    [][]byte // literal bytes; a slot goes between each two: len(parts) = len(slots)+1
	slots    []slot
	ascii    *[128][]byte     // how the charset writes the ASCII characters slots use; nil when as ASCII
	cs       *charset.Charset // for a group's text
	fixed    int              // bytes of the literal parts together
	charW    int              // bytes per digit
	counters int              // counter slots
}

// NewTemplate is a message of fixed bytes, without slots.
func NewTemplate(p []byte) *Template {
	p = append([]byte(nil), p...)
	return &Template{parts: [][]byte{p}, fixed: len(p), charW: 1}
}

// ParseTemplate builds a template from what a user typed, the way Parse builds
// one message: each placeholder (PlaceholderHelp) becomes a slot or, for
// {hex:..}, raw bytes, and the rest is text, text with escapes or hex, in cs
// (nil = UTF-8). Errors are those of Parse, or an *InputError of kind
// "placeholder", with positions counted in runes of the whole input,
// placeholders included. In hex mode a placeholder stands between groups, e.g.
// "01 02 {counter} 0d 0a"; a group cut by one ("c{counter}4") is an odd group.
// A { that does not start a lower-case word and } or : is plain text.
func ParseTemplate(input string, mode Mode, cs *charset.Charset) (*Template, error) {
	return ParseTemplateWithGroups(input, mode, cs, nil)
}

// ParseTemplateWithGroups is ParseTemplate with references to a regular
// expression's groups ($1, ${name}) allowed, resolved by groups; Fill fills them in.
func ParseTemplateWithGroups(input string, mode Mode, cs *charset.Charset, groups GroupLookup) (*Template, error) {
	return parseTemplate(input, mode, cs, scanner{groups: groups})
}

// ParseTemplateWithVars is ParseTemplate with named variables allowed as
// placeholders, {name}, resolved by vars; FillWith fills them in. A {name} that
// is not a built-in placeholder and not a variable is an error.
func ParseTemplateWithVars(input string, mode Mode, cs *charset.Charset, vars VarLookup) (*Template, error) {
	return parseTemplate(input, mode, cs, scanner{vars: vars})
}

func parseTemplate(input string, mode Mode, cs *charset.Charset, sc scanner) (*Template, error) {
	if cs == nil {
		cs = charset.UTF8
	}
	toks, blank, err := scanPlaceholders(input, sc)
	if err != nil {
		return nil, err
	}
	placeholders := 0
	for _, tk := range toks {
		if tk.slot != nil || tk.isRaw {
			placeholders++
		}
	}
	// Check the input as a whole first, each placeholder blanked to spaces (its
	// own length, and valid in every mode), so that an error's position is where
	// the user sees it, not where it falls in a piece.
	if _, err := Parse(blank, mode, cs); err != nil && !(placeholders > 0 && isNoBytes(err)) {
		return nil, err
	}
	t := &Template{cs: cs, charW: 1}
	var cur []byte
	for _, tk := range toks {
		switch {
		case tk.isRaw:
			cur = append(cur, tk.raw...)
		case tk.slot != nil:
			t.parts = append(t.parts, cur)
			cur = nil
			t.slots = append(t.slots, *tk.slot)
			if tk.slot.kind == slotCounter {
				t.counters++
			}
		default:
			p, err := Parse(tk.text, mode, cs)
			if err != nil && !isNoBytes(err) {
				// Not expected once the whole input passed; say where it is anyway.
				return nil, err
			}
			cur = append(cur, p...)
		}
	}
	t.parts = append(t.parts, cur)
	for _, p := range t.parts {
		t.fixed += len(p)
	}
	if len(t.slots) > 0 {
		if err := t.encodeASCII(cs); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// slotChars are the characters slots write besides group text.
const slotChars = "0123456789:.-"

// encodeASCII prepares the characters slots write for a charset that does not
// write them as ASCII (UTF-16).
func (t *Template) encodeASCII(cs *charset.Charset) error {
	if enc, err := cs.Encode(slotChars); err == nil && string(enc) == slotChars {
		return nil
	}
	t.ascii = new([128][]byte)
	for i := range len(slotChars) {
		enc, err := cs.Encode(slotChars[i : i+1])
		if err != nil {
			return err
		}
		t.ascii[slotChars[i]] = enc
	}
	t.charW = len(t.ascii['0'])
	return nil
}

// isNoBytes reports whether err is ParseHex's "no bytes": in hex mode a piece
// between placeholders may be only separators.
func isNoBytes(err error) bool {
	var ie *InputError
	return errors.As(err, &ie) && ie.Kind == "hex" && ie.Pos == 0
}

// Counters is the number of counter slots.
func (t *Template) Counters() int { return t.counters }

// Static reports whether every message of the template is the same bytes.
func (t *Template) Static() bool { return len(t.slots) == 0 }

// Len is the length of message n. Time slots count at their width now (Unix
// time has 10 digits until the year 2286); group and variable slots count nothing.
func (t *Template) Len(n uint64) int {
	chars := 0
	for _, s := range t.slots {
		switch s.kind {
		case slotCounter:
			chars += decimalDigits(n)
		case slotTime:
			chars += len(timeLayout)
		case slotUnix:
			chars += 10
		case slotUnixMs:
			chars += 13
		}
	}
	return t.fixed + chars*t.charW
}

// Append appends message n (its counter slots filled with n, its time slots with
// the time now) to dst.
func (t *Template) Append(dst []byte, n uint64) []byte {
	if len(t.slots) == 0 {
		return append(dst, t.parts[0]...)
	}
	if t.counters < len(t.slots) {
		return t.Fill(dst, n, time.Now(), nil)
	}
	// Only counters, the generator's common case: the digits once, no switch.
	var num [20]byte
	digits := strconv.AppendUint(num[:0], n, 10)
	for i, p := range t.parts {
		dst = append(dst, p...)
		switch {
		case i == len(t.slots):
		case t.ascii == nil:
			dst = append(dst, digits...)
		default:
			dst = t.appendASCII(dst, digits)
		}
	}
	return dst
}

// Fill appends the message with counter n, time now and a regular expression's
// groups (text by group index; nil without groups).
func (t *Template) Fill(dst []byte, n uint64, now time.Time, groups []string) []byte {
	return t.FillWith(dst, n, now, groups, nil)
}

// FillWith is Fill with the variables' values too (text by variable index); a
// variable without a value is left empty.
func (t *Template) FillWith(dst []byte, n uint64, now time.Time, groups, vars []string) []byte {
	var num [40]byte
	for i, p := range t.parts {
		dst = append(dst, p...)
		if i == len(t.slots) {
			break
		}
		switch s := t.slots[i]; s.kind {
		case slotCounter:
			dst = t.appendASCII(dst, strconv.AppendUint(num[:0], n, 10))
		case slotTime:
			dst = t.appendASCII(dst, now.AppendFormat(num[:0], timeLayout))
		case slotUnix:
			dst = t.appendASCII(dst, strconv.AppendInt(num[:0], now.Unix(), 10))
		case slotUnixMs:
			dst = t.appendASCII(dst, strconv.AppendInt(num[:0], now.UnixMilli(), 10))
		case slotGroup:
			if s.group < len(groups) {
				dst = t.appendText(dst, groups[s.group])
			}
		case slotVar:
			if s.group < len(vars) {
				dst = t.appendText(dst, vars[s.group])
			}
		}
	}
	return dst
}

// appendASCII appends slot characters (slotChars) in the template's charset.
func (t *Template) appendASCII(dst, chars []byte) []byte {
	if t.ascii == nil {
		return append(dst, chars...)
	}
	for _, c := range chars {
		dst = append(dst, t.ascii[c]...)
	}
	return dst
}

// appendText appends a group's text in the template's charset. The text was
// decoded from that charset, so it encodes back, but for bytes that did not
// decode (shown as \xNN): those go as written rather than not at all.
func (t *Template) appendText(dst []byte, s string) []byte {
	b, err := t.cs.Encode(s)
	if err != nil {
		return append(dst, s...)
	}
	return append(dst, b...)
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
