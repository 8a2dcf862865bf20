package extract

import "slices"

// Value is one number found in a message.
type Value struct {
	Name  string
	Value float64
}

// MaxValues bounds the values one message gives (all rules together), so a
// hostile message cannot make a huge slice; the first MaxValues are kept.
const MaxValues = 256

// Set is the rules of a session, applied together to each received message. It
// is safe for concurrent use (a TCP server applies it on every client's
// goroutine). A nil *Set extracts nothing.
type Set struct {
	rules []Rule
	names names
}

// NewSet makes a set of rules, applied in the order given.
func NewSet(rules ...Rule) *Set {
	return &Set{rules: append([]Rule(nil), rules...)}
}

// Rules are the set's rules in order.
func (s *Set) Rules() []Rule {
	if s == nil {
		return nil
	}
	return append([]Rule(nil), s.rules...)
}

// Names are the names the set gives whatever the message (see Rule.Names), in
// rule order, without repeats: the columns a CSVFile can know from the start.
func (s *Set) Names() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range s.Rules() {
		for _, n := range r.Names() {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// Apply appends the values found in one received message to dst and returns it:
// each rule's, in rule order, and within a rule in the order they stand in the
// message. bin rules read data (the raw bytes), the others read text (the bytes
// decoded). A name may appear more than once (a key repeated in the message, two
// rules naming the same value); consumers that keep one value per name keep the
// last. At most MaxValues are appended.
func (s *Set) Apply(dst []Value, data []byte, text string) []Value {
	if s == nil {
		return dst
	}
	x := extractor{out: dst, limit: len(dst) + MaxValues, names: &s.names}
	for i := range s.rules {
		if x.full() {
			break
		}
		x.apply(&s.rules[i], data, text)
	}
	return x.out
}

// extractor collects one message's values.
type extractor struct {
	out   []Value
	limit int
	names *names
}

func (x *extractor) full() bool { return len(x.out) >= x.limit }

func (x *extractor) add(name string, v float64) {
	if x.full() {
		return
	}
	if len(x.out) == cap(x.out) && len(x.out) < 4 {
		x.out = slices.Grow(x.out, 4) // one allocation for the usual few values
	}
	x.out = append(x.out, Value{Name: name, Value: v})
}

func (x *extractor) apply(r *Rule, data []byte, text string) {
	switch r.kind {
	case KindKV:
		x.keyValues(text)
	case KindJSON:
		x.json(text)
	case KindCSV:
		x.columns(text)
	case KindRegexp:
		x.regexp(r, text)
	case KindBinary:
		if v, ok := r.field.value(data); ok {
			x.add(r.field.name, v)
		}
	}
}

// regexp reads the named groups of the first match.
func (x *extractor) regexp(r *Rule, text string) {
	m := r.re.FindStringSubmatchIndex(text)
	if m == nil {
		return
	}
	for _, g := range r.groups {
		start, end := m[2*g.index], m[2*g.index+1]
		if start < 0 {
			continue // the group took no part in the match
		}
		if v, _, ok := leadingNumber(trimSpace(text[start:end])); ok {
			x.add(g.name, v)
		}
	}
}

func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	return s
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
