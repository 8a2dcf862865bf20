package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sockdesk/sockdesk/netio/sequence"
)

// How the sequence tool words a run in the UI language. The engine says what a
// step expected, what came and what it did in English sentences (Result's
// Expected, Got and Detail, as `sockdesk run` prints them); the phrases below
// are those sentences with the parts they carry (a message as the engine shows
// it, a duration, an address) as %s, each with its words in the UI language. A
// sentence none of them fits is shown as the engine wrote it.

// seqPhrase is one of the engine's sentences and how the UI says it.
type seqPhrase struct {
	en  string // the engine's format, with %s for each part
	say func(parts []string) string
}

var seqPhrases = []seqPhrase{
	{"a message containing %s", func(a []string) string { return trf("a message containing %s", a[0]) }},
	{"a message matching /%s/", func(a []string) string { return trf("a message matching /%s/", a[0]) }},
	{"a message with a good %s checksum", func(a []string) string { return trf("a message with a good %s checksum", a[0]) }},
	{"a message with a bad %s checksum", func(a []string) string { return trf("a message with a bad %s checksum", a[0]) }},
	{"no message containing %s for %s", func(a []string) string { return trf("no message containing %s for %s", a[0], a[1]) }},
	{"the peer to close the connection within %s", func(a []string) string { return trf("the peer to close the connection within %s", a[0]) }},
	{"nothing within %s", func(a []string) string { return trf("nothing within %s", a[0]) }},
	{"no matching message within %s", func(a []string) string { return trf("no matching message within %s", a[0]) }},
	{"the connection closed (%s): %s", func(a []string) string {
		return trf("the connection closed (%s)", closeReasonWords(a[0])) + ": " + a[1]
	}},
	{"the connection closed (%s)", func(a []string) string { return trf("the connection closed (%s)", closeReasonWords(a[0])) }},
	{"the connection closed", func([]string) string { return tr("the connection closed") }},
	{"the connection still open after %s", func(a []string) string { return trf("the connection still open after %s", a[0]) }},
	{"could not send: %s", func(a []string) string { return trf("could not send: %s", a[0]) }},
	{"stopped", func([]string) string { return tr("stopped") }},
	{"sent %s", func(a []string) string { return trf("sent %s", a[0]) }},
	{"got %s", func(a []string) string { return trf("got %s", a[0]) }},
	{"waited %s", func(a []string) string { return trf("waited %s", a[0]) }},
	{"closed the connection", func([]string) string { return tr("closed the connection") }},
	{"nothing containing %s for %s", func(a []string) string { return trf("nothing containing %s for %s", a[0], a[1]) }},
	{"connected to %s (local %s)", func(a []string) string { return trf("connected to %s (local %s)", a[0], a[1]) }},
	{"udp socket %s, sending to %s", func(a []string) string { return trf("UDP socket %s, sending to %s", a[0], a[1]) }},
	{"client %s connected (listening on %s)", func(a []string) string {
		return trf("client %s connected (listening on %s)", a[0], a[1])
	}},
	{"using the connection given", func([]string) string { return tr("over this session's connection") }},
	{"no client connected to %s within %s", func(a []string) string { return trf("no client connected to %s within %s", a[0], a[1]) }},
}

// The endings the engine puts after an expect's "a message containing ..." or
// "a message matching ...".
const (
	othersSkipped = " (others skipped)"
	goodChecksum  = " with a good "
	checksumEnd   = " checksum"
)

// seqWords says one of the engine's sentences in the UI language.
func seqWords(s string) string {
	if s == "" {
		return ""
	}
	if rest, ok := strings.CutSuffix(s, othersSkipped); ok {
		return seqWords(rest) + tr(" (other messages skipped)")
	}
	// "a message containing X with a good crc16-modbus checksum"
	if i := strings.LastIndex(s, goodChecksum); i > 0 && strings.HasSuffix(s, checksumEnd) {
		name, head := s[i+len(goodChecksum):len(s)-len(checksumEnd)], s[:i]
		if !strings.Contains(name, " ") && (strings.HasPrefix(head, "a message containing ") || strings.HasPrefix(head, "a message matching /")) {
			return seqWords(head) + trf(", with a good %s checksum", name)
		}
	}
	for _, p := range seqPhrases {
		if parts, ok := matchPhrase(p.en, s); ok {
			return p.say(parts)
		}
	}
	return s
}

// matchPhrase reads s as format (literal text with %s for each part): the
// parts, or false. A part runs to the last place the text after it is found,
// as the parts that come last (durations, addresses) do not hold that text,
// while a message shown in the first part may.
func matchPhrase(format, s string) ([]string, bool) {
	lits := strings.Split(format, "%s")
	if len(lits) == 1 {
		return nil, s == format
	}
	if !strings.HasPrefix(s, lits[0]) || len(s) < len(lits[0])+len(lits[len(lits)-1]) {
		return nil, false
	}
	rest := s[len(lits[0]):]
	if !strings.HasSuffix(rest, lits[len(lits)-1]) {
		return nil, false
	}
	rest = rest[:len(rest)-len(lits[len(lits)-1])]
	parts := make([]string, 0, len(lits)-1)
	for _, lit := range lits[1 : len(lits)-1] {
		i := strings.LastIndex(rest, lit)
		if i < 0 {
			return nil, false
		}
		parts = append(parts, rest[:i])
		rest = rest[i+len(lit):]
	}
	return append(parts, rest), true
}

// closeReasonWords words the engine's close reasons as the log does.
func closeReasonWords(reason string) string {
	switch reason {
	case "peer closed":
		return tr("peer closed")
	case "reset":
		return tr("connection reset by peer")
	case "local":
		return tr("closed here")
	case "error":
		return tr("error")
	}
	return reason
}

// stepTitle names a step: `step 7.2 (line 14): expect "PONG"`, with its
// name when it has one; the connection is `connect tcp://... (line 1)`.
func stepTitle(st *sequence.Step) string {
	if st.Kind == sequence.KindConnect {
		return trf("%s (line %d)", st.Value, st.Line)
	}
	what := st.Kind.String()
	if st.Value != "" {
		what += " " + shortQuote(st.Value)
	}
	if st.Name != "" {
		what = strconv.Quote(st.Name) + ": " + what
	}
	return trf("step %s (line %d): %s", st.Number, st.Line, what)
}

// resultTitle is stepTitle with the rounds of the repeats the step ran in.
func resultTitle(r *sequence.Result) string {
	t := stepTitle(r.Step)
	if len(r.Rounds) == 0 {
		return t
	}
	parts := make([]string, len(r.Rounds))
	for i, n := range r.Rounds {
		parts[i] = strconv.Itoa(n)
	}
	return t + " " + trf("[round %s]", strings.Join(parts, "."))
}

// shortQuote quotes a step's value on one line, shortened when long.
func shortQuote(v string) string {
	const most = 40
	if r := []rune(v); len(r) > most {
		v = string(r[:most]) + "…"
	}
	return strconv.Quote(v)
}

// statusGlyph and statusWords say how a step ended.
func statusGlyph(s sequence.Status) string {
	switch s {
	case sequence.Passed:
		return "✓"
	case sequence.Failed:
		return "✗"
	case sequence.Stopped:
		return "■"
	}
	return "–"
}

func statusWords(s sequence.Status) string {
	switch s {
	case sequence.Passed:
		return tr("passed")
	case sequence.Failed:
		return tr("failed")
	case sequence.Stopped:
		return tr("stopped")
	}
	return tr("not run")
}

// stepDuration shows how long a step took: "0.31 ms", "12.4 ms", "1.25 s".
func stepDuration(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.2f s", ms/1000)
}

// fileErrorText words a problem with a sequence file with where it is: its line
// and column in the UI language, the problem as the engine says it.
func fileErrorText(err error) string {
	var fe *sequence.FileError
	switch {
	case !errors.As(err, &fe):
		return errorText(err)
	case fe.Line == 0:
		return fe.Msg
	case fe.Column == 0:
		return trf("line %d: %s", fe.Line, fe.Msg)
	}
	return trf("line %d, column %d: %s", fe.Line, fe.Column, fe.Msg)
}
