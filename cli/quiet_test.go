package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/netio"
)

// --quiet shows connections but no data, ends with a summary that counts every
// message, and the log still holds every byte.
func TestQuietServeShowsSummaryAndLogsEverything(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "serve.log")
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json", "--quiet", "--log", logPath)
	to := addr("127.0.0.1", srv.waitPort())

	// A bulk stream (the read buffer grows to its largest) and then a close.
	payload := bytes.Repeat([]byte("0123456789abcdef\n"), 40000) // 680,000 bytes
	c, err := net.Dial("tcp", to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(payload); err != nil {
		t.Fatal(err)
	}
	c.Close()
	srv.waitEvents("the client closing", 1, func(e jev) bool { return e.Event == "closed" && e.Peer != "" })
	srv.cancel()
	if code := srv.wait(); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, srv.stderr)
	}

	evs := srv.events()
	if n := len(filter(evs, is("received"))); n != 0 {
		t.Errorf("--quiet printed %d received events", n)
	}
	if len(filter(evs, is("accepted"))) != 1 {
		t.Errorf("--quiet should still show the connection: %+v", evs)
	}
	last := evs[len(evs)-1]
	if last.Event != "summary" {
		t.Fatalf("last line should be the summary, got %+v", last)
	}
	var sum quietSummary
	lines := srv.stdout.lines()
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.ReceivedBytes != uint64(len(payload)) || sum.Received == 0 || sum.Sent != 0 {
		t.Errorf("summary %+v, want %d bytes received", sum, len(payload))
	}

	var logged int
	recvLines := 0
	for _, l := range readLines(t, logPath) {
		if !strings.Contains(l, " RECV tcp ") {
			continue
		}
		recvLines++
		var n int
		rest := l[strings.Index(l, "] ")+2:]
		if _, err := fmt.Sscanf(rest, "%d B:", &n); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		logged += n
	}
	if logged != len(payload) || uint64(recvLines) != sum.Received {
		t.Errorf("log has %d bytes in %d lines; sent %d bytes, summary says %d messages", logged, recvLines, len(payload), sum.Received)
	}
}

func TestQuietTextSummary(t *testing.T) {
	srv := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--quiet", "--count", "3")
	lines := srv.stdout.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })
	port := lines[0][strings.LastIndexByte(lines[0], ':')+1:]
	c, err := net.Dial("udp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, m := range []string{"a", "bb", "ccc"} {
		io.WriteString(c, m)
	}
	if code := srv.wait(); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, srv.stderr)
	}
	out := srv.stdout.String()
	want := "SUMMARY received 3 messages, 6 B; sent 0 messages, 0 B; dropped by the system: not counted on this system\n"
	if runtime.GOOS == "linux" {
		want = "SUMMARY received 3 messages, 6 B; sent 0 messages, 0 B; dropped by the system (receive buffer full): 0 datagrams\n"
	}
	if strings.Contains(out, "RECV") || !strings.HasSuffix(out, want) {
		t.Errorf("stdout:\n%s", out)
	}
}

// The summary says what the system dropped where it tells (a UDP endpoint on
// Linux), that it does not tell elsewhere, and nothing about it for TCP.
func TestQuietSummaryDrops(t *testing.T) {
	q := &quietSink{}
	q.Emit(netio.Event{Kind: netio.EventReceived, Data: []byte("abc")})
	for _, tc := range []struct {
		stats      func() netio.Stats
		text, json string
	}{
		{func() netio.Stats { return netio.Stats{Dropped: 12, DropsCounted: true} },
			"SUMMARY received 1 messages, 3 B; sent 0 messages, 0 B; dropped by the system (receive buffer full): 12 datagrams\n",
			`{"event":"summary","received":1,"received_bytes":3,"sent":0,"sent_bytes":0,"dropped":12}` + "\n"},
		{func() netio.Stats { return netio.Stats{} },
			"SUMMARY received 1 messages, 3 B; sent 0 messages, 0 B; dropped by the system: not counted on this system\n",
			`{"event":"summary","received":1,"received_bytes":3,"sent":0,"sent_bytes":0}` + "\n"},
		{nil,
			"SUMMARY received 1 messages, 3 B; sent 0 messages, 0 B\n",
			`{"event":"summary","received":1,"received_bytes":3,"sent":0,"sent_bytes":0}` + "\n"},
	} {
		var text, js bytes.Buffer
		q.summary(&text, false, tc.stats)
		q.summary(&js, true, tc.stats)
		if text.String() != tc.text || js.String() != tc.json {
			t.Errorf("got\n%s%s\nwant\n%s%s", &text, &js, tc.text, tc.json)
		}
	}
}
