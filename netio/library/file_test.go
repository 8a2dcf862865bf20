package library

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// full is a library using every field.
func full(t *testing.T) *Library {
	t.Helper()
	l := New(testCheck)
	mustAdd(t, l,
		Message{Name: "Read coils", Group: "Modbus", Mode: ModeHex, Payload: "01 01 00 00 00 08",
			Checksum: "crc16-modbus:le", Destination: "192.168.1.20:502", Protocol: TCP, Note: "slave 1"},
		Message{Name: "你好", Mode: ModeText, Payload: "你好\r\n", Charset: "gbk", Destination: "[::1]:9000", Protocol: UDP,
			Repeat: 250 * time.Millisecond},
		Message{Name: "*IDN?", Group: "SCPI", Mode: ModeEscapes, Payload: `*IDN?\n`, Protocol: TLS, Destination: "scope.lan:5025"},
		Message{Name: "empty", Mode: ModeText, Payload: ""},
		Message{Name: "<tag> & co", Mode: ModeText, Payload: "<a href=\"x\">&amp;</a>"},
	)
	return l
}

const fullFile = `{
  "format": "sockdesk-library",
  "version": 1,
  "messages": [
    {
      "name": "Read coils",
      "group": "Modbus",
      "mode": "hex",
      "payload": "01 01 00 00 00 08",
      "checksum": "crc16-modbus:le",
      "destination": "192.168.1.20:502",
      "protocol": "tcp",
      "note": "slave 1"
    },
    {
      "name": "你好",
      "mode": "text",
      "payload": "你好\r\n",
      "charset": "gbk",
      "destination": "[::1]:9000",
      "protocol": "udp",
      "repeat_ms": 250
    },
    {
      "name": "*IDN?",
      "group": "SCPI",
      "mode": "escapes",
      "payload": "*IDN?\\n",
      "destination": "scope.lan:5025",
      "protocol": "tls"
    },
    {
      "name": "empty",
      "mode": "text",
      "payload": ""
    },
    {
      "name": "<tag> & co",
      "mode": "text",
      "payload": "<a href=\"x\">&amp;</a>"
    }
  ]
}
`

func TestMarshalIsTheDocumentedForm(t *testing.T) {
	data, err := full(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != fullFile {
		t.Errorf("Marshal:\n%s\nwant:\n%s", data, fullFile)
	}
	if data, _ := New(nil).Marshal(); !strings.Contains(string(data), `"messages": []`) {
		t.Errorf("an empty library: %s", data)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.json")
	want := full(t)
	if err := want.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, testCheck)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Messages(), want.Messages()) {
		t.Errorf("loaded:\n%+v\nsaved:\n%+v", got.Messages(), want.Messages())
	}
	// The checker came along: a later Add is checked too.
	if err := got.Add(Message{Name: "n", Mode: ModeText, Charset: "klingon"}); err == nil {
		t.Error("the loaded library does not check charsets")
	}
}

func TestSaveKeepsBackup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.json")
	l := full(t)
	if err := l.Save(path); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, l, sample("later"))
	if err := l.Save(path); err != nil {
		t.Fatal(err)
	}
	bak, err := Load(path+".bak", testCheck)
	if err != nil {
		t.Fatal(err)
	}
	if bak.Len() != 5 || l.Len() != 6 {
		t.Errorf("backup has %d messages, want the 5 of the previous save", bak.Len())
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.json")
	_, err := Load(path, nil)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("missing file: %v", err)
	}
}

// Every problem in a file is reported with the file and the JSON path.
func TestParseErrorsNameThePath(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"mode", `{"format":"sockdesk-library","version":1,"messages":[
			{"name":"a","mode":"text","payload":""},
			{"name":"b","mode":"text","payload":""},
			{"name":"c","mode":"text","payload":""},
			{"name":"d","mode":"bin","payload":"x"}]}`,
			`library.json: messages[3].mode: "bin" is not text, escapes or hex`},
		{"several problems", `{"format":"sockdesk-library","version":1,"messages":[
			{"name":"a","mode":"text","payload":"","protocol":"UDP","repeat_ms":-1},
			{"name":"b","mode":"hex","payload":"","destination":"nowhere","charset":"klingon","checksum":"crc32:up"}]}`,
			`library.json: messages[0].repeat_ms: -1 is not a number of milliseconds from 1 to 3600000 (0 or none: send once)` + "\n" +
				`library.json: messages[0].protocol: "UDP" is not udp, tcp or tls` + "\n" +
				`library.json: messages[1].charset: unknown charset "klingon" (known: utf-8, gbk, shift_jis)` + "\n" +
				`library.json: messages[1].checksum: "crc32:up": the byte order after the colon must be le or be` + "\n" +
				`library.json: messages[1].destination: "nowhere" is not host:port (an IPv6 address goes in brackets: [::1]:9000)`},
		{"types", `{"format":"sockdesk-library","version":1,"messages":[{"name":7,"mode":"text","payload":"","repeat_ms":1.5}]}`,
			"library.json: messages[0].name: want a string, found a number\n" +
				"library.json: messages[0].repeat_ms: want a whole number, found 1.5"},
		{"required", `{"format":"sockdesk-library","version":1,"messages":[{"name":"x"}]}`,
			"library.json: messages[0]: no \"mode\": a message needs a name, a mode and a payload\n" +
				"library.json: messages[0]: no \"payload\": a message needs a name, a mode and a payload"},
		{"unknown field", `{"format":"sockdesk-library","version":1,"messages":[{"name":"x","mode":"text","payload":"","paylaod":"y"}],"colour":1}`,
			"library.json: colour: not a field of a version 1 library\n" +
				"library.json: messages[0].paylaod: not a field of a message (known: name, group, mode, payload, charset, checksum, destination, protocol, repeat_ms, note)"},
		{"duplicate names", `{"format":"sockdesk-library","version":1,"messages":[
			{"name":"Ping","mode":"text","payload":""},{"name":"ping","mode":"text","payload":""}]}`,
			`library.json: messages[1].name: "ping" is already the name of the message "Ping"; names must differ, regardless of case`},
		{"newer version", `{"format":"sockdesk-library","version":2,"messages":[],"colour":1}`,
			"library.json: version: version 2 was written by a newer Sockdesk, which this one (version 1) cannot read safely: update Sockdesk"},
		{"no format", `{"version":1,"messages":[]}`,
			`library.json: no "format": this is not a Sockdesk library (want "format": "sockdesk-library")`},
		{"a workspace", `{"format":"sockdesk-workspace","version":1}`,
			`library.json: format: "sockdesk-workspace" is not "sockdesk-library": this file is not a Sockdesk library`},
		{"packet sender", `[{"name":"x","hexstring":"41"}]`,
			"library.json: this is a list, not a Sockdesk library; a Packet Sender export is imported, not opened"},
		{"no messages", `{"format":"sockdesk-library","version":1}`,
			`library.json: no "messages": want "messages": [...]`},
		{"truncated", fullFile[:strings.Index(fullFile, "hex")],
			"library.json:8:16: messages[0].mode: the file ends in the middle of the document: it is truncated or damaged"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := Parse([]byte(c.data), "library.json", testCheck)
			if l != nil || err == nil {
				t.Fatalf("Parse returned a library (%v) for a bad file", l)
			}
			if err.Error() != c.want {
				t.Errorf("\n got %s\nwant %s", err, c.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "library.json" {
				t.Errorf("not an *Error naming the file: %#v", err)
			}
		})
	}
}

func TestParseCapsTheList(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"format":"sockdesk-library","version":1,"messages":[`)
	for i := range 50 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"name":"m","mode":"x","payload":""}`)
	}
	b.WriteString("]}")
	_, err := Parse([]byte(b.String()), "big.json", nil)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxErrors+1 || lines[maxErrors] != "... and 30 more problems" {
		t.Errorf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

// A truncated library file is an error, and nothing in this package writes
// over the good file while reading a bad one.
func TestTruncatedFileNeverReplacesGoodLibrary(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "library.json")
	if err := full(t).Save(path); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	damaged := filepath.Join(dir, "shared.json")
	if err := os.WriteFile(damaged, good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSource(damaged, Detect, testCheck); err == nil || !strings.Contains(err.Error(), "truncated") ||
		!strings.HasPrefix(err.Error(), damaged+":") {
		t.Errorf("import of a truncated file: %v", err)
	}
	if l, err := Load(damaged, testCheck); l != nil || err == nil {
		t.Errorf("Load of a truncated file: %v, %v", l, err)
	}
	if now, _ := os.ReadFile(path); string(now) != string(good) {
		t.Error("the good library changed")
	}
}
