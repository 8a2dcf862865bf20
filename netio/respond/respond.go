package respond

import (
	"bytes"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// compiledRule is a rule ready to match, with its reply count.
type compiledRule struct {
	num   int
	kind  MatchKind
	text  string
	re    *regexp.Regexp
	hex   []byte
	reply *payload.Template
	fired atomic.Uint64
}

// RuleSet is a list of compiled rules. Compile a new one to change the rules;
// a RuleSet is never changed but for its reply counts.
type RuleSet struct {
	rules []*compiledRule
	count int // rules given, valid or not
}

// Compile compiles rules for a session in charset cs (nil = UTF-8). The set
// holds every enabled rule that compiles; errs has an error (a *RuleError) for
// each that does not, nil for the others, so a caller may show which failed and
// still use the rest.
func Compile(rules []Rule, cs *charset.Charset) (set *RuleSet, errs []error) {
	if cs == nil {
		cs = charset.UTF8
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

// FirstError is the first of Compile' errors, or nil.
func FirstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
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
		return c.reply.Fill(nil, n, now, groups), c.num, true
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
