package eventlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/tcpinfo"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// jsonTestTime has a fraction of a millisecond and a time zone with minutes.
var jsonTestTime = time.Date(2026, 11, 26, 21, 48, 31, 123456789, time.FixedZone("", 5*3600+45*60))

func testCert() *netio.CertInfo {
	return &netio.CertInfo{
		Subject: "CN=localhost,O=Acme <&> \"Co\"", Issuer: "CN=evil\u202e\x1b[2J", Names: []string{"localhost", "127.0.0.1", "bad\xff"},
		NotBefore: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), NotAfter: time.Date(2027, 1, 2, 3, 4, 5, 600000000, time.UTC),
		SHA256: "AB:CD:EF",
	}
}

// jsonTable is one event per case the JSON form has: every field, set and
// unset, and text that must be escaped.
func jsonTable() map[string]netio.Event {
	base := netio.Event{Time: jsonTestTime, Kind: netio.EventReceived, Proto: "udp", Local: "127.0.0.1:7", Peer: "127.0.0.1:9", Data: []byte("hi"), Text: "hi"}
	with := func(f func(*netio.Event)) netio.Event { e := base; f(&e); return e }
	hostile := map[string]netio.Event{}
	for i, p := range hostilePayloads {
		hostile["hostile "+string(rune('a'+i))] = with(func(e *netio.Event) { e.Data, e.Text = p, string(p) })
	}
	t := map[string]netio.Event{
		"zero":       {},
		"received":   base,
		"every kind": with(func(e *netio.Event) { e.Kind = netio.EventKind(99) }),
		"utc":        with(func(e *netio.Event) { e.Time = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }),
		"west of utc": with(func(e *netio.Event) {
			e.Time = time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("X", -(3*3600+30*60)))
		}),
		"before 1970":   with(func(e *netio.Event) { e.Time = time.Date(1960, 5, 6, 7, 8, 9, 500000, time.UTC) }),
		"no data":       with(func(e *netio.Event) { e.Data, e.Text = nil, "" }),
		"binary data":   with(func(e *netio.Event) { e.Data = []byte{0, 1, 0x7f, 0x80, 0xfe, 0xff}; e.Text = `\x00\x01` }),
		"html":          with(func(e *netio.Event) { e.Text = `<script>alert("x") & 'y'</script>` }),
		"json escapes":  with(func(e *netio.Event) { e.Text = "q\" bs\\ \b\f\n\r\t \x00\x01\x1f\x7f" }),
		"invalid utf8":  with(func(e *netio.Event) { e.Text = "a\xffb\xc3\x28c\xed\xa0\x80d\xf4\x90\x80\x80e\xc3" }),
		"separators":    with(func(e *netio.Event) { e.Text = "ls\u2028ps\u2029 bidi\u202e\u2066\u061c zw\u200b\ufeff c1\u0085\u009b" }),
		"cjk and emoji": with(func(e *netio.Event) { e.Text = "你好，世界 😀 \U0001F600 ｱ" }),
		"unicode edges": with(func(e *netio.Event) { e.Text = "\u00a0\u05ff\u0600\u0800\uffff\U00010000\U0010ffff\ufffd" }),
		"tcp server":    with(func(e *netio.Event) { e.Proto, e.Client, e.Family = "tcp", 42, netio.FamilyIPv6 }),
		"relay to target": with(func(e *netio.Event) {
			e.Proto, e.Target, e.Dir, e.Client = "tcp", "127.0.0.1:9000", netio.DirToTarget, 1
		}),
		"relay to client": with(func(e *netio.Event) { e.Proto, e.Target, e.Dir = "tcp", "[::1]:9000", netio.DirToClient }),
		"closed": with(func(e *netio.Event) {
			e.Kind, e.Reason, e.Data, e.Text = netio.EventClosed, netio.ReasonReset, nil, "\xe4\xbd"
		}),
		"odd reason": with(func(e *netio.Event) { e.Kind, e.Reason = netio.EventClosed, netio.CloseReason("why <\u202e>") }),
		"error": with(func(e *netio.Event) {
			e.Kind, e.Err = netio.EventError, errors.New("netio: udp send: \x1b[31mred\u2028 \"quoted\" <b>")
		}),
		"rule":          with(func(e *netio.Event) { e.Kind, e.Rule = netio.EventSent, 3 }),
		"negative rule": with(func(e *netio.Event) { e.Rule = -1 }),
		"dropped":       {Time: jsonTestTime, Kind: netio.EventDropped, Proto: "udp", Local: "0.0.0.0:5000", Dropped: 1234567},
		"checksum ok": with(func(e *netio.Event) {
			e.Check = &checksum.Result{Name: "crc16-modbus", Width: 2, OK: true, Got: 0x4B37, Want: 0x4B37}
		}),
		"checksum bad":    with(func(e *netio.Event) { e.Check = &checksum.Result{Name: "crc32", Width: 4, Got: 0xDEADBEEF, Want: 0x1} }),
		"checksum byte":   with(func(e *netio.Event) { e.Check = &checksum.Result{Name: "xor", Width: 1, Got: 0, Want: 0xFF} }),
		"checksum short":  with(func(e *netio.Event) { e.Check = &checksum.Result{Name: "crc16-ccitt", Width: 2, Short: true} }),
		"checksum odd":    with(func(e *netio.Event) { e.Check = &checksum.Result{Name: "n\u202e", Width: 0, Got: 0x12345} }),
		"checksum wide":   with(func(e *netio.Event) { e.Check = &checksum.Result{Name: "w", Width: 6, Got: 7} }),
		"checksum narrow": with(func(e *netio.Event) { e.Check = &checksum.Result{Name: "w", Width: -2, Got: 7} }),
		"tls empty":       with(func(e *netio.Event) { e.TLS = &netio.TLSInfo{} }),
		"tls listening":   {Time: jsonTestTime, Kind: netio.EventListening, Proto: "tcp", Local: "[::]:9443", TLS: &netio.TLSInfo{Cert: testCert()}},
		"tls connected": with(func(e *netio.Event) {
			e.Kind = netio.EventConnected
			e.TLS = &netio.TLSInfo{Version: "TLS 1.3", CipherSuite: "TLS_AES_128_GCM_SHA256", ALPN: "h2", ServerName: "localhost", Cert: testCert(), Verified: true}
		}),
		"tls not verified": with(func(e *netio.Event) {
			c := testCert()
			c.Names = nil
			e.TLS = &netio.TLSInfo{Version: "TLS 1.2", CipherSuite: "X", Cert: c, VerifyProblem: "x509: certificate signed by unknown authority \u202e"}
		}),
		"tls cert only empty names": with(func(e *netio.Event) {
			c := testCert()
			c.Names, c.Subject, c.Issuer = []string{}, "", ""
			e.TLS = &netio.TLSInfo{Cert: c}
		}),
		"values": with(func(e *netio.Event) {
			e.Values = []extract.Value{{Name: "温度", Value: 23.5}, {Name: "hum", Value: 41}, {Name: "温度", Value: -4.25}, {Name: "big", Value: 1e300}, {Name: "tiny", Value: -1e-9}}
		}),
		"hostile value names": with(func(e *netio.Event) {
			e.Values = []extract.Value{{Name: "<b>&", Value: 1}, {Name: "q\"b\\", Value: 2}, {Name: "\x1b[2J\x7f", Value: 3},
				{Name: "rtl\u202e ls\u2028 c1\u0085 zw\u200b", Value: 4}, {Name: "bad\xff", Value: 5}, {Name: "", Value: 6}}
		}),
		"frames":         with(func(e *netio.Event) { e.Proto, e.Frame, e.Ending = "tcp", netio.FrameComplete, 1 }),
		"frame overflow": with(func(e *netio.Event) { e.Proto, e.Frame = "tcp", netio.FrameOverflow }),
		"frame odd":      with(func(e *netio.Event) { e.Proto, e.Frame = "tcp", netio.FrameStatus(99) }),
		"framing":        {Time: jsonTestTime, Kind: netio.EventListening, Proto: "tcp", Local: "127.0.0.1:7", Framing: "delim:<\u202e>"},
		"tcpinfo connected": with(func(e *netio.Event) {
			e.Kind = netio.EventConnected
			e.TCPInfo = &netio.TCPInfo{Connect: 112*time.Microsecond + 400, Kernel: &tcpinfo.Info{State: "ESTABLISHED", RTT: 56 * time.Microsecond,
				RTTVar: 28 * time.Microsecond, MinRTT: 20 * time.Microsecond, SendMSS: 32768, AdvertisedMSS: 65483, ReceiveMSS: 536,
				Retransmissions: 2, CongestionWindow: 10, SlowStartThreshold: 2147483647, PathMTU: 65535,
				BytesAcked: 1, BytesReceived: 99, SegmentsOut: 3, SegmentsIn: 4}}
		}),
		"tcpinfo zeros": with(func(e *netio.Event) { e.TCPInfo = &netio.TCPInfo{Kernel: &tcpinfo.Info{}} }),
		"tcpinfo error": with(func(e *netio.Event) {
			e.Kind, e.TCPInfo = netio.EventClosed, &netio.TCPInfo{KernelErr: errors.New("not here <\u202e>")}
		}),
		"tcpinfo empty": with(func(e *netio.Event) { e.TCPInfo = &netio.TCPInfo{} }),
		"every field": {Time: jsonTestTime, Kind: netio.EventSent, Proto: "tcp", Local: "127.0.0.1:1", Peer: "127.0.0.1:2", Client: 7,
			Family: "IPv4", Target: "127.0.0.1:3", Dir: netio.DirToClient, Data: []byte("x"), Text: "x", Reason: netio.ReasonLocal,
			Err: errors.New("e"), Rule: 2, TLS: &netio.TLSInfo{Version: "v"}, Check: &checksum.Result{Name: "sum8", Width: 1, OK: true},
			Frame: netio.FrameMalformed, Ending: 2, Framing: "line", Values: []extract.Value{{Name: "v", Value: 1}},
			TCPInfo: &netio.TCPInfo{Connect: time.Millisecond}, Dropped: 1, TTL: 64},
	}
	for k, v := range hostile {
		t[k] = v
	}
	return t
}

// AppendJSON writes what the encoding/json encoder it replaced wrote, byte for
// byte, for every field set and unset and for text that needs escaping.
func TestJSONMatchesReference(t *testing.T) {
	for name, e := range jsonTable() {
		want, err := referenceJSON(e)
		if err != nil {
			t.Fatalf("%s: reference: %v", name, err)
		}
		got, _ := JSON(e)
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
		// Appending keeps what is already in the buffer.
		if got := AppendJSON([]byte("prefix"), e); string(got) != "prefix"+string(want) {
			t.Errorf("%s: AppendJSON after a prefix: %s", name, got)
		}
	}
}

// jsonFields are the Event fields the JSON form carries, each set by some case
// of jsonTable; notInJSON are those it leaves out on purpose, and why. A field
// added to Event must go into one or the other: into AppendJSON, the reference
// encoder and jsonTable, or into notInJSON with its reason.
var (
	jsonFields = []string{"Time", "Kind", "Proto", "Local", "Peer", "Client", "Family", "Target", "Dir", "Data", "Text",
		"Reason", "Err", "Rule", "TLS", "Check", "Frame", "Framing", "Values", "TCPInfo", "Dropped"}
	notInJSON = map[string]string{
		"Ending": "a frame's delimiter length, for Message(); the bytes are in hex",
		"TTL":    "read by the packet anatomy, not printed yet",
		"Dst":    "read by the packet anatomy, not printed yet",
	}
)

func TestJSONCoversEveryEventField(t *testing.T) {
	covered := map[string]bool{}
	for _, f := range jsonFields {
		covered[f] = true
	}
	typ := reflect.TypeFor[netio.Event]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		if _, skip := notInJSON[name]; !covered[name] && !skip {
			t.Errorf("netio.Event.%s is new: write it in AppendJSON and in referenceJSON, and set it in a case of jsonTable "+
				"(or list it in notInJSON with the reason)", name)
		}
	}
	for _, f := range jsonFields {
		set := false
		for _, e := range jsonTable() {
			if !reflect.ValueOf(e).FieldByName(f).IsZero() {
				set = true
				break
			}
		}
		if !set {
			t.Errorf("no case of jsonTable sets Event.%s", f)
		}
	}
}

// Whatever the fields hold, AppendJSON and the reference agree.
func FuzzJSONMatchesReference(f *testing.F) {
	for _, p := range hostilePayloads {
		f.Add(p, string(p), "127.0.0.1:9", "peer \x1b[2J", "tcp", "IPv4", "peer closed", uint64(1), 2, uint8(3), uint8(1),
			int64(1764193711123456789), int32(8*3600), "TLS 1.3", "CN=x\u202e", "a.example", uint32(0x1234), uint64(0), true)
	}
	f.Add([]byte{}, "", "", "", "", "", "", uint64(0), 0, uint8(0), uint8(0), int64(0), int32(0), "", "", "", uint32(0), uint64(7), false)
	f.Add([]byte("\xff"), "\u202e\u2066\x00\n<&>", "[::1]:80", "", "udp\xff", "\u2028", "\x7f", ^uint64(0), -5, uint8(6), uint8(2),
		int64(-62135596800000000000/1000), int32(-12*3600-59), "\xc3", "", "", ^uint32(0), ^uint64(0), false)
	f.Fuzz(func(t *testing.T, data []byte, text, peer, errMsg, proto, family, reason string, client uint64, rule int,
		kind, dir uint8, unixNano int64, zone int32, tlsVersion, subject, name string, got uint32, dropped uint64, withTLS bool) {
		e := netio.Event{Time: time.Unix(0, unixNano).In(time.FixedZone("", int(zone%(24*3600)))), Kind: netio.EventKind(kind % 9),
			Proto: proto, Local: text, Peer: peer, Client: client, Family: family, Target: name, Dir: netio.Direction(dir % 4),
			Data: data, Text: text, Reason: netio.CloseReason(reason), Rule: rule, Dropped: dropped}
		if errMsg != "" {
			e.Err = errors.New(errMsg)
		}
		e.Frame, e.Framing = netio.FrameStatus(dir%6), tlsVersion
		if kind%3 == 0 {
			d := time.Duration(unixNano % (1 << 40))
			e.TCPInfo = &netio.TCPInfo{Connect: d}
			if withTLS {
				e.TCPInfo.Kernel = &tcpinfo.Info{State: subject, RTT: d / 3, MinRTT: -d, SendMSS: rule, BytesAcked: client, SegmentsIn: int(zone)}
			} else if errMsg != "" {
				e.TCPInfo.KernelErr = errors.New(errMsg)
			}
		}
		if name != "" || subject != "" {
			e.Values = []extract.Value{{Name: name, Value: float64(int64(got)) / 7}, {Name: subject, Value: float64(rule)}, {Name: name, Value: -float64(client % 1000)}}
		}
		if withTLS {
			at := time.Unix(int64(got)*16, 0).UTC() // years 1970 to 4147: what time.Time's MarshalJSON takes
			e.TLS = &netio.TLSInfo{Version: tlsVersion, CipherSuite: text, ServerName: name, Verified: got%2 == 0, VerifyProblem: errMsg,
				Cert: &netio.CertInfo{Subject: subject, Issuer: text, Names: strings.Fields(text), NotBefore: at, NotAfter: at.Add(time.Duration(got)), SHA256: name}}
			e.Check = &checksum.Result{Name: subject, Width: int(kind % 6), OK: got%3 == 0, Short: got%5 == 0, Got: got, Want: got >> 3}
		}
		want, err := referenceJSON(e)
		if err != nil {
			t.Skip("the reference cannot write this event:", err)
		}
		if got, _ := JSON(e); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// A value JSON cannot carry (infinite, not a number), which the encoder that
// AppendJSON replaced refused with an error, is written as null.
func TestJSONValuesNotANumber(t *testing.T) {
	e := netio.Event{Time: jsonTestTime, Kind: netio.EventReceived, Proto: "udp",
		Values: []extract.Value{{Name: "a<", Value: math.Inf(1)}, {Name: "b", Value: math.NaN()}, {Name: "c", Value: math.Inf(-1)}, {Name: "d", Value: 2}}}
	j, _ := JSON(e)
	if !strings.HasSuffix(string(j), `"values":{"a\u003c":null,"b":null,"c":null,"d":2}}`) {
		t.Errorf("JSON %s", j)
	}
	var v map[string]any
	if err := json.Unmarshal(j, &v); err != nil {
		t.Errorf("JSON %s: %v", j, err)
	}
}

// A JSONFormatter writes what AppendJSON writes, event after event, whether
// the time stamp is new, the same millisecond, or the same instant elsewhere.
func TestJSONFormatterReusesTheStamp(t *testing.T) {
	var f JSONFormatter
	at := time.Date(2026, 11, 26, 21, 48, 31, 123000000, time.UTC)
	for i, when := range []time.Time{at, at.Add(400 * time.Microsecond), at.Add(time.Millisecond), at.In(time.FixedZone("", 3600)),
		at.In(time.FixedZone("", 3600)), time.Date(99999, 1, 1, 0, 0, 0, 0, time.UTC), at} {
		e := netio.Event{Time: when, Kind: netio.EventReceived, Proto: "udp", Data: []byte{byte(i)}}
		if got, want := f.AppendJSON(nil, e), AppendJSON(nil, e); !bytes.Equal(got, want) {
			t.Errorf("event %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// AppendJSON into a buffer with room does not allocate (an error's Error may).
func TestAppendJSONDoesNotAllocate(t *testing.T) {
	e := jsonTable()["hostile c"]
	buf := make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() { buf = AppendJSON(buf[:0], e) }); n != 0 {
		t.Errorf("AppendJSON allocated %.0f times per event", n)
	}
}

// 512-byte datagrams of text, as `make bench` sends them.
func BenchmarkJSON(b *testing.B) {
	data := bytes.Repeat([]byte("0123456789 abcdefghijklmnopqrstuvwxyz\n"), 14)[:512]
	e := netio.Event{Time: jsonTestTime, Kind: netio.EventReceived, Proto: "udp", Local: "127.0.0.1:5000", Peer: "127.0.0.1:40000",
		Family: "IPv4", Data: data, Text: string(data)}
	b.Run("reference", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			referenceJSON(e)
		}
	})
	b.Run("JSONFormatter", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var buf []byte
		var f JSONFormatter
		for b.Loop() {
			buf = f.AppendJSON(buf[:0], e)
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = AppendJSON(buf[:0], e)
		}
	})
}
