package eventlog

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// Extracted values show in the line after the checksum's verdict and before the
// text (so a peer's text cannot pass for values), and in JSON as an object of
// name: number, each name once with its last value.
func TestValuesInLineAndJSON(t *testing.T) {
	text := "温度=23.5℃ 湿度=41% 温度=24"
	e := netio.Event{Time: time.Unix(0, 0), Kind: netio.EventReceived, Proto: "udp", Peer: "127.0.0.1:9",
		Data: []byte(text), Text: text,
		Check:  &checksum.Result{Name: "sum8", Width: 1, OK: true},
		Values: []extract.Value{{Name: "温度", Value: 23.5}, {Name: "湿度", Value: 41}, {Name: "温度", Value: 24}, {Name: "a b", Value: -1e-3}},
	}
	line := FormatLine(e, false)
	want := `35 B, sum8 ok, 温度=23.5 湿度=41 温度=24 "a b"=-0.001: ` + text
	if !strings.HasSuffix(line, want) {
		t.Errorf("line %q, want it to end %q", line, want)
	}
	b, err := JSON(e)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(b), `"values":{"温度":24,"湿度":41,"a b":-0.001}}`) {
		t.Errorf("JSON %s", b)
	}
	var j struct{ Values map[string]float64 }
	if err := json.Unmarshal(b, &j); err != nil || len(j.Values) != 3 || j.Values["温度"] != 24 {
		t.Errorf("JSON values decode to %v, %v", j.Values, err)
	}

	relay := e
	relay.Check, relay.Target, relay.Dir = nil, "127.0.0.1:10", netio.DirToTarget
	if line := FormatLine(relay, false); !strings.HasSuffix(line, `] 35 B, 温度=23.5 湿度=41 温度=24 "a b"=-0.001: `+text) {
		t.Errorf("relay line %q", line)
	}

	e.Values = nil
	if b, _ := JSON(e); strings.Contains(string(b), `"values"`) {
		t.Errorf("an event without values has them in JSON: %s", b)
	}
	if line := FormatLine(e, false); !strings.HasSuffix(line, "35 B, sum8 ok: "+text) {
		t.Errorf("line without values %q", line)
	}
}

// A name from a message cannot steer a terminal or break the JSON.
func TestHostileValueNames(t *testing.T) {
	e := netio.Event{Time: time.Unix(0, 0), Kind: netio.EventReceived, Proto: "tcp",
		Values: []extract.Value{{Name: "\x1b[31m\u202e\"}", Value: 1}}}
	line := FormatLine(e, false)
	if strings.ContainsAny(line, "\x1b\u202e") {
		t.Errorf("line %q carries a control", line)
	}
	b, err := JSON(e)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(string(b), "\x1b\u202e") {
		t.Errorf("JSON %s carries a control", b)
	}
	var j struct{ Values map[string]float64 }
	if err := json.Unmarshal(b, &j); err != nil || j.Values["\x1b[31m\u202e\"}"] != 1 {
		t.Errorf("JSON values decode to %v, %v", j.Values, err)
	}
}
