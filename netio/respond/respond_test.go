package respond

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio/charset"
)

func mustRules(t *testing.T, cs *charset.Charset, rules ...string) *RuleSet {
	t.Helper()
	var rs []Rule
	for _, s := range rules {
		r, err := ParseRule(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		rs = append(rs, r)
	}
	set, errs := Compile(rs, cs)
	if err := FirstError(errs); err != nil {
		t.Fatal(err)
	}
	return set
}

func TestResponderMatchKinds(t *testing.T) {
	set := mustRules(t, nil,
		"PING=>PONG",                                // 1: exact by default
		"prefix:AT+=>OK\\r\\n",                      // 2
		"contains:hello=>hi #{counter}",             // 3
		`re:^GET (\S+) (?P<v>HTTP/\d)=>${v} 200 $1`, // 4
		"hex:01 03=>hex:01 83 02",                   // 5
		"exact:hex:ab=>literal",                     // 6: a prefix that is not a kind stays in the pattern
	)
	r := NewResponder(set)
	for _, tc := range []struct {
		data string
		want string
		rule int
	}{
		{"PING", "PONG", 1},
		{"PING\r\n", "PONG", 1},
		{"PING\n", "PONG", 1},
		{"PINGPING", "", 0},
		{"AT+CSQ", "OK\r\n", 2},
		{"xAT+", "", 0},
		{"oh hello there", "hi #1", 3},
		{"hello again", "hi #2", 3},
		{"GET /index.html HTTP/1", "HTTP/1 200 /index.html", 4},
		{"\x00\x01\x03\x00", "\x01\x83\x02", 5},
		{"\x01\x02\x03", "", 0},
		{"hex:ab", "literal", 6},
	} {
		reply, rule, ok := r.Reply([]byte(tc.data), tc.data)
		if ok != (tc.rule > 0) || rule != tc.rule || string(reply) != tc.want {
			t.Errorf("%q: reply %q by rule %d (%v), want %q by rule %d", tc.data, reply, rule, ok, tc.want, tc.rule)
		}
	}
	if got := set.Fired(3); got != 2 {
		t.Errorf("rule 3 fired %d times, want 2", got)
	}
}

// The first rule that matches replies; disabled rules do not, but keep their
// numbers.
func TestResponderOrderAndDisabled(t *testing.T) {
	rules := []Rule{
		{Match: MatchContains, Pattern: "a", Reply: "first", Disabled: true},
		{Match: MatchContains, Pattern: "a", Reply: "second"},
		{Match: MatchContains, Pattern: "ab", Reply: "third"},
	}
	set, errs := Compile(rules, nil)
	if FirstError(errs) != nil {
		t.Fatal(errs)
	}
	reply, rule, _ := NewResponder(set).Reply([]byte("ab"), "ab")
	if string(reply) != "second" || rule != 2 {
		t.Errorf("got %q by rule %d, want second by rule 2", reply, rule)
	}
	var none *Responder
	if _, _, ok := none.Reply([]byte("x"), "x"); ok {
		t.Error("a nil responder replied")
	}
}

func TestResponderTimeAndCharset(t *testing.T) {
	gbk := charset.MustLookup("gbk")
	set := mustRules(t, gbk, `re:^你(.)=>好$1 {time}{hex:00}`)
	before := time.Now()
	reply, _, ok := NewResponder(set).Reply([]byte("\xc4\xe3\xba\xc3"), "你好")
	if !ok {
		t.Fatal("no reply")
	}
	want := []byte("\xba\xc3\xba\xc3 ")
	if !bytes.HasPrefix(reply, want) || reply[len(reply)-1] != 0 {
		t.Fatalf("reply % x, want % x + time + 00", reply, want)
	}
	stamp := string(reply[len(want) : len(reply)-1])
	at, err := time.ParseInLocation("15:04:05.000", stamp, time.Local)
	if err != nil {
		t.Fatalf("time %q: %v", stamp, err)
	}
	sinceMidnight := func(t time.Time) time.Duration {
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
	}
	if d := sinceMidnight(at) - sinceMidnight(before.Truncate(time.Millisecond)); d < 0 && d > -23*time.Hour {
		t.Errorf("time %s is before the reply was asked for (%s)", stamp, before.Format("15:04:05.000"))
	}
}

// Errors name the rule, the part and the position in the rule as written.
func TestRuleErrors(t *testing.T) {
	for _, tc := range []struct{ rule, want string }{
		{"PING", "rule: no => between MATCH and REPLY"},
		{"re:(a=>x", "rule 1: match: regexp: missing closing ): `(a` (pattern from position 4)"},
		{"hex:01 0g=>x", `rule 1: match: hex: invalid character "g" at position 9`},
		{"PING=>hex:01 zz", `rule 1: reply: hex: invalid character "z" at position 14`},
		{"PING=>PO{countr}", "rule 1: reply: placeholder: unknown placeholder {countr} at position 9"},
		{"re:(a)=>$2", `rule 1: reply: placeholder: the expression has no group "2" (at position 9`},
		{"contains:=>x", "rule 1: match: contains: empty pattern"},
		{"PING=>", "rule 1: reply: reply: empty"},
		{`x=>a\q`, `rule 1: reply: escapes: unknown escape \q at position 5`},
	} {
		r, err := ParseRule(tc.rule)
		if err == nil {
			_, errs := Compile([]Rule{r}, nil)
			err = errs[0]
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %s", tc.rule, err, tc.want)
		}
	}
	// A bad rule does not stop the good ones.
	set, errs := Compile([]Rule{{Match: MatchRegexp, Pattern: "("}, {Pattern: "ok", Reply: "yes"}}, nil)
	var re *RuleError
	if !errors.As(errs[0], &re) || re.Rule != 1 || errs[1] != nil {
		t.Fatalf("errs %v", errs)
	}
	if reply, rule, _ := NewResponder(set).Reply([]byte("ok"), "ok"); string(reply) != "yes" || rule != 2 {
		t.Errorf("good rule after a bad one: %q by %d", reply, rule)
	}
}

func TestRuleStringRoundTrip(t *testing.T) {
	for _, s := range []string{`re:^(\d+)=>n=$1\r\n`, "hex:0102=>hex:03", "prefix:a:b=>c=>d"} {
		r, err := ParseRule(s)
		if err != nil {
			t.Fatal(err)
		}
		if r.String() != s {
			t.Errorf("%q came back as %q", s, r.String())
		}
	}
}
