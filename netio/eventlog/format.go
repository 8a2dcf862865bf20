package eventlog

import (
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/extract"
	"github.com/sockdesk/sockdesk/netio/framing"
)

// FormatLine renders an event as one readable line, e.g.
//
//	21:48:31.123 RECV udp [127.0.0.1:5000] 5 B: hello
//
// Text is escaped with DisplayText, so received data can never break the line or
// steer a terminal. withDate puts the date in front, as log files want.
func FormatLine(e netio.Event, withDate bool) string {
	return string(AppendLine(nil, e, withDate))
}

// AppendLine appends FormatLine(e, withDate) to dst. Log files and the printer
// build each line in a buffer they reuse: a 64 KiB read is then copied once, into
// its line, instead of through fmt and a string or two on the way.
func AppendLine(dst []byte, e netio.Event, withDate bool) []byte {
	return (*LineFormatter)(nil).AppendLine(dst, e, withDate)
}

// LineFormatter is AppendLine for a writer that formats many lines one after
// another (a log file, the printer): it remembers the time stamp it wrote last,
// and an event in the same millisecond, such as another frame of the same
// read, reuses its text instead of formatting the time again. The zero value
// is ready; a nil *LineFormatter formats every time. Not safe for concurrent use.
type LineFormatter struct {
	ms    int64
	loc   *time.Location
	date  bool
	n     int // 0: nothing remembered
	stamp [32]byte
}

// AppendLine is the package's AppendLine.
func (f *LineFormatter) AppendLine(dst []byte, e netio.Event, withDate bool) []byte {
	if need := len(dst) + 64 + 2*len(e.Local) + 2*len(e.Peer) + 2*len(e.Target) + len(e.Text) + len(e.Text)/8; cap(dst) < need {
		dst = append(make([]byte, 0, need), dst...)
	}
	b := f.appendStamp(dst, e.Time, withDate)
	b = append(b, ' ')
	b = append(b, lineVerb(e.Kind)...)
	b = append(b, ' ')
	b = append(b, e.Proto...)
	switch {
	case isRelayPairEvent(e):
		b = appendRelayPair(b, e)
	case e.Kind == netio.EventListening:
		b = append(append(b, " on "...), e.Local...)
		if e.Target != "" {
			b = append(append(b, ", relaying to "...), e.Target...)
		}
		if e.Text != "" {
			b = append(charset.AppendDisplayText(append(b, " ("...), e.Text), ')')
		}
		if e.TLS != nil && e.TLS.Cert != nil {
			// The certificate's texts are already made safe (newCertInfo).
			b = append(append(b, " with TLS, certificate "...), e.TLS.Cert.Summary()...)
		}
		b = appendFraming(b, e.Framing)
	case e.Kind == netio.EventAccepted:
		b = appendPeer(b, e.Peer)
		if e.Family != "" {
			b = append(append(b, " accepted via "...), e.Family...)
		} else {
			b = append(b, " accepted"...)
		}
		b = append(append(append(b, " (local "...), e.Local...), ')')
		if e.TLS != nil {
			b = append(append(b, " TLS: "...), e.TLS.Summary()...)
		}
	case e.Kind == netio.EventConnected:
		b = appendPeer(b, e.Peer)
		b = append(append(b, ' '), e.Kind.String()...)
		b = append(append(append(b, " (local "...), e.Local...), ')')
		if e.TLS != nil {
			b = append(append(b, " TLS: "...), e.TLS.Summary()...)
		}
		b = appendFraming(b, e.Framing)
	case e.Kind == netio.EventReceived, e.Kind == netio.EventSent:
		b = appendPeer(b, e.Peer)
		b = append(strconv.AppendInt(append(b, ' '), int64(len(e.Data)), 10), " B"...)
		if e.Rule > 0 {
			b = append(strconv.AppendInt(append(b, " (auto-reply rule "...), int64(e.Rule), 10), ')')
		}
		if e.Frame > netio.FrameComplete {
			b = append(append(append(b, ", "...), e.Frame.String()...), " frame"...)
		}
		// The verdict and the values come before the text, which is last so that
		// nothing a peer sends can pass for either.
		if e.Check != nil {
			b = append(append(b, ", "...), e.Check.String()...)
		}
		if len(e.Values) > 0 {
			b = extract.AppendText(append(b, ", "...), e.Values)
		}
		b = charset.AppendDisplayText(append(b, ": "...), e.Text)
	case e.Kind == netio.EventClosed:
		if e.Peer == "" {
			b = append(append(append(b, ' '), e.Local...), " closed"...)
		} else {
			b = append(append(appendPeer(b, e.Peer), ' '), closedPhrase(e.Reason)...)
		}
		if e.Text != "" {
			b = append(charset.AppendDisplayText(append(b, " (unfinished bytes: "...), e.Text), ')')
		}
	case e.Kind == netio.EventError:
		if e.Peer != "" {
			b = appendPeer(b, e.Peer)
		}
	}
	if e.Err != nil {
		b = charset.AppendDisplayText(append(b, ": "...), e.Err.Error())
	}
	return b
}

// appendStamp appends t as the line's time stamp: milliseconds, in t's location.
func (f *LineFormatter) appendStamp(dst []byte, t time.Time, withDate bool) []byte {
	layout := "15:04:05.000"
	if withDate {
		layout = "2006-01-02 15:04:05.000"
	}
	if f == nil {
		return t.AppendFormat(dst, layout)
	}
	ms, loc := t.UnixMilli(), t.Location()
	if f.n > 0 && ms == f.ms && loc == f.loc && withDate == f.date {
		return append(dst, f.stamp[:f.n]...)
	}
	start := len(dst)
	dst = t.AppendFormat(dst, layout)
	if n := len(dst) - start; n <= len(f.stamp) {
		f.ms, f.loc, f.date, f.n = ms, loc, withDate, copy(f.stamp[:], dst[start:])
	} else {
		f.n = 0
	}
	return dst
}

// appendFraming appends ", framing SPEC (what it means)" when framing is on.
func appendFraming(b []byte, spec string) []byte {
	if spec == "" {
		return b
	}
	b = append(append(b, ", framing "...), spec...)
	if s, err := framing.Parse(spec); err == nil {
		b = append(append(append(b, " ("...), s.Describe()...), ')')
	}
	return b
}

// appendPeer appends " [peer]".
func appendPeer(b []byte, peer string) []byte {
	return append(append(append(b, " ["...), peer...), ']')
}

func lineVerb(k netio.EventKind) string {
	switch k {
	case netio.EventReceived:
		return "RECV"
	case netio.EventSent:
		return "SEND"
	case netio.EventListening:
		return "LISTEN"
	case netio.EventAccepted, netio.EventConnected:
		return "OPEN"
	case netio.EventClosed:
		return "CLOSE"
	case netio.EventError:
		return "ERROR"
	}
	return strings.ToUpper(k.String())
}

func closedPhrase(r netio.CloseReason) string {
	switch r {
	case netio.ReasonPeerClosed:
		return "client closed"
	case netio.ReasonLocal:
		return "closed here"
	case netio.ReasonReset:
		return "connection reset by peer"
	case netio.ReasonMaxClients:
		return "refused: max clients reached"
	}
	return "closed (" + string(r) + ")"
}

// jsonEvent is the JSON form of an Event: the contract of `--json` and of JSON logs.
type jsonEvent struct {
	Time    string         `json:"time"`
	TimeMS  int64          `json:"ts_ms"`
	Event   string         `json:"event"`
	Proto   string         `json:"proto"`
	Local   string         `json:"local,omitempty"`
	Peer    string         `json:"peer,omitempty"`
	Client  uint64         `json:"client,omitempty"`
	Family  string         `json:"family,omitempty"`
	Target  string         `json:"target,omitempty"`
	Dir     string         `json:"dir,omitempty"`
	Bytes   int            `json:"bytes"`
	Text    string         `json:"text"`
	Hex     string         `json:"hex"`
	Reason  string         `json:"reason,omitempty"`
	Error   string         `json:"error,omitempty"`
	Rule    int            `json:"rule,omitempty"`
	TLS     *netio.TLSInfo `json:"tls,omitempty"`
	Check   *jsonCheck     `json:"checksum,omitempty"`
	Frame   string         `json:"frame,omitempty"`
	Framing string         `json:"framing,omitempty"`

	// Values is extract.AppendJSON of the event's values; absent without any.
	Values json.RawMessage `json:"values,omitempty"`

	// TCPInfo: a TCP client's connected and closed events (tcpinfo.go).
	TCPInfo *jsonTCPInfo `json:"tcpinfo,omitempty"`
}

// jsonCheck is the JSON form of a CheckResult; got and want are absent when the
// message was too short to carry the checksum.
type jsonCheck struct {
	Name string `json:"name"`
	OK   bool   `json:"ok"`
	Got  string `json:"got,omitempty"`
	Want string `json:"want,omitempty"`
}

// JSON renders the event as one JSON object with time (RFC 3339, milliseconds),
// ts_ms (Unix milliseconds), event, proto, local, peer, client, family, target and
// dir (TCP relay only: "to-target" or "to-client"), bytes, text, hex, reason, error
// and rule (of an auto-reply), tls (TLSInfo) on the events of a TLS endpoint
// that have it, checksum when one was checked, frame ("complete", "overflow",
// "incomplete" or "malformed") on a received event of a framed stream, framing
// (the spec) on the listening or connected event of an endpoint that frames, and
// values (an object of name: number, each name once with its last value) when
// the extraction stage found numbers in a received message, and tcpinfo on a TCP
// client's connected and closed events (see jsonTCPInfo).
func JSON(e netio.Event) ([]byte, error) {
	j := jsonEvent{
		Time:    e.Time.Format("2006-01-02T15:04:05.000Z07:00"),
		TimeMS:  e.Time.UnixMilli(),
		Event:   e.Kind.String(),
		Proto:   e.Proto,
		Local:   e.Local,
		Peer:    e.Peer,
		Client:  e.Client,
		Family:  e.Family,
		Target:  e.Target,
		Dir:     e.Dir.String(),
		Bytes:   len(e.Data),
		Text:    e.Text,
		Hex:     hex.EncodeToString(e.Data),
		Reason:  string(e.Reason),
		Rule:    e.Rule,
		TLS:     e.TLS,
		Frame:   e.Frame.String(),
		Framing: e.Framing,
	}
	if e.Err != nil {
		j.Error = e.Err.Error()
	}
	if c := e.Check; c != nil {
		j.Check = &jsonCheck{Name: c.Name, OK: c.OK}
		if !c.Short {
			j.Check.Got, j.Check.Want = c.GotHex(), c.WantHex()
		}
	}
	if len(e.Values) > 0 {
		j.Values = extract.AppendJSON(nil, e.Values)
	}
	j.TCPInfo = newJSONTCPInfo(e.TCPInfo)
	b, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	return jsonSafe(b), nil
}

// jsonSafe rewrites, inside JSON text, the characters DisplayText escapes and
// encoding/json leaves raw (DEL, C1 controls, bidi overrides and isolates,
// zero-width characters) as \uXXXX escapes. The decoded value is the same; a
// terminal showing the line sees six harmless characters instead of a control that
// reorders it. (encoding/json already escapes the C0 controls.)
func jsonSafe(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < 0x7F {
		i++
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x7F && r <= 0xFFFF && charset.NeedsEscape(r) {
			out = append(out, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

const hexDigits = "0123456789ABCDEF"
