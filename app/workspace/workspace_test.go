package workspace

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func three() *Workspace {
	return &Workspace{
		Active: 1,
		Sessions: []Session{
			{Kind: UDP, Settings: map[string]string{"bind": "0.0.0.0", "port": "9001", "dsthost": "127.0.0.1",
				"dstport": "9000", "charset": "GBK", "mode": "hex", "message": "c4 e3", "group": "Modbus"}},
			{Kind: TCPServer, Settings: map[string]string{"port": "7000", "max": "10", "echo": "on", "framing": "line",
				"checksum": "crc16-modbus", "checksumorder": "little"},
				Lists: map[string][]string{ListRules: {"PING=>PONG", `re:^GET (\w+)=>got $1\r\n`}}},
			{Kind: WebTrace, Settings: map[string]string{"url": "http://127.0.0.1:8080/"}},
		},
	}
}

func equal(a, b *Workspace) bool {
	return a.Active == b.Active && slices.EqualFunc(a.Sessions, b.Sessions, func(x, y Session) bool {
		return x.Kind == y.Kind && maps.Equal(x.Settings, y.Settings) &&
			maps.EqualFunc(x.Lists, y.Lists, func(p, q []string) bool { return slices.Equal(p, q) })
	})
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench"+Ext)
	want := three()
	if err := want.Save(path); err != nil {
		t.Fatal(err)
	}
	got, problems, err := Load(path)
	if err != nil || len(problems) != 0 {
		t.Fatalf("Load: %v, problems %v", err, problems)
	}
	if !equal(got, want) {
		t.Errorf("loaded %+v\nsaved %+v", got, want)
	}
	data, _ := os.ReadFile(path)
	for _, s := range []string{`"format": "sockdesk-workspace"`, `"version": 1`, `"kind": "tcp-server"`, `"rules": [`} {
		if !strings.Contains(string(data), s) {
			t.Errorf("the file lacks %s:\n%s", s, data)
		}
	}
	again, _ := got.Marshal()
	if string(again) != string(data) {
		t.Errorf("saving what was loaded writes a different file:\n%s\nwas:\n%s", again, data)
	}
}

func TestMarshalRefusesUnknownKind(t *testing.T) {
	w := &Workspace{Sessions: []Session{{Kind: "serial"}}}
	if _, err := w.Marshal(); err == nil {
		t.Error("a session of an unknown kind was saved")
	}
	w = &Workspace{Active: 2, Sessions: []Session{{Kind: UDP}}}
	if _, err := w.Marshal(); err == nil {
		t.Error("an active session out of range was saved")
	}
	if data, err := (&Workspace{}).Marshal(); err != nil || !strings.Contains(string(data), `"sessions": []`) {
		t.Errorf("an empty workspace: %s, %v", data, err)
	}
}

// A damaged session among good ones: the good ones open, the rest is listed.
func TestDamagedSessionsAmongGoodOnes(t *testing.T) {
	data := `{
  "format": "sockdesk-workspace",
  "version": 1,
  "active": 3,
  "sessions": [
    {"kind": "udp", "settings": {"port": "9001"}},
    {"kind": "serial", "settings": {"baud": "9600"}},
    17,
    {"kind": "tcp-client", "settings": {"host": "127.0.0.1", "timeout": 10, "send.mode": "hex"},
     "lists": {"rules": ["a=>b", 3], "groups": "x"}, "colour": "red"},
    {"settings": {}},
    {"kind": "tcp-relay", "settings": "all of them"}
  ]
}`
	w, problems, err := Parse([]byte(data), "bench.sockdesk")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []Kind
	for _, s := range w.Sessions {
		kinds = append(kinds, s.Kind)
	}
	if !slices.Equal(kinds, []Kind{UDP, TCPClient, TCPRelay}) {
		t.Errorf("opened %v", kinds)
	}
	if w.Active != 1 {
		t.Errorf("active %d, want 1 (the tcp-client, 4th in the file)", w.Active)
	}
	client := w.Sessions[1]
	if !maps.Equal(client.Settings, map[string]string{"host": "127.0.0.1", "send.mode": "hex"}) {
		t.Errorf("client settings %v", client.Settings)
	}
	if !slices.Equal(client.Lists[ListRules], []string{"a=>b"}) {
		t.Errorf("client rules %q", client.Lists[ListRules])
	}
	var got []string
	for _, p := range problems {
		got = append(got, strconv.Itoa(p.Session)+" "+p.String())
	}
	want := []string{
		`1 sessions[1].kind: unknown kind "serial" (this version knows udp, tcp-client, tcp-server, tcp-relay, web-trace) (the session was not opened)`,
		`2 sessions[2]: want an object, found number (the session was not opened)`,
		`3 sessions[3].colour: not understood by this version: ignored`,
		`3 sessions[3].settings.timeout: want a string, found number: the setting was dropped`,
		`3 sessions[3].lists.groups: want a list of strings, found string: the list was dropped`,
		`3 sessions[3].lists.rules[1]: want a string, found number: the entry was dropped`,
		`4 sessions[4]: no "kind" (the session was not opened)`,
		`5 sessions[5].settings: want an object of settings, found string: the session opens with its usual settings`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A newer version opens what this one understands, and says so; unknown
// settings are kept (the app decides about them), unknown fields reported.
func TestNewerVersion(t *testing.T) {
	data := `{"format": "sockdesk-workspace", "version": 3, "theme": "dark",
  "sessions": [{"kind": "udp", "settings": {"port": "1", "future.knob": "on"}}, {"kind": "can-bus"}]}`
	w, problems, err := Parse([]byte(data), "new.sockdesk")
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Sessions) != 1 || w.Sessions[0].Settings["future.knob"] != "on" {
		t.Errorf("sessions %+v", w.Sessions)
	}
	if got := w.Sessions[0].Unknown("port", "bind"); !slices.Equal(got, []string{"future.knob"}) {
		t.Errorf("Unknown = %q", got)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{
		"version: version 3 was written by a newer Sockdesk: this one (version 1) opened what it understands, and saving writes version 1",
		"theme: not understood by this version: ignored",
		`sessions[1].kind: unknown kind "can-bus" (this version knows udp, tcp-client, tcp-server, tcp-relay, web-trace) (the session was not opened)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestNotAWorkspace(t *testing.T) {
	good, _ := three().Marshal()
	cases := []struct{ name, data, want string }{
		{"truncated", string(good[:len(good)/2]), "w.sockdesk:"},
		{"library", `{"format": "sockdesk-library", "version": 1, "messages": []}`,
			`w.sockdesk: format: "sockdesk-library" is not "sockdesk-workspace": this file is not a Sockdesk workspace`},
		{"no format", `{"sessions": []}`, `w.sockdesk: no "format": this is not a Sockdesk workspace (want "format": "sockdesk-workspace")`},
		{"version 0", `{"format": "sockdesk-workspace", "version": 0, "sessions": []}`, `w.sockdesk: version: 0 is not a version (want 1)`},
		{"no sessions", `{"format": "sockdesk-workspace", "version": 1}`, `w.sockdesk: no "sessions": want "sessions": [...]`},
		{"a list", `[]`, `w.sockdesk: want an object, found an array`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, _, err := Parse([]byte(c.data), "w.sockdesk")
			var e *Error
			if w != nil || !errors.As(err, &e) {
				t.Fatalf("Parse = %v, %v", w, err)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("\n got %s\nwant %s", err, c.want)
			}
		})
	}
	_, _, err := Parse(good[:len(good)/2], "w.sockdesk")
	var e *Error
	if !errors.As(err, &e) || e.Line == 0 || e.Path == "" || !strings.Contains(e.Msg, "truncated") {
		t.Errorf("a truncated file gives no line or path: %#v", err)
	}
}

func TestSaveFailureKeepsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w"+Ext)
	if err := three().Save(path); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	bad := &Workspace{Sessions: []Session{{Kind: "serial"}}}
	if err := bad.Save(path); err == nil {
		t.Fatal("saved a workspace with an unknown kind")
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a refused save changed the file")
	}
	blocked := filepath.Join(path, "inside"+Ext) // the directory is a file
	if err := three().Save(blocked); err == nil || !strings.Contains(err.Error(), blocked) {
		t.Errorf("save under a file: %v", err)
	}
}
