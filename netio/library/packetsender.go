package library

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/internal/jsonfile"
)

// Packet Sender's JSON export (Packet::ExportJSON in src/packet.cpp of
// github.com/dannagle/PacketSender) is a list of objects, one per saved
// packet, whose keys are its fields' names in lower case: name, hexstring,
// fromip, toip, errorstring, port, fromport, tcporudp, sendresponse,
// requestpath, repeat and asciistring. Numbers are written as strings
// ("port": "5000") except repeat, a number of seconds; hexstring is upper-case
// hex pairs separated by spaces ("48 65 6C 6C 6F "); tcporudp is "TCP", "UDP",
// "SSL", "DTLS" or an HTTP kind ("HTTP Get", "HTTPS Post", ...). The export
// adds each packet to the front of the list, so the file is in reverse order.
const (
	psName         = "name"
	psHex          = "hexstring"
	psASCII        = "asciistring" // the payload again, as Packet Sender displays it, base64: derived from hexstring
	psFromIP       = "fromip"      // "You" for a saved packet
	psToIP         = "toip"
	psErrorString  = "errorstring" // the status of the last send
	psPort         = "port"
	psFromPort     = "fromport"
	psKind         = "tcporudp"
	psSendResponse = "sendresponse"
	psRequestPath  = "requestpath"
	psRepeat       = "repeat"
	psTimestamp    = "timestamp" // when the packet was last sent or saved
)

// psMacros are Packet Sender's placeholders, replaced when it sends if its
// macro setting is on; Sockdesk sends them as they are.
var psMacros = [][]byte{[]byte("{{TIME}}"), []byte("{{DATE}}"), []byte("{{UNIXTIME}}"), []byte("{{RANDOM}}"), []byte("{{UNIQUE}}")}

func parsePacketSender(root jsonfile.Value, file string) (*Source, error) {
	items, err := root.AsArray()
	if err != nil {
		return nil, root.Errorf("want a list of packets (Packet Sender's JSON export), found %s", root.Kind())
	}
	src := &Source{File: file, Format: FormatPacketSender}
	var taken []string
	// Read back to front, to undo the export's reversal.
	for i := len(items) - 1; i >= 0; i-- {
		c := psConverter{index: i, taken: taken}
		m, ok := c.convert(items[i])
		if ok {
			src.Messages = append(src.Messages, m)
			taken = append(taken, m.Name)
			for j := range c.notes {
				c.notes[j].Name = m.Name
			}
		}
		src.Notes = append(src.Notes, c.notes...)
	}
	slices.SortStableFunc(src.Notes, func(a, b Note) int { return a.Index - b.Index })
	return src, nil
}

// psConverter turns one entry of the export into a message, noting what it
// cannot carry over.
type psConverter struct {
	index int
	taken []string // names already given, to keep names unique
	notes []Note
}

func (c *psConverter) note(field, value, format string, args ...any) {
	c.notes = append(c.notes, Note{Index: c.index, Field: field, Value: value, Reason: fmt.Sprintf(format, args...)})
}

func (c *psConverter) convert(item jsonfile.Value) (Message, bool) {
	obj, err := item.AsObject()
	if err != nil {
		c.note("", "", "not imported: want an object (a packet), found %s", item.Kind())
		return Message{}, false
	}
	field := func(key string) string {
		v, ok := obj.Get(key)
		if !ok {
			return ""
		}
		s, ok := scalarText(v)
		if !ok {
			c.note(key, "", "ignored: want text or a number, found %s", v.Kind())
		}
		return s
	}
	m := Message{Mode: ModeHex}
	if v, ok := obj.Get(psHex); ok {
		if _, isText := scalarText(v); !isText {
			c.note(psHex, "", "not imported: want text (the payload in hex), found %s", v.Kind())
			return Message{}, false
		}
	}
	m.Name = c.makeName(field(psName))
	m.Payload = c.payload(field(psHex))
	m.Destination = c.destination(field(psToIP), field(psPort))
	m.Protocol = c.protocol(field(psKind))
	m.Repeat = c.repeat(field(psRepeat))

	if v := field(psFromPort); v != "" && v != "0" {
		c.note(psFromPort, v, "not carried over: a message has no source port; bind the session to that port to send from it")
	}
	if v := field(psSendResponse); v != "" && v != "0" {
		c.note(psSendResponse, v, "not carried over: Sockdesk has no per-message response setting; use the session's auto-reply rules")
	}
	if v := field(psRequestPath); v != "" {
		c.note(psRequestPath, v, "not carried over: Sockdesk does not send HTTP requests from the library")
	}
	if v := field(psFromIP); v != "" && !strings.EqualFold(v, "you") {
		c.note(psFromIP, v, "not carried over: a message has no source address; bind the session to it to send from it")
	}
	for _, k := range obj.Unknown(psName, psHex, psASCII, psFromIP, psToIP, psErrorString, psPort,
		psFromPort, psKind, psSendResponse, psRequestPath, psRepeat, psTimestamp) {
		v, _ := obj.Get(k)
		s, _ := scalarText(v)
		c.note(k, s, "not carried over: not a Packet Sender field Sockdesk knows")
	}
	return m, true
}

// scalarText is a string, number, boolean or null as text; ok is false for
// an object or a list. Packet Sender writes numbers as strings, but a file
// edited elsewhere may not.
func scalarText(v jsonfile.Value) (string, bool) {
	if s, err := v.AsString(); err == nil {
		return s, true
	}
	if n, ok := v.Number(); ok {
		return n, true
	}
	if b, err := v.AsBool(); err == nil {
		return strconv.FormatBool(b), true
	}
	return "", v.IsNull()
}

// makeName makes a valid name, unique among the names given so far.
func (c *psConverter) makeName(raw string) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, raw)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > MaxNameLen {
		name = strings.TrimSpace(string(r[:MaxNameLen]))
	}
	if name == "" {
		name = fmt.Sprintf("Packet Sender %d", c.index+1)
	}
	base := name
	for n := 2; slices.ContainsFunc(c.taken, func(t string) bool { return sameName(t, name) }); n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		r := []rune(base)
		name = string(r[:min(len(r), MaxNameLen-utf8.RuneCountInString(suffix))]) + suffix
	}
	switch {
	case strings.TrimSpace(raw) == "":
		c.note(psName, raw, "the packet has no name: named %q", name)
	case name != raw:
		c.note(psName, raw, "renamed %q: names are one line of at most %d characters, unique regardless of case", name, MaxNameLen)
	}
	return name
}

// payload reads hexstring as Packet Sender does (QByteArray::fromHex: every
// character that is not a hex digit is skipped; an odd digit out is the low
// half of the first byte) and writes it as hex pairs.
func (c *psConverter) payload(raw string) string {
	digits := strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && isHexDigit(byte(r)) {
			return r
		}
		return -1
	}, raw)
	if skipped := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r < utf8.RuneSelf && isHexDigit(byte(r)) {
			return -1
		}
		return r
	}, raw); skipped != "" {
		c.note(psHex, raw, "the characters %q are not hex digits: skipped, as Packet Sender skips them", skipped)
	}
	if len(digits)%2 == 1 {
		digits = "0" + digits
		c.note(psHex, raw, "an odd number of hex digits: read with a 0 in front, as Packet Sender reads it")
	}
	data, _ := hex.DecodeString(digits) // only hex digits, an even number
	for _, macro := range psMacros {
		if bytes.Contains(data, macro) {
			c.note(psHex, "", "contains %s, which Packet Sender may replace when sending; Sockdesk sends it as it is (its placeholders are {time}, {unix}, {counter})", macro)
		}
	}
	var b strings.Builder
	for i, x := range data {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%02X", x)
	}
	return b.String()
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// destination joins toip and port, when both are there.
func (c *psConverter) destination(host, port string) string {
	host, port = strings.TrimSpace(host), strings.TrimSpace(port)
	if port == "0" {
		port = ""
	}
	switch {
	case host == "" && port == "":
		return ""
	case host == "":
		c.note(psPort, port, "not carried over: a port without an address (toip)")
		return ""
	case port == "":
		c.note(psToIP, host, "not carried over: an address without a port")
		return ""
	}
	dst := net.JoinHostPort(host, port)
	if err := checkDestination(dst); err != nil {
		c.note(psToIP, host+" "+port, "not carried over: %v", err)
		return ""
	}
	return dst
}

// protocol maps tcporudp, as Packet Sender reads it (case-insensitively).
func (c *psConverter) protocol(kind string) Protocol {
	k := strings.ToLower(strings.TrimSpace(kind))
	switch {
	case k == "":
		return AnyProtocol
	case k == "udp":
		return UDP
	case k == "tcp":
		return TCP
	case strings.Contains(k, "ssl"):
		return TLS
	case strings.Contains(k, "dtls"):
		c.note(psKind, kind, "not carried over: Sockdesk does not speak DTLS; the message has no protocol")
	case strings.Contains(k, "http"):
		c.note(psKind, kind, "not carried over: Sockdesk does not send HTTP requests from the library; the message has no protocol")
	default:
		c.note(psKind, kind, "not carried over: not a kind Sockdesk knows; the message has no protocol")
	}
	return AnyProtocol
}

// repeat converts Packet Sender's interval in seconds to whole milliseconds.
func (c *psConverter) repeat(seconds string) time.Duration {
	s := strings.TrimSpace(seconds)
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 {
		c.note(psRepeat, seconds, "not carried over: not a number of seconds")
		return 0
	}
	if f == 0 {
		return 0
	}
	ms := math.Round(f * 1000) // the export writes a float32: 0.1 arrives as 0.10000000149011612
	if ms < float64(MinRepeat.Milliseconds()) || ms > float64(MaxRepeat.Milliseconds()) {
		c.note(psRepeat, seconds, "not carried over: Sockdesk repeats every 1 ms to 1 hour")
		return 0
	}
	return time.Duration(ms) * time.Millisecond
}
