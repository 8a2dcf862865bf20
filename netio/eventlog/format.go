package eventlog

import (
	"strconv"
	"strings"
	"time"

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
	case e.Kind == netio.EventDropped:
		b = appendDropped(b, e)
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

// appendDropped words a dropped event: " on LOCAL: N datagrams dropped by the
// system before they were read (receive buffer full)".
func appendDropped(b []byte, e netio.Event) []byte {
	if e.Local != "" {
		b = append(append(b, " on "...), e.Local...)
	}
	b = strconv.AppendUint(append(b, ": "...), e.Dropped, 10)
	if e.Dropped == 1 {
		return append(b, " datagram dropped by the system before it was read (receive buffer full)"...)
	}
	return append(b, " datagrams dropped by the system before they were read (receive buffer full)"...)
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
	case netio.EventDropped:
		return "DROP"
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
