package eventlog

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
)

// The JSON form escapes what encoding/json leaves raw and could steer a terminal,
// and still decodes to the very same text.
func TestEventJSONEscapesTerminalControls(t *testing.T) {
	text := "rtl \u202eevil\u202c del\x7f c1\u009b nel\u0085 zw\u200b bom\ufeff ok 你好"
	e := netio.Event{Time: time.Unix(0, 0), Kind: netio.EventReceived, Proto: "udp", Data: []byte(text), Text: text}
	b, err := JSON(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`\u202E`, `\u007F`, `\u009B`, `\u0085`, `\u200B`, `\uFEFF`, "你好"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var j struct{ Text string }
	if err := json.Unmarshal(b, &j); err != nil || j.Text != text {
		t.Errorf("decoded %q, %v; want %q", j.Text, err, text)
	}
}

// Whatever an event carries, its line and its JSON are one line each that no
// terminal control survives in, and the JSON decodes back to the event's text.
func FuzzEventLine(f *testing.F) {
	for _, p := range hostilePayloads {
		f.Add(p, string(p), "127.0.0.1:9", "peer said \x1b[2J")
	}
	f.Add([]byte{}, "", "", "")
	f.Add([]byte("\xff"), "\u202e\u2066\x00\n", "[::1]:80", "")
	f.Fuzz(func(t *testing.T, data []byte, text, peer, errMsg string) {
		e := netio.Event{Time: time.Unix(1, 0), Kind: netio.EventReceived, Proto: "tcp", Peer: peer, Data: data, Text: text}
		if errMsg != "" {
			e.Kind, e.Err = netio.EventError, errors.New(errMsg)
		}
		// Peer addresses come from the system, not from the data; everything else
		// in the line may be hostile.
		if utf8.ValidString(peer) && !strings.ContainsFunc(peer, charset.NeedsEscape) {
			line := FormatLine(e, true)
			for _, r := range line {
				if charset.NeedsEscape(r) {
					t.Fatalf("FormatLine left %U in %q", r, line)
				}
			}
			if !utf8.ValidString(line) {
				t.Fatalf("FormatLine produced invalid UTF-8: %q", line)
			}
		}
		b, err := JSON(e)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range string(b) {
			if charset.NeedsEscape(r) {
				t.Fatalf("JSON left %U in %s", r, b)
			}
		}
		var j struct {
			Text  string `json:"text"`
			Peer  string `json:"peer"`
			Error string `json:"error"`
			Bytes int    `json:"bytes"`
		}
		if err := json.Unmarshal(b, &j); err != nil {
			t.Fatalf("JSON %s: %v", b, err)
		}
		if j.Text != jsonString(text) || j.Bytes != len(data) || j.Error != jsonString(errMsg) {
			t.Fatalf("JSON %s does not decode to the event (text %q)", b, text)
		}
	})
}

// DisplayText of anything is valid UTF-8 with nothing left to escape, and leaves
// text that needs nothing alone.
func FuzzDisplayText(f *testing.F) {
	for _, p := range hostilePayloads {
		f.Add(string(p))
	}
	f.Add("plain 你好")
	f.Fuzz(func(t *testing.T, s string) {
		got := charset.DisplayText(s)
		if !utf8.ValidString(got) {
			t.Fatalf("DisplayText(%q) = %q: invalid UTF-8", s, got)
		}
		for _, r := range got {
			if charset.NeedsEscape(r) {
				t.Fatalf("DisplayText(%q) = %q still has %U", s, got, r)
			}
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, charset.NeedsEscape) && got != s {
			t.Fatalf("DisplayText(%q) = %q changed harmless text", s, got)
		}
	})
}

// jsonString is s as encoding/json round-trips it: each invalid byte becomes U+FFFD.
func jsonString(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r) // ranging yields U+FFFD for each invalid byte
	}
	return b.String()
}

// A relay's events name both ends in the direction the bytes went, and their JSON
// carries the target and the direction.
func TestRelayEventLineAndJSON(t *testing.T) {
	base := netio.Event{Time: time.Unix(0, 0), Proto: "tcp", Peer: "127.0.0.1:5123", Client: 1, Target: "127.0.0.1:9000"}
	for _, c := range []struct {
		kind   netio.EventKind
		dir    netio.Direction
		data   string
		reason netio.CloseReason
		want   string
	}{
		{netio.EventReceived, netio.DirToTarget, "hi", "", "RECV tcp [client 127.0.0.1:5123 → target 127.0.0.1:9000] 2 B: hi"},
		{netio.EventReceived, netio.DirToClient, "ok\n", "", "RECV tcp [target 127.0.0.1:9000 → client 127.0.0.1:5123] 3 B: ok\\n"},
		{netio.EventClosed, netio.DirToClient, "", netio.ReasonPeerClosed, "CLOSE tcp [client 127.0.0.1:5123 ↔ target 127.0.0.1:9000] target closed first"},
		{netio.EventClosed, netio.DirToTarget, "", netio.ReasonReset, "CLOSE tcp [client 127.0.0.1:5123 ↔ target 127.0.0.1:9000] client reset the connection"},
		{netio.EventClosed, netio.DirNone, "", netio.ReasonLocal, "CLOSE tcp [client 127.0.0.1:5123 ↔ target 127.0.0.1:9000] closed here"},
	} {
		e := base
		e.Kind, e.Dir, e.Data, e.Text, e.Reason = c.kind, c.dir, []byte(c.data), c.data, c.reason
		if got := FormatLine(e, false); !strings.HasSuffix(got, c.want) {
			t.Errorf("line %q, want it to end %q", got, c.want)
		}
		b, err := JSON(e)
		if err != nil {
			t.Fatal(err)
		}
		var j struct{ Target, Dir string }
		if err := json.Unmarshal(b, &j); err != nil || j.Target != e.Target || j.Dir != c.dir.String() {
			t.Errorf("JSON %s: target/dir lost (%v)", b, err)
		}
	}
	listen := netio.Event{Time: time.Unix(0, 0), Kind: netio.EventListening, Proto: "tcp", Local: "127.0.0.1:7000", Target: "127.0.0.1:9000"}
	if got := FormatLine(listen, false); !strings.HasSuffix(got, "LISTEN tcp on 127.0.0.1:7000, relaying to 127.0.0.1:9000") {
		t.Errorf("listening line %q", got)
	}
	plain, _ := JSON(netio.Event{Kind: netio.EventReceived, Proto: "udp"})
	if strings.Contains(string(plain), `"dir"`) || strings.Contains(string(plain), `"target"`) {
		t.Errorf("a non-relay event's JSON has relay fields: %s", plain)
	}
}

// What the engine's tests assert on event fields shows in the line: the auto-reply
// rule, the family a client used, who closed a relayed pair first, an unverified
// certificate, a checksum's verdict, and an ICMP error.
func TestLineShowsEventDetails(t *testing.T) {
	at := time.Unix(0, 0)
	bad := &checksum.Result{Name: "crc16-modbus", Width: 2, Got: 0xB437, Want: 0x4B37}
	for _, c := range []struct {
		e    netio.Event
		want string
	}{
		{netio.Event{Kind: netio.EventSent, Proto: "udp", Peer: "127.0.0.1:9", Data: []byte("pong"), Text: "pong", Rule: 1}, "(auto-reply rule 1)"},
		{netio.Event{Kind: netio.EventAccepted, Proto: "tcp", Peer: "127.0.0.1:5000", Family: netio.FamilyIPv4}, "accepted via IPv4"},
		{netio.Event{Kind: netio.EventClosed, Proto: "tcp", Peer: "127.0.0.1:5123", Target: "127.0.0.1:9000", Dir: netio.DirToTarget, Reason: netio.ReasonPeerClosed},
			"[client 127.0.0.1:5123 ↔ target 127.0.0.1:9000] client closed first"},
		{netio.Event{Kind: netio.EventConnected, Proto: "tcp", Peer: "127.0.0.1:443", TLS: &netio.TLSInfo{VerifyProblem: "certificate signed by unknown authority"}},
			"NOT verified: certificate signed by unknown authority"},
		{netio.Event{Kind: netio.EventReceived, Proto: "udp", Data: []byte("123456789\x37\x4b"), Text: "123456789", Check: &checksum.Result{Name: "crc16-modbus", Width: 2, OK: true, Got: 0x4B37, Want: 0x4B37}},
			"11 B, crc16-modbus ok: 123456789"},
		{netio.Event{Kind: netio.EventReceived, Proto: "udp", Data: []byte("123456789\x37\xb4"), Text: "123456789", Check: bad},
			"crc16-modbus BAD (got 0xB437, want 0x4B37)"},
		{netio.Event{Kind: netio.EventError, Proto: "udp", Peer: "127.0.0.1:9", Err: fmt.Errorf("netio: udp send to 127.0.0.1:9: %w", netio.ErrPortUnreachable)},
			"ERROR udp [127.0.0.1:9]: netio: udp send to 127.0.0.1:9: port unreachable"},
	} {
		c.e.Time = at
		if got := FormatLine(c.e, false); !strings.Contains(got, c.want) {
			t.Errorf("line %q lacks %q", got, c.want)
		}
	}
	j, err := JSON(netio.Event{Time: at, Kind: netio.EventReceived, Proto: "udp", Check: bad})
	if err != nil || !strings.Contains(string(j), `"checksum":{"name":"crc16-modbus","ok":false,"got":"0xB437","want":"0x4B37"}`) {
		t.Errorf("JSON %s, %v", j, err)
	}
}

// A framed stream's received lines mark the frames that are not whole messages,
// JSON says how every frame ended, and the listening and connected lines name
// the framing. An unframed event has neither.
func TestLineAndJSONShowFraming(t *testing.T) {
	at := time.Unix(0, 0)
	recv := func(data string, f netio.FrameStatus) netio.Event {
		return netio.Event{Time: at, Kind: netio.EventReceived, Proto: "tcp", Peer: "127.0.0.1:5000", Data: []byte(data), Text: data, Frame: f}
	}
	for _, c := range []struct {
		e        netio.Event
		line     string
		jsonPart string
	}{
		{recv("OK\r\n", netio.FrameComplete), `4 B: OK\r\n`, `"frame":"complete"`},
		{recv("xxxx", netio.FrameOverflow), "4 B, overflow frame: xxxx", `"frame":"overflow"`},
		{recv("PI", netio.FrameIncomplete), "2 B, incomplete frame: PI", `"frame":"incomplete"`},
		{recv("\x00\x01", netio.FrameMalformed), `2 B, malformed frame: \0\x01`, `"frame":"malformed"`},
		{netio.Event{Time: at, Kind: netio.EventListening, Proto: "tcp", Local: "127.0.0.1:7000", Framing: "line"},
			"LISTEN tcp on 127.0.0.1:7000, framing line (frames end at LF)", `"framing":"line"`},
		{netio.Event{Time: at, Kind: netio.EventConnected, Proto: "tcp", Peer: "127.0.0.1:502", Local: "127.0.0.1:6000", Framing: "modbus-tcp"},
			"connected (local 127.0.0.1:6000), framing modbus-tcp (Modbus TCP frames of 6 + length bytes (MBAP header))", `"framing":"modbus-tcp"`},
	} {
		if got := FormatLine(c.e, false); !strings.Contains(got, c.line) {
			t.Errorf("line %q lacks %q", got, c.line)
		}
		if j, err := JSON(c.e); err != nil || !strings.Contains(string(j), c.jsonPart) {
			t.Errorf("JSON %s lacks %s (%v)", j, c.jsonPart, err)
		}
	}
	plain := recv("OK\n", netio.FrameNone)
	if got := FormatLine(plain, false); strings.Contains(got, "frame") {
		t.Errorf("unframed line %q mentions frames", got)
	}
	if j, _ := JSON(plain); strings.Contains(string(j), "frame") {
		t.Errorf("unframed JSON %s mentions frames", j)
	}
}
