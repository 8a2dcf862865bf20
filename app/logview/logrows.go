package logview

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/app/wording"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// logMode is how the log view turns events into rows.
type logMode int

const (
	logModeText    logMode = iota // one row per event
	logModeHex                    // a headline per event, then a hex dump of its bytes
	logModeTextHex                // the text row, then the hex dump
)

// logModeNames are the choices of the view's mode selector in English, in logMode
// order. The Select shows them through tr and is read by index.
var logModeNames = []string{"Text", "Hex", "Text + Hex"}

// logModeOptions are the mode selector's options in the UI language.
func logModeOptions() []string {
	out := make([]string, len(logModeNames))
	for i := range logModeNames {
		out[i] = tr(logModeNames[i])
	}
	return out
}

const (
	hexBytesPerRow     = 16
	maxHexRowsPerEvent = 64 // 1 KiB of an event is dumped; a last row says how much more there was
	hexColumnWidth     = hexBytesPerRow*3 - 1 + 1
)

// logRowCount is how many rows e makes in mode.
func logRowCount(e *netio.Event, mode logMode) int {
	if e.TLS != nil {
		return 1 + len(tlsRows(e.TLS))
	}
	if mode == logModeText || len(e.Data) == 0 {
		return 1
	}
	return 1 + hexRowCount(len(e.Data))
}

// hexRowCount is how many dump rows n bytes make, the "… more bytes" row included.
func hexRowCount(n int) int {
	rows := (n + hexBytesPerRow - 1) / hexBytesPerRow
	if rows > maxHexRowsPerEvent {
		return maxHexRowsPerEvent + 1
	}
	return rows
}

// logRowText is row part of event e: part 0 is the event's line, parts 1.. its
// hex dump rows, or its TLS details.
func logRowText(e *netio.Event, mode logMode, part int, side Side) string {
	if part == 0 {
		return logHeadline(e, mode != logModeHex, side)
	}
	if e.TLS != nil {
		return tlsRows(e.TLS)[part-1]
	}
	return hexDumpRow(e.Data, part-1)
}

// logDirection is the arrow of a row: → sent, ← received, ⚠ an error, • anything else; a
// relay's bytes say which way they went, "→ target" or "← target".
func logDirection(e *netio.Event) string {
	switch {
	case e.Kind == netio.EventReceived && e.Dir == netio.DirToTarget:
		return "→ " + tr("target")
	case e.Kind == netio.EventReceived && e.Dir == netio.DirToClient:
		return "← " + tr("target")
	case e.Kind == netio.EventSent:
		return "→"
	case e.Kind == netio.EventReceived:
		return "←"
	case e.Kind == netio.EventError, e.Kind == netio.EventDropped:
		return "⚠"
	}
	return "•"
}

// isDataEvent reports whether e carries payload (sent or received bytes).
func isDataEvent(e *netio.Event) bool {
	return e.Kind == netio.EventSent || e.Kind == netio.EventReceived
}

// logHeadline is an event's row, e.g.
//
//	15:04:05.123 ← [127.0.0.1:5050] 6 B: 你好
//	15:04:05.124 → [127.0.0.1:5050] 4 B (auto-reply rule 1): PONG
//	15:04:05.456 • [127.0.0.1:5050] client closed
//	15:04:05.789 → target [127.0.0.1:5050] 4 B: ping   (a relay's client → target)
//
// Without withText a data event's text is left out (the hex dump follows it).
func logHeadline(e *netio.Event, withText bool, side Side) string {
	var b strings.Builder
	b.Grow(48 + len(e.Peer) + len(e.Text))
	b.WriteString(e.Time.Format("15:04:05.000"))
	b.WriteByte(' ')
	b.WriteString(logDirection(e))
	b.WriteByte(' ')
	if e.Peer != "" {
		b.WriteByte('[')
		b.WriteString(e.Peer)
		b.WriteString("] ")
	}
	if isDataEvent(e) {
		b.WriteString(strconv.Itoa(len(e.Data)))
		b.WriteString(" B")
		if e.Rule > 0 {
			b.WriteByte(' ')
			b.WriteString(trf("(auto-reply rule %d)", e.Rule))
		}
		if e.Check != nil {
			b.WriteByte(' ')
			b.WriteString(checkVerdict(e.Check))
		}
		if mark := frameMark(e.Frame); mark != "" {
			b.WriteByte(' ')
			b.WriteString(mark)
		}
		if withText {
			b.WriteString(": ")
			b.WriteString(logMessage(e, side))
		}
		return b.String()
	}
	b.WriteString(logMessage(e, side))
	return b.String()
}

// checkVerdict shows a received message's checksum check: "✓ crc16-modbus", or
// "✗ crc16-modbus (got 0x1234, want 0x4B37)".
func checkVerdict(r *checksum.Result) string {
	switch {
	case r.OK:
		return "✓ " + r.Name
	case r.Short:
		return "✗ " + trf("%s (message shorter than the checksum)", r.Name)
	}
	return "✗ " + trf("%s (got %s, want %s)", r.Name, r.GotHex(), r.WantHex())
}

// logMessage is the text column of an event: the escaped text of a data event, or
// what happened, worded as eventlog.FormatLine words it ("client closed", "connected
// (local 127.0.0.1:40000)", ...) in the UI language, with the engine's error (in
// UI language, package wording) if there is one. The filter searches these words,
// as shown.
func logMessage(e *netio.Event, side Side) string {
	var msg string
	switch {
	case e.Target != "" && e.Peer != "" && !isDataEvent(e):
		msg = logRelayMessage(e)
	case isDataEvent(e):
		msg = charset.DisplayText(e.Text)
	case e.Kind == netio.EventListening && e.Target != "":
		msg = strings.TrimSpace(trf("%s listening on %s, relaying to %s", e.Proto, e.Local, e.Target))
	case e.Kind == netio.EventListening:
		msg = strings.TrimSpace(trf("%s listening on %s", e.Proto, e.Local))
		if e.Text != "" {
			msg += " (" + joinedText(e.Text) + ")"
		}
	case e.Kind == netio.EventAccepted:
		if e.Family != "" {
			msg = trf("accepted via %s (local %s)", e.Family, e.Local)
		} else {
			msg = trf("accepted (local %s)", e.Local)
		}
	case e.Kind == netio.EventConnected:
		msg = trf("connected (local %s)", e.Local)
	case e.Kind == netio.EventClosed:
		if e.Peer == "" {
			msg = trf("%s closed", e.Local)
		} else {
			msg = logClosedPhrase(e.Reason, side)
		}
		if e.Text != "" {
			msg += " " + trf("(unfinished bytes: %s)", charset.DisplayText(e.Text))
		}
	case e.Kind == netio.EventError:
		msg = tr("error")
	case e.Kind == netio.EventDropped:
		msg = droppedPhrase(e.Dropped)
	default:
		msg = e.Kind.String()
	}
	if e.TLS != nil {
		msg += " · " + tlsNote(e.TLS)
	}
	if e.Err != nil {
		msg += ": " + charset.DisplayText(wording.Error(e.Err))
	}
	return msg
}

// logClosedPhrase words why a connection closed, saying who closed it from the
// session's side: a client's peer is the server, a server's peers are clients.
func logClosedPhrase(r netio.CloseReason, side Side) string {
	switch {
	case r == netio.ReasonPeerClosed && side == SideClient:
		return tr("server closed")
	case r == netio.ReasonPeerClosed && side == SideServer:
		return tr("client closed")
	case r == netio.ReasonPeerClosed:
		return tr("peer closed")
	case r == netio.ReasonReset && side == SideClient:
		return tr("connection reset by the server")
	case r == netio.ReasonReset && side == SideServer:
		return tr("connection reset by the client")
	}
	switch r {
	case netio.ReasonLocal:
		return tr("closed here")
	case netio.ReasonReset:
		return tr("connection reset by peer")
	case netio.ReasonMaxClients:
		return tr("refused: max clients reached")
	}
	return trf("closed (%s)", string(r))
}

const lowerHex = "0123456789abcdef"

// hexDumpRow is row r of a dump of data, 16 bytes a row with the offset and the
// printable ASCII, e.g.
//
//	0000  48 65 6c 6c 6f 0d 0a 00  c4 e3 ba c3 00 00 00 00  |Hello...........|
//
// Row maxHexRowsPerEvent says how many bytes the dump left out.
func hexDumpRow(data []byte, r int) string {
	if r >= maxHexRowsPerEvent {
		return "… " + trf("%s more bytes", i18n.GroupDigits(uint64(len(data)-maxHexRowsPerEvent*hexBytesPerRow)))
	}
	off := r * hexBytesPerRow
	chunk := data[off:min(off+hexBytesPerRow, len(data))]
	var b strings.Builder
	b.Grow(4 + 2 + hexColumnWidth + 3 + hexBytesPerRow + 1)
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(lowerHex[off>>shift&0xF])
	}
	b.WriteString("  ")
	for j := range hexBytesPerRow {
		if j > 0 {
			b.WriteByte(' ')
			if j == hexBytesPerRow/2 {
				b.WriteByte(' ')
			}
		}
		if j < len(chunk) {
			b.WriteByte(lowerHex[chunk[j]>>4])
			b.WriteByte(lowerHex[chunk[j]&0xF])
		} else {
			b.WriteString("  ")
		}
	}
	b.WriteString("  |")
	for _, c := range chunk {
		if c >= 0x20 && c < 0x7F {
			b.WriteByte(c)
		} else {
			b.WriteByte('.')
		}
	}
	b.WriteByte('|')
	return b.String()
}

// logFilter decides which events the view shows.
type logFilter struct {
	side   Side   // how closed events are worded, as the rows say it
	client uint64 // show only this TCP server client's (or relay pair's) events; 0 = all
	query  string // lowercased substring to look for; "" = all
	ascii  bool   // query is ASCII: fold case byte by byte, without allocating
	hex    []byte // query read as hex bytes (payload.ParseHex), matched in the hex modes
}

func newLogFilter(client uint64, query string, side Side) logFilter {
	f := logFilter{client: client, query: strings.ToLower(query), side: side}
	f.ascii = isASCII(f.query)
	if f.query != "" {
		if b, err := payload.ParseHex(query); err == nil {
			f.hex = b
		}
	}
	return f
}

// match reports whether e passes: the client filter, then the query found (case
// insensitively) in the peer, a relay's target or the row's text, or in hex modes in the bytes.
func (f *logFilter) match(e *netio.Event, mode logMode) bool {
	if f.client != 0 && e.Client != f.client {
		return false
	}
	if f.query == "" {
		return true
	}
	if f.contains(e.Peer) || f.contains(e.Target) || f.contains(logMessage(e, f.side)) {
		return true
	}
	return mode != logModeText && len(f.hex) > 0 && bytes.Contains(e.Data, f.hex)
}

// contains reports whether the lowercased query occurs in s, ignoring case.
func (f *logFilter) contains(s string) bool {
	if !f.ascii {
		return strings.Contains(strings.ToLower(s), f.query)
	}
	q := f.query
	// An ASCII query can only match ASCII bytes, and the bytes of a multi-byte
	// UTF-8 character never are, so folding byte by byte is exact.
	for i := 0; i+len(q) <= len(s); i++ {
		j := 0
		for j < len(q) && asciiLower(s[i+j]) == q[j] {
			j++
		}
		if j == len(q) {
			return true
		}
	}
	return false
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// joinedText words the engine's "joined GROUPS on IFACE" (the listening event of a
// multicast listener) in the UI language; other text is shown as it is, escaped.
func joinedText(text string) string {
	rest, ok := strings.CutPrefix(text, "joined ")
	i := strings.LastIndex(rest, " on ")
	if !ok || i < 0 {
		return charset.DisplayText(text)
	}
	iface := rest[i+len(" on "):]
	if iface == "the default interface" {
		iface = ""
	}
	return trf("joined %s on %s", charset.DisplayText(rest[:i]), wording.Iface(charset.DisplayText(iface)))
}
