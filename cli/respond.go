package cli

import (
	"errors"
	"flag"
	"fmt"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/respond"
)

// registerRespond adds the repeatable --respond flag of the listening and
// connecting commands.
func registerRespond(fs *flag.FlagSet) *listFlag {
	var rules listFlag
	fs.Var(&rules, "respond", "auto-reply rule MATCH=>REPLY (repeatable)")
	return &rules
}

// parseResponder compiles the --respond rules for charset cs: nil without
// rules. A bad rule is a usage error naming the flag, the rule's number and
// the position in it, e.g. `--respond #2: reply: hex: invalid character "z" at
// position 9`.
func parseResponder(rules []string, cs *charset.Charset) (*respond.Responder, error) {
	if len(rules) == 0 {
		return nil, nil
	}
	parsed := make([]respond.Rule, len(rules))
	for i, s := range rules {
		r, err := respond.ParseRule(s)
		if err != nil {
			return nil, usageErr("%s: %s", respondWhere(i+1), errText(err))
		}
		parsed[i] = r
	}
	set, errs := respond.Compile(parsed, cs)
	if err := respond.FirstError(errs); err != nil {
		var re *respond.RuleError
		if errors.As(err, &re) {
			return nil, usageErr("%s: %s: %s", respondWhere(re.Rule), re.Part, errText(re.Err))
		}
		return nil, usageErr("--respond: %s", errText(err))
	}
	return respond.NewResponder(set), nil
}

func respondWhere(n int) string { return fmt.Sprintf("--respond #%d", n) }

const respondHelp = `Auto-reply (udp listen, tcp connect, and the TCP server):
  --respond 'MATCH=>REPLY'   reply to every received message MATCH matches
                     (repeatable; the first matching rule replies; MATCH ends at
                     the first =>). A UDP message
                     is a datagram, a TCP message each chunk read. MATCH:
                       exact:TEXT      the whole text (default without a prefix;
                                       one trailing \n or \r\n is ignored)
                       contains:TEXT   prefix:TEXT   re:REGEXP (Go syntax)
                       hex:BYTES       the raw message contains these bytes
                     REPLY: text with escapes (\r \n \t \\ \xNN), or hex:BYTES.
                     e.g. --respond 'PING=>PONG\r\n'
                          --respond 're:^GET (\S+)=>got $1 #{counter} at {time}'
                          --respond 'hex:01 03=>hex:01 83 02'
                     A re: rule's REPLY may use its groups: $1, ${1}, ${name}; $$ is $.

Placeholders in messages (udp send, tcp connect, gen) and replies:
  {counter}          the message's number: 1, 2, ... (--repeat, each --send or
                     input line, gen); in a reply, the rule's replies so far
  {time}             local time, 15:04:05.000     {unix} {unixms}  Unix time
  {hex:c4e3 0d0a}    raw bytes in any mode and charset
  {{                 a literal {; other { that start no placeholder stay as typed
`
