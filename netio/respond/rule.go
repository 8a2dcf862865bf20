package respond

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/payload"
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
	ReplyMode payload.Mode
	Disabled  bool

	// Runes before Pattern and Reply in the text ParseRule read, so that errors
	// point into that text; 0 for rules made otherwise.
	patternAt, replyAt int
}

// Syntax describes ParseRule's text form, for help texts.
const Syntax = `MATCH=>REPLY. MATCH is exact:TEXT (the default without a prefix; a trailing
line ending in the message is ignored), contains:TEXT, prefix:TEXT, re:REGEXP or
hex:BYTES (the raw message contains them). REPLY is text with \r \n \t \\ \xNN
escapes, or hex:BYTES; both may hold ` + payload.PlaceholderHelp + `, and a re: rule's
reply $1, ${1}, ${name} (regexp.Expand; $$ is $). {counter} counts the rule's
replies. The first rule that matches replies.`

// ParseRule reads a rule in Syntax. Errors are *InputError of kind "rule"
// with the position in s; compiling the rule later reports its pattern's and
// reply's errors at their positions in s too.
func ParseRule(s string) (Rule, error) {
	matchS, replyS, ok := strings.Cut(s, "=>")
	if !ok {
		return Rule{}, &payload.InputError{Kind: "rule", Msg: "no => between MATCH and REPLY"}
	}
	r := Rule{Match: MatchExact, Pattern: matchS, ReplyMode: payload.ModeEscapes, Reply: replyS}
	if kind, rest, ok := strings.Cut(matchS, ":"); ok {
		if k, known := ParseMatchKind(kind); known {
			r.Match, r.Pattern = k, rest
			r.patternAt = utf8.RuneCountInString(kind) + 1
		}
	}
	r.replyAt = utf8.RuneCountInString(matchS) + 2
	if rest, ok := strings.CutPrefix(replyS, "hex:"); ok {
		r.Reply, r.ReplyMode = rest, payload.ModeHex
		r.replyAt += 4
	}
	return r, nil
}

// String writes the rule in Syntax (a text or escapes reply as written).
func (r Rule) String() string {
	reply := r.Reply
	if r.ReplyMode == payload.ModeHex {
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

type partError struct {
	part string
	err  error
}

func compileRule(r Rule, cs *charset.Charset) (*compiledRule, *partError) {
	c := &compiledRule{kind: r.Match, text: r.Pattern}
	var groups payload.GroupLookup
	switch r.Match {
	case MatchExact, MatchContains, MatchPrefix:
		if r.Pattern == "" && r.Match != MatchExact {
			return nil, &partError{"match", &payload.InputError{Kind: r.Match.String(), Pos: r.patternAt, Msg: "empty pattern (it would match everything)"}}
		}
	case MatchRegexp:
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return nil, &partError{"match", &payload.InputError{Kind: "regexp", Pos: r.patternAt + 1,
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
		b, err := payload.ParseHex(strings.Repeat(" ", r.patternAt) + r.Pattern)
		if err != nil {
			return nil, &partError{"match", err}
		}
		c.hex = b
	default:
		return nil, &partError{"match", fmt.Errorf("unknown match kind %v", r.Match)}
	}
	if r.Reply == "" {
		return nil, &partError{"reply", &payload.InputError{Kind: "reply", Pos: r.replyAt, Msg: "empty (an auto-reply needs at least one byte)"}}
	}
	reply, err := payload.ParseTemplateWithGroups(r.Reply, r.ReplyMode, cs, groups)
	if err != nil {
		if r.replyAt > 0 {
			// The same error again, with the reply where it stands in the rule.
			// (Hex and placeholders parse the spaces as nothing, text as text.)
			if _, e2 := payload.ParseTemplateWithGroups(strings.Repeat(" ", r.replyAt)+r.Reply, r.ReplyMode, cs, groups); e2 != nil {
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
