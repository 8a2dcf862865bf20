package sequence

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/framing"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// Defaults of a sequence file.
const (
	DefaultTimeout        = 5 * time.Second  // how long an expect waits
	DefaultConnectTimeout = 10 * time.Second // connect: the connection (and TLS handshake)
	DefaultAcceptTimeout  = 60 * time.Second // listen: the first client
	MaxRepeat             = 1_000_000
	maxDuration           = 24 * time.Hour
)

// Kind is what a step does.
type Kind uint8

const (
	KindConnect        Kind = iota // the connection itself (connect: or listen:), not a listed step
	KindSend                       // send: text with escapes and placeholders
	KindSendHex                    // send_hex: hex bytes with placeholders
	KindExpect                     // expect: the next message contains the text
	KindExpectRe                   // expect_re: the next message matches the regular expression
	KindExpectHex                  // expect_hex: the next message contains the bytes
	KindExpectChecksum             // expect_checksum: ok or bad
	KindExpectNot                  // expect_not: no message contains the text for a while
	KindExpectClosed               // expect_closed: the peer closes the connection
	KindWait                       // wait: a duration
	KindClose                      // close: closes the connection from this side
	KindRepeat                     // repeat: N rounds of nested steps
)

var kindNames = [...]string{
	KindConnect: "connect", KindSend: "send", KindSendHex: "send_hex", KindExpect: "expect",
	KindExpectRe: "expect_re", KindExpectHex: "expect_hex", KindExpectChecksum: "expect_checksum",
	KindExpectNot: "expect_not", KindExpectClosed: "expect_closed", KindWait: "wait",
	KindClose: "close", KindRepeat: "repeat",
}

// String is the step's key in the file, e.g. "expect_re".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Sequence is a parsed sequence file.
type Sequence struct {
	File   string // as given to Parse, for messages
	Name   string // name:, or ""
	Listen bool   // listen: (a server for the first client) rather than connect:
	Scheme string // "tcp", "tls" or "udp"
	Addr   string // host:port

	Charset        *charset.Charset
	Frame          framing.Spec
	MaxFrame       int
	Timeout        time.Duration // an expect's default wait
	ConnectTimeout time.Duration // connect:, or listen:'s wait for a client
	TLS            TLSOptions

	// Vars are the variables' names, by index: the file's vars:, --var, and the
	// named groups of expect_re steps, in that order.
	Vars []string
	// Values are the variables' values before the run (vars: and --var); the
	// others start empty.
	Values []string

	// Connect is the connection as a step: its line is the connect: or listen: key.
	Connect *Step
	Steps   []*Step
}

// TLSOptions are the tls: settings of a tls:// connection.
type TLSOptions struct {
	Insecure   bool
	CAFile     string
	ServerName string
}

// Step is one step of a sequence.
type Step struct {
	Kind   Kind
	Number string // "3", or "7.2" for the second step inside step 7
	Name   string // name:, or ""
	Line   int    // of the step's action key in the file
	Column int
	Value  string // the action's value as written (the text, hex, pattern, duration, count)

	Timeout time.Duration // expects, expect_closed, expect_not: how long to wait
	Skip    bool          // expects: messages that do not match are passed over
	Wait    time.Duration // wait:
	Count   int           // repeat:
	Steps   []*Step       // repeat:

	tpl      *payload.Template // send, send_hex, expect, expect_hex, expect_not
	re       *regexp.Regexp    // expect_re
	reVars   []int             // expect_re: the variable set by each group (-1: none)
	sum      *checksum.Checksum
	sumOrder checksum.ByteOrder
	sumOK    bool // expect_checksum: ok (true) or bad (false)
}

// Title names the step for people: "step 7.2 (line 14) expect \"PONG\"", with
// its name: when it has one.
func (s *Step) Title() string {
	what := s.Kind.String()
	if s.Kind == KindConnect {
		return fmt.Sprintf("%s (line %d)", s.Value, s.Line)
	}
	if s.Value != "" {
		what += " " + quoteValue(s.Value)
	}
	if s.Name != "" {
		what = fmt.Sprintf("%q: %s", s.Name, what)
	}
	return fmt.Sprintf("step %s (line %d) %s", s.Number, s.Line, what)
}

// quoteValue shows a step's value on one line, shortened if long.
func quoteValue(v string) string {
	const max = 60
	r := []rune(v)
	if len(r) > max {
		v = string(r[:max]) + "…"
	}
	return strconv.Quote(v)
}

// Walk calls fn for every step in file order, the steps inside a repeat after it.
func (s *Sequence) Walk(fn func(*Step)) {
	var walk func([]*Step)
	walk = func(steps []*Step) {
		for _, st := range steps {
			fn(st)
			walk(st.Steps)
		}
	}
	walk(s.Steps)
}
