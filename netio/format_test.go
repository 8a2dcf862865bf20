package netio

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The JSON form escapes what encoding/json leaves raw and could steer a terminal,
// and still decodes to the very same text.
func TestEventJSONEscapesTerminalControls(t *testing.T) {
	text := "rtl \u202eevil\u202c del\x7f c1\u009b nel\u0085 zw\u200b bom\ufeff ok 你好"
	e := Event{Time: time.Unix(0, 0), Kind: EventReceived, Proto: "udp", Data: []byte(text), Text: text}
	b, err := json.Marshal(e)
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
		e := Event{Time: time.Unix(1, 0), Kind: EventReceived, Proto: "tcp", Peer: peer, Data: data, Text: text}
		if errMsg != "" {
			e.Kind, e.Err = EventError, errors.New(errMsg)
		}
		// Peer addresses come from the system, not from the data; everything else
		// in the line may be hostile.
		if utf8.ValidString(peer) && !strings.ContainsFunc(peer, needsEscape) {
			line := FormatLine(e, true)
			for _, r := range line {
				if needsEscape(r) {
					t.Fatalf("FormatLine left %U in %q", r, line)
				}
			}
			if !utf8.ValidString(line) {
				t.Fatalf("FormatLine produced invalid UTF-8: %q", line)
			}
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range string(b) {
			if needsEscape(r) {
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
		got := DisplayText(s)
		if !utf8.ValidString(got) {
			t.Fatalf("DisplayText(%q) = %q: invalid UTF-8", s, got)
		}
		for _, r := range got {
			if needsEscape(r) {
				t.Fatalf("DisplayText(%q) = %q still has %U", s, got, r)
			}
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, needsEscape) && got != s {
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
	base := Event{Time: time.Unix(0, 0), Proto: "tcp", Peer: "127.0.0.1:5123", Client: 1, Target: "127.0.0.1:9000"}
	for _, c := range []struct {
		kind   EventKind
		dir    Direction
		data   string
		reason CloseReason
		want   string
	}{
		{EventReceived, DirToTarget, "hi", "", "RECV tcp [client 127.0.0.1:5123 → target 127.0.0.1:9000] 2 B: hi"},
		{EventReceived, DirToClient, "ok\n", "", "RECV tcp [target 127.0.0.1:9000 → client 127.0.0.1:5123] 3 B: ok\\n"},
		{EventClosed, DirToClient, "", ReasonPeerClosed, "CLOSE tcp [client 127.0.0.1:5123 ↔ target 127.0.0.1:9000] target closed first"},
		{EventClosed, DirToTarget, "", ReasonReset, "CLOSE tcp [client 127.0.0.1:5123 ↔ target 127.0.0.1:9000] client reset the connection"},
		{EventClosed, DirNone, "", ReasonLocal, "CLOSE tcp [client 127.0.0.1:5123 ↔ target 127.0.0.1:9000] closed here"},
	} {
		e := base
		e.Kind, e.Dir, e.Data, e.Text, e.Reason = c.kind, c.dir, []byte(c.data), c.data, c.reason
		if got := FormatLine(e, false); !strings.HasSuffix(got, c.want) {
			t.Errorf("line %q, want it to end %q", got, c.want)
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var j struct{ Target, Dir string }
		if err := json.Unmarshal(b, &j); err != nil || j.Target != e.Target || j.Dir != c.dir.String() {
			t.Errorf("JSON %s: target/dir lost (%v)", b, err)
		}
	}
	listen := Event{Time: time.Unix(0, 0), Kind: EventListening, Proto: "tcp", Local: "127.0.0.1:7000", Target: "127.0.0.1:9000"}
	if got := FormatLine(listen, false); !strings.HasSuffix(got, "LISTEN tcp on 127.0.0.1:7000, relaying to 127.0.0.1:9000") {
		t.Errorf("listening line %q", got)
	}
	plain, _ := json.Marshal(Event{Kind: EventReceived, Proto: "udp"})
	if strings.Contains(string(plain), `"dir"`) || strings.Contains(string(plain), `"target"`) {
		t.Errorf("a non-relay event's JSON has relay fields: %s", plain)
	}
}
