package eventlog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// hostilePayloads are what a misbehaving device sends: NULs, terminal escapes
// (clear screen, colours, a window title), invalid UTF-8, bidi overrides, line and
// paragraph separators, C1 controls, zero-width characters.
var hostilePayloads = [][]byte{
	[]byte("NUL\x00in\x00the\x00middle"),
	[]byte("\x1b[2J\x1b[H\x1b[31mred\x1b]0;pwned\x07\x1b[0m"),
	[]byte("bad utf8 \xff\xfe \xc3\x28 \xed\xa0\x80"),
	[]byte("rtl \u202eevil\u202c isolate \u2066x\u2069 mark\u200f"),
	[]byte("new\nline\r\rcr \u2028ls\u2029ps \u0085nel \x9b raw c1 \u009bcsi\x7f"),
	[]byte("\u200bzero\ufeffwidth\u061c"),
}

// checkLine fails if line could alter a log's layout or a terminal: it must be valid
// UTF-8 with no control character and no character DisplayText escapes.
func checkLine(t *testing.T, where, line string) {
	t.Helper()
	if !utf8.ValidString(line) {
		t.Errorf("%s: invalid UTF-8 in %q", where, line)
	}
	for _, r := range line {
		if charset.NeedsEscape(r) {
			t.Errorf("%s: raw %U in %q", where, r, line)
			return
		}
	}
}

// Hostile bytes are logged escaped: one line per event in the text log and the JSON
// log, no control reaching the file, and JSON that decodes back to the same text.
func TestHostileBytesKeepTheLogLayout(t *testing.T) {
	dir := t.TempDir()
	textLog, err := Open(filepath.Join(dir, "events.log"), FormatText)
	if err != nil {
		t.Fatal(err)
	}
	jsonLog, err := Open(filepath.Join(dir, "events.jsonl"), FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	got := &collector{}
	srv := netio.NewTCPServer(netio.TCPServerConfig{Bind: "127.0.0.1:0", Echo: true, Sink: netio.Tee(textLog, jsonLog, got)})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, c)
	for i, p := range hostilePayloads {
		c.Write(p)
		got.WaitFor(t, "each payload", kind(netio.EventReceived), i+1)
	}
	c.Close()
	got.WaitFor(t, "the close", kind(netio.EventClosed), 1)
	srv.Close()
	if err := textLog.Close(); err != nil {
		t.Fatal(err)
	}
	if err := jsonLog.Close(); err != nil {
		t.Fatal(err)
	}
	events := got.Events()

	received := 0
	for _, e := range events {
		checkLine(t, "screen line", FormatLine(e, false))
		if e.Kind == netio.EventReceived {
			if !bytes.Equal(e.Data, hostilePayloads[received]) {
				t.Errorf("raw bytes changed: % x", e.Data)
			}
			received++
		}
	}
	lines := readFileLines(t, filepath.Join(dir, "events.log"))
	if len(lines) != len(events) {
		t.Fatalf("text log has %d lines for %d events:\n%s", len(lines), len(events), strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		checkLine(t, "text log", l)
	}
	jlines := readFileLines(t, filepath.Join(dir, "events.jsonl"))
	if len(jlines) != len(events) {
		t.Fatalf("JSON log has %d lines for %d events", len(jlines), len(events))
	}
	for i, l := range jlines {
		checkLine(t, "JSON log", l)
		var j struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal([]byte(l), &j); err != nil {
			t.Fatalf("JSON line %q: %v", l, err)
		}
		if j.Text != events[i].Text {
			t.Errorf("JSON text %q, event text %q", j.Text, events[i].Text)
		}
	}
}

func readFileLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}
