package eventlog

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// The log file sees every event even when the display queue is tiny and never
// drained: a slow display loses display copies, not log lines.
func TestLogKeepsEverythingTheQueueDrops(t *testing.T) {
	for _, format := range []Format{FormatText, FormatJSON} {
		t.Run(fmt.Sprint(format), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "events.log")
			logf, err := Open(path, format)
			if err != nil {
				t.Fatal(err)
			}
			queue := netio.NewQueue(4)
			col := &collector{}
			gbk := charset.MustLookup("gbk")
			listener := netio.NewUDP(netio.UDPConfig{Bind: "127.0.0.1:0", Charset: gbk, Sink: netio.Tee(logf, queue, col, nil)})
			if err := listener.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			sender, err := net.Dial("udp", listener.LocalAddr().String())
			if err != nil {
				t.Fatal(err)
			}
			const n = 200
			msg, _ := gbk.Encode("消息")
			for i := 0; i < n; i++ {
				sender.Write(msg)
				// Pace the sender so the kernel buffer never overflows; this test is
				// about the queue, not about loss in the kernel.
				if i%20 == 19 {
					col.WaitFor(t, "received", kind(netio.EventReceived), i+1)
				}
			}
			sender.Close()
			col.WaitFor(t, "received", kind(netio.EventReceived), n)
			listener.Close()
			if err := logf.Close(); err != nil {
				t.Fatal(err)
			}
			if queue.Dropped() == 0 {
				t.Error("a 4-slot queue that nobody drains dropped nothing")
			}
			if got := len(queue.Events()) + int(queue.Dropped()); got != n+2 {
				t.Errorf("queued + dropped = %d, want %d events", got, n+2)
			}

			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			received := 0
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				line := sc.Text()
				if format == FormatJSON {
					var j map[string]any
					if err := json.Unmarshal([]byte(line), &j); err != nil {
						t.Fatalf("bad JSON line %q: %v", line, err)
					}
					if j["event"] == "received" {
						received++
						if j["text"] != "消息" || j["hex"] != "cffbcfa2" || j["bytes"] != float64(4) {
							t.Errorf("line %s", line)
						}
					}
				} else if strings.Contains(line, " RECV udp ") {
					received++
					if !strings.HasSuffix(line, "4 B: 消息") {
						t.Errorf("line %q", line)
					}
				}
			}
			if received != n {
				t.Errorf("log has %d received lines, want %d", received, n)
			}
		})
	}
}

func TestLogWriteErrorIsKept(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	logf, err := Open("/dev/full", FormatText)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		logf.Emit(netio.Event{Time: time.Now(), Kind: netio.EventReceived, Data: make([]byte, 1<<16)})
	}
	if err := logf.Close(); err == nil || !strings.Contains(err.Error(), "no space") {
		t.Errorf("Close on a full disk = %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "no", "such", "dir.log"), FormatText); err == nil {
		t.Error("opened a log in a missing directory")
	}
}

func TestFormatLineEscapesControlCharacters(t *testing.T) {
	e := netio.Event{
		Time: time.Date(2026, 11, 25, 21, 48, 31, 123e6, time.UTC),
		Kind: netio.EventReceived, Proto: "tcp", Peer: "127.0.0.1:5050",
		Data: []byte("a\r\n\x1b[31mred"), Text: "a\r\n\x1b[31mred",
	}
	got := FormatLine(e, true)
	want := `2026-11-25 21:48:31.123 RECV tcp [127.0.0.1:5050] 11 B: a\r\n\x1B[31mred`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	closed := FormatLine(netio.Event{Time: e.Time, Kind: netio.EventClosed, Proto: "tcp", Peer: "127.0.0.1:5050", Reason: netio.ReasonPeerClosed}, false)
	if closed != "21:48:31.123 CLOSE tcp [127.0.0.1:5050] client closed" {
		t.Errorf("closed line %q", closed)
	}
}
