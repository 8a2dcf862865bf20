package eventlog

import (
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// JSON renders the event as one JSON object with time (RFC 3339, milliseconds),
// ts_ms (Unix milliseconds), event, proto, local, peer, client, family, target and
// dir (TCP relay only: "to-target" or "to-client"), bytes, text, hex, reason, error
// and rule (of an auto-reply), tls (TLSInfo) on the events of a TLS endpoint
// that have it, checksum when one was checked, frame ("complete", "overflow",
// "incomplete" or "malformed") on a received event of a framed stream, framing
// (the spec) on the listening or connected event of an endpoint that frames,
// values (an object of name: number, each name once with its last value) when
// the extraction stage found numbers in a received message, tcpinfo on a TCP
// client's connected and closed events (connect_us and TCP_INFO's numbers), and
// dropped (on a dropped event: how many datagrams the system dropped since the
// last one).
//
// Strings are escaped as encoding/json escapes them (HTML characters included),
// and so are the characters DisplayText escapes and encoding/json leaves raw (DEL,
// C1 controls, bidi overrides and isolates, zero-width characters), as \uXXXX: a
// terminal showing the line sees six harmless characters instead of a control
// that reorders it; the decoded value is the same. The error is always nil.
func JSON(e netio.Event) ([]byte, error) {
	return AppendJSON(nil, e), nil
}

// AppendJSON appends JSON(e) to dst. It is written by hand, without reflection
// or a map on the way, because --json and JSON logs write one object per
// datagram at full rate.
func AppendJSON(dst []byte, e netio.Event) []byte {
	return (*JSONFormatter)(nil).AppendJSON(dst, e)
}

// JSONFormatter is AppendJSON for a writer that formats many events one after
// another (a log file, standard output): it remembers the time stamp it wrote
// last, and an event in the same millisecond reuses its text instead of
// formatting the time again. The zero value is ready; a nil *JSONFormatter
// formats every time. Not safe for concurrent use.
type JSONFormatter struct {
	ms    int64
	loc   *time.Location
	n     int // 0: nothing remembered
	stamp [64]byte
}

// AppendJSON is the package's AppendJSON.
func (f *JSONFormatter) AppendJSON(dst []byte, e netio.Event) []byte {
	if need := len(dst) + 192 + 3*len(e.Data) + len(e.Text) + len(e.Local) + len(e.Peer) + len(e.Target); cap(dst) < need {
		dst = append(make([]byte, 0, need+len(e.Text)/8), dst...)
	}
	b := f.appendStamp(append(dst, `{"time":"`...), e.Time)
	b = appendJSONString(append(b, `,"event":`...), e.Kind.String())
	b = appendJSONString(append(b, `,"proto":`...), e.Proto)
	b = appendOptString(b, `,"local":`, e.Local)
	b = appendOptString(b, `,"peer":`, e.Peer)
	if e.Client != 0 {
		b = strconv.AppendUint(append(b, `,"client":`...), e.Client, 10)
	}
	b = appendOptString(b, `,"family":`, e.Family)
	b = appendOptString(b, `,"target":`, e.Target)
	b = appendOptString(b, `,"dir":`, e.Dir.String())
	b = strconv.AppendInt(append(b, `,"bytes":`...), int64(len(e.Data)), 10)
	b = appendJSONString(append(b, `,"text":`...), e.Text)
	b = append(appendHex(append(b, `,"hex":"`...), e.Data), '"')
	b = appendOptString(b, `,"reason":`, string(e.Reason))
	if e.Err != nil {
		b = appendOptString(b, `,"error":`, e.Err.Error())
	}
	if e.Rule != 0 {
		b = strconv.AppendInt(append(b, `,"rule":`...), int64(e.Rule), 10)
	}
	if e.TLS != nil {
		b = appendTLSInfo(append(b, `,"tls":`...), e.TLS)
	}
	if e.Check != nil {
		b = appendCheck(append(b, `,"checksum":`...), e.Check)
	}
	b = appendOptString(b, `,"frame":`, e.Frame.String())
	b = appendOptString(b, `,"framing":`, e.Framing)
	if len(e.Values) > 0 {
		b = appendValues(append(b, `,"values":`...), e.Values)
	}
	if e.TCPInfo != nil {
		b = appendTCPInfoJSON(append(b, `,"tcpinfo":`...), e.TCPInfo)
	}
	if e.Dropped != 0 {
		b = strconv.AppendUint(append(b, `,"dropped":`...), e.Dropped, 10)
	}
	return append(b, '}')
}

// appendTCPInfoJSON writes a netio.TCPInfo: connect_us, the measured connect
// time (connected events only), then TCP_INFO's numbers as the system gave
// them (times in microseconds, the congestion window and slow start threshold
// in segments), or error when the system gave none.
func appendTCPInfoJSON(b []byte, ti *netio.TCPInfo) []byte {
	b = append(b, '{')
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(append(append(b, '"'), k...), `":`...)
	}
	num := func(k string, v int64) {
		key(k)
		b = strconv.AppendInt(b, v, 10)
	}
	if ti.Connect > 0 {
		num("connect_us", ti.Connect.Microseconds())
	}
	if k := ti.Kernel; k != nil {
		if k.State != "" {
			key("state")
			b = appendJSONString(b, k.State)
		}
		num("rtt_us", k.RTT.Microseconds())
		num("rttvar_us", k.RTTVar.Microseconds())
		if k.MinRTT > 0 { // zero: not reported
			num("min_rtt_us", k.MinRTT.Microseconds())
		}
		for _, f := range [...]struct {
			k string
			v int
		}{{"snd_mss", k.SendMSS}, {"advmss", k.AdvertisedMSS}, {"rcv_mss", k.ReceiveMSS}, {"retransmissions", k.Retransmissions},
			{"cwnd", k.CongestionWindow}, {"ssthresh", k.SlowStartThreshold}, {"pmtu", k.PathMTU}} {
			num(f.k, int64(f.v))
		}
		if k.BytesAcked != 0 {
			key("bytes_acked")
			b = strconv.AppendUint(b, k.BytesAcked, 10)
		}
		if k.BytesReceived != 0 {
			key("bytes_received")
			b = strconv.AppendUint(b, k.BytesReceived, 10)
		}
		if k.SegmentsOut != 0 {
			num("segs_out", int64(k.SegmentsOut))
		}
		if k.SegmentsIn != 0 {
			num("segs_in", int64(k.SegmentsIn))
		}
	} else if ti.KernelErr != nil {
		key("error")
		b = appendJSONString(b, ti.KernelErr.Error())
	}
	return append(b, '}')
}

// appendHex appends data as lower-case hex digits, as hex.EncodeToString
// does, four bytes at a time: each byte is spread into a 16-bit lane, its two
// nibbles into the lane's two bytes (high nibble first), and each nibble n
// becomes '0'+n, plus 39 more ('a'-'0'-10) when n+0x76 carries into bit 7,
// that is when n >= 10.
func appendHex(b []byte, data []byte) []byte {
	const ones = 0x0101010101010101
	n := len(b)
	b = slices.Grow(b, 2*len(data))[:n+2*len(data)]
	out := b[n:]
	i := 0
	for ; i+4 <= len(data); i += 4 {
		x := uint64(binary.LittleEndian.Uint32(data[i:]))
		x = (x | x<<16) & 0x0000FFFF0000FFFF
		x = (x | x<<8) & 0x00FF00FF00FF00FF
		x = x>>4&0x000F000F000F000F | (x&0x000F000F000F000F)<<8
		x += 0x30*ones + (x+0x76*ones)>>7&ones*39
		binary.LittleEndian.PutUint64(out[2*i:], x)
	}
	for ; i < len(data); i++ {
		out[2*i], out[2*i+1] = lowerHex[data[i]>>4], lowerHex[data[i]&0xF]
	}
	return b
}

// appendValues appends extract.AppendJSON's object with the escapes every
// other string here gets (see JSON): extract escapes quotes, backslashes and
// controls in a name, and the HTML characters, line separators and the
// characters DisplayText escapes are escaped here. A value that is not a
// number JSON can write (infinite, not a number) is written as null.
func appendValues(b []byte, values []extract.Value) []byte {
	start := len(b)
	b = extract.AppendJSON(b, values)
	clean := true
	for _, v := range values {
		clean = clean && !math.IsInf(v.Value, 0) && !math.IsNaN(v.Value)
	}
	for _, c := range b[start:] {
		clean = clean && c != '<' && c != '>' && c != '&' && c < utf8.RuneSelf
	}
	if clean {
		return b
	}
	raw := string(b[start:]) // a copy: b is rewritten in place
	b = b[:start]
	inString := false
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '"':
			inString = !inString
		case c == '\\' && inString:
			b = append(b, raw[i:i+2]...) // an escape stays as it is
			i += 2
			continue
		case !inString && (c == '+' || c == '-' || c == 'I' || c == 'N'):
			// strconv's +Inf, -Inf and NaN: not JSON.
			if w := nonFiniteAt(raw[i:]); w > 0 {
				b = append(b, "null"...)
				i += w
				continue
			}
		case c == '<' || c == '>' || c == '&':
			b = append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xF])
			i++
			continue
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(raw[i:])
			switch {
			case r == '\u2028' || r == '\u2029':
				b = append(b, '\\', 'u', '2', '0', '2', lowerHex[r&0xF])
			case r <= 0xFFFF && charset.NeedsEscape(r):
				b = append(b, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
			default:
				b = append(b, raw[i:i+size]...)
			}
			i += size
			continue
		}
		b = append(b, c)
		i++
	}
	return b
}

// nonFiniteAt is the length of the +Inf, -Inf or NaN that s starts with, or 0.
func nonFiniteAt(s string) int {
	for _, w := range [...]string{"+Inf", "-Inf", "NaN"} {
		if len(s) >= len(w) && s[:len(w)] == w {
			return len(w)
		}
	}
	return 0
}

// appendStamp appends the time and ts_ms of t: `2006-01-02T15:04:05.000Z07:00","ts_ms":N`.
func (f *JSONFormatter) appendStamp(b []byte, t time.Time) []byte {
	ms, loc := t.UnixMilli(), t.Location()
	if f != nil && f.n > 0 && ms == f.ms && loc == f.loc {
		return append(b, f.stamp[:f.n]...)
	}
	start := len(b)
	b = t.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	b = strconv.AppendInt(append(b, `","ts_ms":`...), ms, 10)
	if f != nil {
		if n := len(b) - start; n <= len(f.stamp) {
			f.ms, f.loc, f.n = ms, loc, copy(f.stamp[:], b[start:])
		} else {
			f.n = 0
		}
	}
	return b
}

// appendOptString appends key and s, unless s is empty (omitempty).
func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendJSONString(append(b, key...), s)
}

func appendTLSInfo(b []byte, t *netio.TLSInfo) []byte {
	b = append(b, '{')
	first := true
	field := func(key string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(append(append(b, '"'), key...), `":`...)
	}
	for _, f := range [...]struct{ key, val string }{
		{"version", t.Version}, {"cipher_suite", t.CipherSuite}, {"alpn", t.ALPN}, {"server_name", t.ServerName},
	} {
		if f.val != "" {
			field(f.key)
			b = appendJSONString(b, f.val)
		}
	}
	if c := t.Cert; c != nil {
		field("cert")
		b = appendJSONString(append(b, `{"subject":`...), c.Subject)
		b = appendJSONString(append(b, `,"issuer":`...), c.Issuer)
		if len(c.Names) > 0 {
			b = append(b, `,"names":[`...)
			for i, n := range c.Names {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, n)
			}
			b = append(b, ']')
		}
		b = appendJSONTime(append(b, `,"not_before":`...), c.NotBefore)
		b = appendJSONTime(append(b, `,"not_after":`...), c.NotAfter)
		b = append(appendJSONString(append(b, `,"sha256":`...), c.SHA256), '}')
	}
	if t.Verified {
		field("verified")
		b = append(b, "true"...)
	}
	if t.VerifyProblem != "" {
		field("verify_problem")
		b = appendJSONString(b, t.VerifyProblem)
	}
	return append(b, '}')
}

// appendJSONTime is a time as time.Time's MarshalJSON writes it (RFC 3339 with
// as many fraction digits as it needs), for the years 0 to 9999 that it takes;
// a certificate's dates are in them.
func appendJSONTime(b []byte, t time.Time) []byte {
	return append(t.AppendFormat(append(b, '"'), time.RFC3339Nano), '"')
}

func appendCheck(b []byte, c *checksum.Result) []byte {
	b = appendJSONString(append(b, `{"name":`...), c.Name)
	b = strconv.AppendBool(append(b, `,"ok":`...), c.OK)
	if !c.Short {
		if c.Width < 0 || c.Width > 8 { // not a real checksum; spelled as Result spells it
			b = appendJSONString(append(b, `,"got":`...), c.GotHex())
			b = appendJSONString(append(b, `,"want":`...), c.WantHex())
		} else {
			b = appendChecksumValue(append(b, `,"got":`...), c.Width, c.Got)
			b = appendChecksumValue(append(b, `,"want":`...), c.Width, c.Want)
		}
	}
	return append(b, '}')
}

// appendChecksumValue writes v as Result.GotHex does, "0x" and upper-case hex
// digits, zero-padded to the checksum's width, without fmt.
func appendChecksumValue(b []byte, width int, v uint32) []byte {
	b = append(b, `"0x`...)
	digits := max(2*width, 1)
	for digits < 8 && v>>(4*digits) != 0 {
		digits++
	}
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b = append(b, hexDigits[v>>shift&0xF])
	}
	return append(b, '"')
}

// jsonPlain says which ASCII bytes go into a JSON string as they are: what
// encoding/json leaves alone with its HTML escaping on (not " \ < > & and no
// control), less DEL, which DisplayText escapes.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < 0x7F; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// appendJSONString appends s as a quoted JSON string (see JSON for the escapes).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	run := 0 // start of the bytes not yet copied
	for i := 0; i < len(s); {
		i += jsonPlainPrefix(s[i:])
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[run:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, `\b`...)
			case '\f':
				b = append(b, `\f`...)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			case 0x7F:
				b = append(b, `\u007F`...)
			default:
				// encoding/json's spelling: lower-case hex.
				b = append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xF])
			}
			i++
			run = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[run:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[run:i]...), '\\', 'u', '2', '0', '2', lowerHex[r&0xF])
		case r <= 0xFFFF && charset.NeedsEscape(r):
			b = append(append(b, s[run:i]...), '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		run = i
	}
	return append(append(b, s[run:]...), '"')
}

// jsonPlainPrefix is how many bytes at the start of s go into a JSON string as
// they are (jsonPlain). It looks at eight bytes at a time, with no branch
// between them: text is mostly plain, and runs long between escapes.
func jsonPlainPrefix(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		_ = s[i+7]
		if jsonPlainBits[s[i]]&jsonPlainBits[s[i+1]]&jsonPlainBits[s[i+2]]&jsonPlainBits[s[i+3]]&
			jsonPlainBits[s[i+4]]&jsonPlainBits[s[i+5]]&jsonPlainBits[s[i+6]]&jsonPlainBits[s[i+7]] == 0 {
			break
		}
	}
	for i < len(s) && jsonPlainBits[s[i]] != 0 {
		i++
	}
	return i
}

// jsonPlainBits is jsonPlain for every byte value, as 1 and 0.
var jsonPlainBits = func() (t [256]uint8) {
	for c, plain := range jsonPlain {
		if plain {
			t[c] = 1
		}
	}
	return t
}()

const (
	hexDigits = "0123456789ABCDEF"
	lowerHex  = "0123456789abcdef"
)
