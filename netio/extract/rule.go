package extract

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Kind is what a rule reads.
type Kind int

const (
	KindKV     Kind = iota // key=value and key: value pairs in the text
	KindRegexp             // the named groups of a regular expression's first match
	KindJSON               // the numeric fields of a JSON text
	KindCSV                // separated numbers, named by column: v1, v2, ...
	KindBinary             // one field of the raw bytes
)

var kindNames = [...]string{"kv", "re", "json", "csv", "bin"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Syntax is the spec grammar in one line, for usage texts and error messages.
const Syntax = "kv, re:REGEX, json, csv or bin:NAME@OFFSET:TYPE[*SCALE]"

// Rule is one parsed extraction rule. The zero Rule extracts nothing. A Rule is
// immutable and safe for concurrent use.
type Rule struct {
	spec   string
	kind   Kind
	re     *regexp.Regexp
	groups []group // KindRegexp: the named groups
	field  binField
}

type group struct {
	index int // submatch index
	name  string
}

// Kind is what the rule reads.
func (r Rule) Kind() Kind { return r.kind }

// String is the spec the rule was parsed from.
func (r Rule) String() string { return r.spec }

// Names are the value names the rule gives whatever the message: a bin rule's
// NAME, a re rule's group names. Rules whose names come from the message (kv,
// json, csv) have none.
func (r Rule) Names() []string {
	switch r.kind {
	case KindBinary:
		return []string{r.field.name}
	case KindRegexp:
		names := make([]string, len(r.groups))
		for i, g := range r.groups {
			names[i] = g.name
		}
		return names
	}
	return nil
}

// SpecError is a spec that cannot be parsed.
type SpecError struct {
	Spec string
	Pos  int    // 1-based character (rune) position in Spec of what is wrong; 0 if the spec as a whole
	Msg  string // what is wrong, e.g. `unknown type "u24" (known: u8 i8 ...)`
}

func (e *SpecError) Error() string {
	if e.Pos > 0 {
		return fmt.Sprintf("extract rule %q: at position %d: %s", e.Spec, e.Pos, e.Msg)
	}
	return fmt.Sprintf("extract rule %q: %s", e.Spec, e.Msg)
}

// specError reports a problem at byte offset at of spec (-1 for the whole spec).
func specError(spec string, at int, format string, args ...any) *SpecError {
	pos := 0
	if at >= 0 {
		pos = utf8.RuneCountInString(spec[:at]) + 1
	}
	return &SpecError{Spec: spec, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads one rule spec (see the package doc). Errors are *SpecError.
func Parse(spec string) (Rule, error) {
	kind, arg, hasArg := strings.Cut(spec, ":")
	switch {
	case spec == "":
		return Rule{}, specError(spec, -1, "empty rule (want %s)", Syntax)
	case spec == "kv":
		return Rule{spec: spec, kind: KindKV}, nil
	case spec == "json":
		return Rule{spec: spec, kind: KindJSON}, nil
	case spec == "csv":
		return Rule{spec: spec, kind: KindCSV}, nil
	case hasArg && kind == "re":
		return parseRegexp(spec, arg)
	case hasArg && kind == "bin":
		return parseBinary(spec, arg)
	}
	return Rule{}, specError(spec, -1, "unknown kind %q (want %s)", kind, Syntax)
}

func parseRegexp(spec, pattern string) (Rule, error) {
	const at = len("re:")
	if pattern == "" {
		return Rule{}, specError(spec, at, "empty regular expression")
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		return Rule{}, specError(spec, at, "regular expression: %s", msg)
	}
	r := Rule{spec: spec, kind: KindRegexp, re: re}
	for i, name := range re.SubexpNames() {
		if name != "" {
			r.groups = append(r.groups, group{index: i, name: name})
		}
	}
	if len(r.groups) == 0 {
		return Rule{}, specError(spec, at, "the regular expression has no named group (?P<name>...) to read a number from")
	}
	return r, nil
}

// ParseAll parses every spec into a Set; the first bad one is the error.
func ParseAll(specs []string) (*Set, error) {
	rules := make([]Rule, 0, len(specs))
	for _, spec := range specs {
		r, err := Parse(spec)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	return NewSet(rules...), nil
}
