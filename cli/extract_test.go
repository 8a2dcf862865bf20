package cli

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// valuesOf decodes the "values" object of a JSON event line; nil when absent.
func valuesOf(t *testing.T, line string) map[string]float64 {
	t.Helper()
	var j struct {
		Values map[string]float64 `json:"values"`
	}
	if err := json.Unmarshal([]byte(line), &j); err != nil {
		t.Fatalf("not a JSON event line: %q: %v", line, err)
	}
	return j.Values
}

func receivedLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.Contains(l, `"event":"received"`) {
			out = append(out, l)
		}
	}
	return out
}

// udpSender is a plain socket of the test's own that sends datagrams to addr.
func udpSender(t *testing.T, to string) *net.UDPConn {
	t.Helper()
	raddr, err := net.ResolveUDPAddr("udp", to)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialUDP("udp", nil, raddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var csvTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$`)

// A sensor's lines and a service's JSON, sent by a socket of the test to
// `udp listen --extract kv --extract json`: every JSON event carries the
// values found, a message without a number carries none, and --values-csv
// holds one row per message with values, a column per name in order of first
// appearance (a name first seen late gets its column, and the file is
// completed at the end).
func TestExtractUDPListenJSONAndCSV(t *testing.T) {
	csvPath := filepath.Join(t.TempDir(), "values.csv")
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "4",
		"--extract", "kv", "--extract", "json", "--values-csv", csvPath)
	c := udpSender(t, addr("127.0.0.1", l.waitPort()))
	for _, m := range []string{
		"温度=23.5℃ 湿度=41%",
		"hello, no numbers here",
		`{"dev":{"volts":3.3,"ok":true},"list":[1,-2.5e3]}`,
		"温度=-4.25℃ 湿度=40%",
	} {
		if _, err := c.Write([]byte(m)); err != nil {
			t.Fatal(err)
		}
		// In order: one datagram at a time is received before the next is sent.
		want := strings.Count(l.stdout.String(), `"event":"received"`) + 1
		l.stdout.waitFor(t, "the datagram", func(ls []string) bool { return len(receivedLines(ls)) >= want })
	}
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d, stderr %q", code, l.stderr)
	}
	recv := receivedLines(l.stdout.lines())
	if len(recv) != 4 {
		t.Fatalf("want 4 received events, got:\n%s", l.stdout)
	}
	wants := []map[string]float64{
		{"温度": 23.5, "湿度": 41},
		nil,
		// kv reads "volts":3.3 as a pair too; json names it by its path.
		{"volts": 3.3, "dev.volts": 3.3, "list[0]": 1, "list[1]": -2500},
		{"温度": -4.25, "湿度": 40},
	}
	for i, want := range wants {
		got := valuesOf(t, recv[i])
		if len(got) != len(want) {
			t.Errorf("message %d: values %v, want %v\n%s", i+1, got, want, recv[i])
			continue
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("message %d: %s = %v, want %v", i+1, k, got[k], v)
			}
		}
	}
	if strings.Contains(recv[1], `"values"`) {
		t.Errorf("a message without numbers has values: %s", recv[1])
	}

	rows := readLines(t, csvPath)
	if len(rows) != 4 || rows[0] != "time,温度,湿度,volts,dev.volts,list[0],list[1]" {
		t.Fatalf("CSV:\n%s", strings.Join(rows, "\n"))
	}
	for i, want := range []string{",23.5,41,,,,", ",,,3.3,3.3,1,-2500", ",-4.25,40,,,,"} {
		tm, rest, _ := strings.Cut(rows[i+1], ",")
		if !csvTime.MatchString(tm) || ","+rest != want {
			t.Errorf("CSV row %d: %q, want a time then %q", i+1, rows[i+1], want)
		}
	}
}

// The readable line shows the values before the text; a log file has them too.
func TestExtractReadableLineAndLog(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "events.log")
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--count", "1",
		"--extract", `re:T=(?P<temp>\S+)`, "--log", logPath)
	line := l.stdout.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })[0]
	c := udpSender(t, addr("127.0.0.1", listenPort(t, line)))
	c.Write([]byte("T=21.5C"))
	if code := l.wait(); code != 0 {
		t.Fatalf("listener: exit %d, stderr %q", code, l.stderr)
	}
	want := "7 B, temp=21.5: T=21.5C"
	if out := l.stdout.lines(); len(out) < 2 || !strings.HasSuffix(out[1], want) {
		t.Errorf("stdout %q, want the RECV line to end %q", out, want)
	}
	if log := readLines(t, logPath); len(log) < 2 || !strings.HasSuffix(log[1], want) {
		t.Errorf("log %q, want the RECV line to end %q", log, want)
	}
}

// Over TCP: a server's, a client's and a relay's received messages all get
// their values.
func TestExtractTCPServeConnectRelay(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json", "--echo", "--extract", "csv")
	srvAddr := addr("127.0.0.1", srv.waitPort())
	relay := start(t, nil, "tcp", "relay", "--listen", "127.0.0.1:0", "--to", srvAddr, "--json", "--count", "2", "--extract", "csv")
	relayAddr := addr("127.0.0.1", relay.waitPort())
	code, out, errOut := run(t, nil, "tcp", "connect", relayAddr, "--json", "--count", "1", "--timeout", "5s",
		"--extract", "csv", "--send", "1.5,2,-3")
	if code != 0 {
		t.Fatalf("connect: exit %d, %q", code, errOut)
	}
	check := func(who string, lines []string) {
		t.Helper()
		recv := receivedLines(lines)
		if len(recv) == 0 {
			t.Fatalf("%s: nothing received:\n%s", who, strings.Join(lines, "\n"))
		}
		for _, r := range recv {
			if v := valuesOf(t, r); len(v) != 3 || v["v1"] != 1.5 || v["v2"] != 2 || v["v3"] != -3 {
				t.Errorf("%s: values %v in %s", who, v, r)
			}
		}
	}
	check("tcp connect", strings.Split(strings.TrimSpace(out), "\n"))
	if code := relay.wait(); code != 0 {
		t.Fatalf("relay: exit %d, %q", code, relay.stderr)
	}
	check("tcp relay", relay.stdout.lines())
	if n := len(receivedLines(relay.stdout.lines())); n != 2 {
		t.Errorf("relay: %d received events, want both directions", n)
	}
	srv.waitEvents("the server's received event", 1, is("received"))
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve: exit %d, %q", code, srv.stderr)
	}
	check("tcp serve", srv.stdout.lines())
}

// --values-csv under --quiet: rows reach the file while the run goes on, not
// only at the end (the printer shows no messages, so its timer flushes).
func TestValuesCSVFlushedWhileRunning(t *testing.T) {
	csvPath := filepath.Join(t.TempDir(), "values.csv")
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--quiet",
		"--extract", "kv", "--values-csv", csvPath)
	c := udpSender(t, addr("127.0.0.1", l.waitPort()))
	c.Write([]byte("x=1"))
	deadline := time.Now().Add(waitLimit)
	for {
		b, _ := os.ReadFile(csvPath)
		if string(b) != "" && strings.HasPrefix(string(b), "time,x\n") && strings.HasSuffix(string(b), ",1\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the row did not reach the file while running: %q", b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code := l.stop(); code != 0 {
		t.Fatalf("exit %d, %q", code, l.stderr)
	}
}

// Bad --extract specs and --values-csv misuse: status 2, one line naming the
// spec or the flag, nothing opened.
func TestExtractBadInput(t *testing.T) {
	missingDir := filepath.Join(t.TempDir(), "no", "such", "dir", "v.csv")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"udp", "listen", "--port", "0", "--extract", "kvv"}, `--extract "kvv": unknown kind "kvv" (want kv, re:REGEX, json, csv or bin:NAME@OFFSET:TYPE[*SCALE])`},
		{[]string{"udp", "listen", "--port", "0", "--extract", ""}, `--extract "": empty rule (want kv, re:REGEX, json, csv or bin:NAME@OFFSET:TYPE[*SCALE])`},
		{[]string{"tcp", "serve", "--port", "0", "--extract", "kv", "--extract", "re:(a"}, `--extract "re:(a": at position 4: ...`},
		{[]string{"tcp", "serve", "--port", "0", "--extract", `re:\d+`}, `--extract "re:\\d+": at position 4: the regular expression has no named group (?P<name>...) to read a number from`},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--extract", "bin:t@0:u24"}, `--extract "bin:t@0:u24": at position ...`},
		{[]string{"tcp", "relay", "--listen", "0", "--to", "127.0.0.1:9", "--extract", "bin:t@x:u8"}, `--extract "bin:t@x:u8": at position ...`},
		{[]string{"udp", "listen", "--port", "0", "--values-csv", "v.csv"}, "--values-csv: needs --extract SPEC (the rules that find the values)"},
		{[]string{"udp", "listen", "--port", "0", "--extract", "kv", "--values-csv", missingDir}, `--values-csv: cannot write "` + missingDir + `": no such file or directory`},
		{[]string{"udp", "send", "--to", "127.0.0.1:9", "--extract", "kv", "x"}, "unknown flag --extract (see sockdesk help)"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			expectUsageError(t, tc.args, tc.want)
		})
	}
}
