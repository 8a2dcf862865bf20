package netio

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// MatchKind says how an auto-reply rule matches a received message.
type MatchKind int

const (
	MatchExact    MatchKind = iota // the whole text; one trailing \r\n or \n is ignored
	MatchContains                  // the text contains the pattern
	MatchPrefix                    // the text starts with the pattern
	MatchRegexp                    // a Go regular expression (RE2) finds a match in the text
	MatchHex                       // the raw bytes contain the bytes written in hex
)

var matchNames = [...]string{"exact", "contains", "prefix", "re", "hex"}

func (k MatchKind) String() string {
	if k >= 0 && int(k) < len(matchNames) {
		return matchNames[k]
	}
	return fmt.Sprintf("MatchKind(%d)", int(k))
}

// ParseMatchKind reads a kind's name as String writes it.
func ParseMatchKind(s string) (MatchKind, bool) {
	for k, name := range matchNames {
		if s == name {
			return MatchKind(k), true
		}
	}
	return 0, false
}

// Rule is one auto-reply rule: when a received message matches, Reply (a
// template in ReplyMode, see ParseTemplate; with a regular expression also its
// groups $1, ${name}) is sent back to the sender on the same socket or
// connection. A UDP message is one datagram; on TCP it is each chunk one read
// returns, which is one message as a peer sent it unless messages come faster
// than they are read. Text kinds match the text decoded in the session's
// charset; MatchHex matches the raw bytes.
type Rule struct {
	Match     MatchKind
	Pattern   string
	Reply     string
	ReplyMode Mode
	Disabled  bool

	// Runes before Pattern and Reply in the text ParseRule read, so that errors
	// point into that text; 0 for rules made otherwise.
	patternAt, replyAt int
}

// RuleSyntax describes ParseRule's text form, for help texts.
const RuleSyntax = `MATCH=>REPLY. MATCH is exact:TEXT (the default without a prefix; a trailing
line ending in the message is ignored), contains:TEXT, prefix:TEXT, re:REGEXP or
hex:BYTES (the raw message contains them). REPLY is text with \r \n \t \\ \xNN
escapes, or hex:BYTES; both may hold ` + PlaceholderHelp + `, and a re: rule's
reply $1, ${1}, ${name} (regexp.Expand; $$ is $). {counter} counts the rule's
replies. The first rule that matches replies.`

// ParseRule reads a rule in RuleSyntax. Errors are *InputError of kind "rule"
// with the position in s; compiling the rule later reports its pattern's and
// reply's errors at their positions in s too.
func ParseRule(s string) (Rule, error) {
	matchS, replyS, ok := strings.Cut(s, "=>")
	if !ok {
		return Rule{}, &InputError{Kind: "rule", Msg: "no => between MATCH and REPLY"}
	}
	r := Rule{Match: MatchExact, Pattern: matchS, ReplyMode: ModeEscapes, Reply: replyS}
	if kind, rest, ok := strings.Cut(matchS, ":"); ok {
		if k, known := ParseMatchKind(kind); known {
			r.Match, r.Pattern = k, rest
			r.patternAt = utf8.RuneCountInString(kind) + 1
		}
	}
	r.replyAt = utf8.RuneCountInString(matchS) + 2
	if rest, ok := strings.CutPrefix(replyS, "hex:"); ok {
		r.Reply, r.ReplyMode = rest, ModeHex
		r.replyAt += 4
	}
	return r, nil
}

// String writes the rule in RuleSyntax (a text or escapes reply as written).
func (r Rule) String() string {
	reply := r.Reply
	if r.ReplyMode == ModeHex {
		reply = "hex:" + reply
	}
	return r.Match.String() + ":" + r.Pattern + "=>" + reply
}

// RuleError is a rule that cannot be compiled. Rule is its 1-based number and
// Part "match" or "reply"; Err has the position (an *InputError or
// *EncodeError where there is one).
type RuleError struct {
	Rule int
	Part string
	Err  error
}

func (e *RuleError) Error() string { return fmt.Sprintf("rule %d: %s: %v", e.Rule, e.Part, e.Err) }
func (e *RuleError) Unwrap() error { return e.Err }

// compiledRule is a rule ready to match, with its reply count.
type compiledRule struct {
	num   int
	kind  MatchKind
	text  string
	re    *regexp.Regexp
	hex   []byte
	reply *Template
	fired atomic.Uint64
}

// RuleSet is a list of compiled rules. Compile a new one to change the rules;
// a RuleSet is never changed but for its reply counts.
type RuleSet struct {
	rules []*compiledRule
	count int // rules given, valid or not
}

// CompileRules compiles rules for a session in charset cs (nil = UTF-8). The set
// holds every enabled rule that compiles; errs has an error (a *RuleError) for
// each that does not, nil for the others, so a caller may show which failed and
// still use the rest.
func CompileRules(rules []Rule, cs *Charset) (set *RuleSet, errs []error) {
	if cs == nil {
		cs = UTF8
	}
	set = &RuleSet{count: len(rules)}
	errs = make([]error, len(rules))
	for i, r := range rules {
		c, err := compileRule(r, cs)
		if err != nil {
			errs[i] = &RuleError{Rule: i + 1, Part: err.part, Err: err.err}
			continue
		}
		if !r.Disabled {
			c.num = i + 1
			set.rules = append(set.rules, c)
		}
	}
	return set, errs
}

// FirstError is the first of CompileRules' errors, or nil.
func FirstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

type partError struct {
	part string
	err  error
}

func compileRule(r Rule, cs *Charset) (*compiledRule, *partError) {
	c := &compiledRule{kind: r.Match, text: r.Pattern}
	var groups groupLookup
	switch r.Match {
	case MatchExact, MatchContains, MatchPrefix:
		if r.Pattern == "" && r.Match != MatchExact {
			return nil, &partError{"match", &InputError{Kind: r.Match.String(), Pos: r.patternAt, Msg: "empty pattern (it would match everything)"}}
		}
	case MatchRegexp:
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return nil, &partError{"match", &InputError{Kind: "re", Pos: r.patternAt + 1,
				Msg: fmt.Sprintf("%s (pattern from position %d)", strings.TrimPrefix(err.Error(), "error parsing regexp: "), r.patternAt+1)}}
		}
		c.re = re
		groups = func(name string) (int, bool) {
			if i, ok := atoiSmall(name); ok {
				return i, i <= re.NumSubexp()
			}
			i := re.SubexpIndex(name)
			return i, i >= 0
		}
	case MatchHex:
		b, err := ParseHex(strings.Repeat(" ", r.patternAt) + r.Pattern)
		if err != nil {
			return nil, &partError{"match", err}
		}
		c.hex = b
	default:
		return nil, &partError{"match", fmt.Errorf("unknown match kind %v", r.Match)}
	}
	if r.Reply == "" {
		return nil, &partError{"reply", &InputError{Kind: "reply", Pos: r.replyAt, Msg: "empty (an auto-reply needs at least one byte)"}}
	}
	reply, err := parseTemplate(r.Reply, r.ReplyMode, cs, groups)
	if err != nil {
		if r.replyAt > 0 {
			// The same error again, with the reply where it stands in the rule.
			// (Hex and placeholders parse the spaces as nothing, text as text.)
			if _, e2 := parseTemplate(strings.Repeat(" ", r.replyAt)+r.Reply, r.ReplyMode, cs, groups); e2 != nil {
				err = e2
			}
		}
		return nil, &partError{"reply", err}
	}
	c.reply = reply
	return c, nil
}

// atoiSmall reads a group number, as regexp.Expand does.
func atoiSmall(s string) (int, bool) {
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' || n > 1e4 {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Len is how many rules the set was compiled from, valid or not.
func (s *RuleSet) Len() int { return s.count }

// Fired is how many times rule n (1-based) has replied.
func (s *RuleSet) Fired(n int) uint64 {
	for _, c := range s.rules {
		if c.num == n {
			return c.fired.Load()
		}
	}
	return 0
}

// reply finds the first rule that matches and builds its reply.
func (s *RuleSet) reply(data []byte, text string, now time.Time) ([]byte, int, bool) {
	for _, c := range s.rules {
		groups, ok := c.match(data, text)
		if !ok {
			continue
		}
		n := c.fired.Add(1)
		return c.reply.fill(nil, n, now, groups), c.num, true
	}
	return nil, 0, false
}

func (c *compiledRule) match(data []byte, text string) (groups []string, ok bool) {
	switch c.kind {
	case MatchExact:
		if text == c.text {
			return nil, true
		}
		body, cut := strings.CutSuffix(text, "\n")
		if !cut {
			return nil, false
		}
		return nil, body == c.text || strings.TrimSuffix(body, "\r") == c.text
	case MatchContains:
		return nil, strings.Contains(text, c.text)
	case MatchPrefix:
		return nil, strings.HasPrefix(text, c.text)
	case MatchRegexp:
		groups = c.re.FindStringSubmatch(text)
		return groups, groups != nil
	case MatchHex:
		return nil, bytes.Contains(data, c.hex)
	}
	return nil, false
}

// Responder answers received messages by a RuleSet that may be replaced at any
// time, from any goroutine (the desktop app's editor applies rules to a running
// session). Endpoints call it on their read goroutines; it is safe for that.
type Responder struct {
	set atomic.Pointer[RuleSet]
}

// NewResponder returns a responder using set (nil: no rules yet).
func NewResponder(set *RuleSet) *Responder {
	r := &Responder{}
	r.Use(set)
	return r
}

// Use replaces the rules; replies in progress finish with the old ones.
func (r *Responder) Use(set *RuleSet) { r.set.Store(set) }

// Rules is the set in use, or nil.
func (r *Responder) Rules() *RuleSet { return r.set.Load() }

// Reply returns the reply to a received message (its raw bytes and its text in
// the session's charset) and the 1-based number of the rule that made it; ok is
// false when no rule matches. A nil Responder never replies.
func (r *Responder) Reply(data []byte, text string) (reply []byte, rule int, ok bool) {
	if r == nil {
		return nil, 0, false
	}
	set := r.set.Load()
	if set == nil {
		return nil, 0, false
	}
	return set.reply(data, text, time.Now())
}
