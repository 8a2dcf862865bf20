package cli

import (
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestTCPServeCountWithSeveralClients(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "3")
	to := addr("127.0.0.1", srv.waitPort())

	var clients []*cliRun
	for i := 1; i <= 3; i++ {
		clients = append(clients, start(t, nil, "tcp", "connect", to, "--send", fmt.Sprintf("msg-%d", i), "--json"))
	}
	if code := srv.wait(); code != 0 {
		t.Fatalf("server: exit %d, stderr %q", code, srv.stderr)
	}
	evs := srv.events()
	var texts []string
	for _, e := range filter(evs, is("received")) {
		texts = append(texts, e.Text)
		if e.Client == 0 || !strings.HasPrefix(e.Peer, "127.0.0.1:") || e.Proto != "tcp" {
			t.Errorf("received event without client or peer: %+v", e)
		}
	}
	sort.Strings(texts)
	if strings.Join(texts, ",") != "msg-1,msg-2,msg-3" {
		t.Errorf("server received %q", texts)
	}
	ids := map[uint64]bool{}
	for _, e := range filter(evs, is("accepted")) {
		ids[e.Client] = true
	}
	if len(ids) != 3 {
		t.Errorf("want 3 distinct clients accepted, got %v", ids)
	}
	if last := evs[len(evs)-1]; last.Event != "closed" || last.Peer != "" || last.Reason != "local" {
		t.Errorf("the listener's closed event should come last, got %+v", last)
	}

	// The server closing after --count is, for each client, the peer closing: the
	// client prints it and exits 0.
	for i, c := range clients {
		if code := c.wait(); code != 0 {
			t.Errorf("client %d: exit %d, stderr %q", i+1, code, c.stderr)
		}
		cev := c.events()
		want := fmt.Sprintf("msg-%d", i+1)
		if len(cev) != 3 || cev[0].Event != "connected" || cev[0].Peer != to {
			t.Fatalf("client %d events: %+v", i+1, cev)
		}
		if s := cev[1]; s.Event != "sent" || s.Text != want || s.Hex != fmt.Sprintf("%x", want) || s.Bytes != len(want) || s.Peer != to {
			t.Errorf("client %d sent event: %+v", i+1, s)
		}
		if c := cev[2]; c.Event != "closed" || c.Reason != "peer closed" {
			t.Errorf("client %d closed event: %+v", i+1, c)
		}
	}
}

func TestTCPConnectReadsEcho(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json", "--echo", "--charset", "gb18030")
	to := addr("127.0.0.1", srv.waitPort())
	c := start(t, nil, "tcp", "connect", to, "--charset", "gb18030", "--send", "回声 😀", "--count", "1", "--json")
	if code := c.wait(); code != 0 {
		t.Fatalf("client: exit %d, stderr %q", code, c.stderr)
	}
	recv := filter(c.events(), is("received"))
	if len(recv) != 1 || recv[0].Text != "回声 😀" {
		t.Errorf("client should show the echo, got %+v", recv)
	}
	if last := c.events()[len(c.events())-1]; last.Event != "closed" || last.Reason != "local" {
		t.Errorf("after --count the client closes: %+v", last)
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("server: exit %d", code)
	}
}

func TestTCPConnectRefused(t *testing.T) {
	to := addr("127.0.0.1", freePort(t))
	code, out, errOut := run(t, nil, "tcp", "connect", to, "--send", "x", "--connect-timeout", "5s")
	if code != 1 {
		t.Fatalf("want exit 1, got %d", code)
	}
	if line := oneLine(t, errOut); !strings.Contains(line, "refused") || !strings.Contains(line, to) {
		t.Errorf("message: %q", line)
	}
	if out != "" {
		t.Errorf("stdout: %q", out)
	}
}

// Without --send, standard input is sent line by line as it is read, newline included.
func TestTCPConnectStdinLines(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "2")
	to := addr("127.0.0.1", srv.waitPort())
	pr, pw := io.Pipe()
	defer pw.Close()
	c := start(t, pr, "tcp", "connect", to, "--json")

	// Each line is written only after the server got the previous one, so the two
	// arrive as two messages.
	io.WriteString(pw, "one\n")
	srv.waitEvents("the first line", 1, is("received"))
	io.WriteString(pw, "two\n")
	pw.Close()
	if code := srv.wait(); code != 0 {
		t.Fatalf("server: exit %d", code)
	}
	recv := filter(srv.events(), is("received"))
	if len(recv) != 2 || recv[0].Text != "one\n" || recv[1].Text != "two\n" {
		t.Errorf("server received %+v", recv)
	}
	if code := c.wait(); code != 0 {
		t.Errorf("client: exit %d, stderr %q", code, c.stderr)
	}
	if sent := filter(c.events(), is("sent")); len(sent) != 2 {
		t.Errorf("client sent %+v", sent)
	}
}

// The last line goes as it is even without a newline; in --hex mode each line is hex,
// blank lines are skipped and no newline is added.
func TestTCPConnectStdinModes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		input string
		hex   string
	}{
		{"text", nil, "ab\r\nlast", "61620d0a6c617374"},
		{"hex", []string{"--hex"}, "48 49\n\n 0x0a \n", "48490a"},
		{"escapes", []string{"--escapes"}, `a\tb` + "\n", "6109620a"},
		{"gbk", []string{"--charset", "gbk"}, "你好\n", "c4e3bac30a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json")
			to := addr("127.0.0.1", srv.waitPort())
			c := start(t, strings.NewReader(tc.input), append([]string{"tcp", "connect", to, "--json"}, tc.args...)...)
			want := len(tc.hex) / 2
			srv.stdout.waitFor(t, "all the bytes", func(lines []string) bool {
				n := 0
				for _, e := range filter(parseEvents(t, lines), is("received")) {
					n += e.Bytes
				}
				return n >= want
			})
			// The client has sent all of its input and waits for the peer: closing
			// the server ends it with status 0.
			if code := srv.stop(); code != 0 {
				t.Fatalf("server: exit %d", code)
			}
			if code := c.wait(); code != 0 {
				t.Errorf("client: exit %d, stderr %q", code, c.stderr)
			}
			var got strings.Builder
			for _, e := range filter(srv.events(), is("received")) {
				got.WriteString(e.Hex)
			}
			if got.String() != tc.hex {
				t.Errorf("server got %s, want %s", got.String(), tc.hex)
			}
		})
	}
}

// A bad line on standard input is bad input: status 2, naming the line.
func TestTCPConnectStdinBadHex(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json")
	to := addr("127.0.0.1", srv.waitPort())
	code, _, errOut := run(t, strings.NewReader("41\n4g\n"), "tcp", "connect", to, "--hex")
	if code != 2 {
		t.Fatalf("want exit 2, got %d", code)
	}
	if line := oneLine(t, errOut); line != `sockdesk: standard input line 2: hex: invalid character "g" at position 2` {
		t.Errorf("got %q", line)
	}
	srv.stop()
}

func TestTCPServeMaxClients(t *testing.T) {
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--json", "--max-clients", "1")
	to := addr("127.0.0.1", srv.waitPort())

	first := start(t, strings.NewReader(""), "tcp", "connect", to, "--json")
	first.waitEvents("the first connection", 1, is("connected"))
	srv.waitEvents("the first client", 1, is("accepted"))

	// The second is accepted by the kernel, then closed by the server at once.
	second := start(t, strings.NewReader(""), "tcp", "connect", to, "--json")
	refused := srv.waitEvents("the refusal", 1, func(e jev) bool { return e.Event == "closed" && e.Reason == "max clients reached" })
	if code := second.wait(); code != 0 {
		t.Errorf("refused client: exit %d, stderr %q", code, second.stderr)
	}
	sev := second.events()
	if last := sev[len(sev)-1]; last.Event != "closed" || last.Peer != to || (last.Reason != "peer closed" && last.Reason != "reset") {
		t.Errorf("refused client should see the server close: %+v", sev)
	}
	if portOf(t, refused[0].Peer) != portOf(t, sev[0].Local) {
		t.Errorf("refusal %+v is not for the second client %+v", refused[0], sev[0])
	}
	if n := len(filter(srv.events(), is("accepted"))); n != 1 {
		t.Errorf("want 1 accepted client, got %d", n)
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("server: exit %d", code)
	}
	if code := first.wait(); code != 0 {
		t.Errorf("first client: exit %d", code)
	}
}

func TestTCPServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	code, out, errOut := run(t, nil, "tcp", "serve", "--port", port, "--bind", "127.0.0.1")
	if code != 1 {
		t.Fatalf("want exit 1, got %d (stdout %q)", code, out)
	}
	wantHeldBy(t, oneLine(t, errOut), "sockdesk: --port: 127.0.0.1:"+port, os.Getpid())
}

// The log gets every event, in either format, and agrees with what was printed.
func TestLogFile(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			logPath := t.TempDir() + "/events.log"
			args := []string{"tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--count", "2", "--log", logPath, "--log-format", format}
			if format == "json" {
				args = append(args, "--json")
			}
			srv := start(t, nil, args...)
			var port int
			srv.stdout.waitFor(t, "the listening line", func(ls []string) bool { return len(ls) > 0 })
			line := srv.stdout.lines()[0]
			if format == "json" {
				port = portOf(t, parseEvents(t, []string{line})[0].Local)
			} else {
				port = portOf(t, line[strings.LastIndexByte(line, ' ')+1:])
			}
			to := addr("127.0.0.1", port)
			// Each client waits for the server to close, which it does after both.
			a := start(t, nil, "tcp", "connect", to, "--send", "alpha")
			b := start(t, nil, "tcp", "connect", to, "--send", "beta")
			if code := srv.wait(); code != 0 {
				t.Fatalf("server: exit %d, stderr %q", code, srv.stderr)
			}
			if a.wait() != 0 || b.wait() != 0 {
				t.Errorf("clients: %q %q", a.stderr, b.stderr)
			}
			printed := srv.stdout.lines()
			logged := readLines(t, logPath)
			// listening, 2 x (accepted, received, closed), closed listener
			if len(printed) != 8 || len(logged) != len(printed) {
				t.Fatalf("printed %d lines, logged %d:\n%s\n--\n%s", len(printed), len(logged), strings.Join(printed, "\n"), strings.Join(logged, "\n"))
			}
			if format == "text" {
				// The log has the date in front: "2006-01-02 " + the printed line.
				for i, l := range logged {
					if len(l) < 11 || l[4] != '-' || l[10] != ' ' {
						t.Fatalf("log line %d has no date: %q", i, l)
					}
					logged[i] = l[11:]
				}
			}
			// Two clients' goroutines emit concurrently: each writes the log, then queues
			// the screen copy, so lines of different clients may swap between the two.
			// The same lines must be in both, and each client's own order is kept.
			slices.Sort(printed)
			slices.Sort(logged)
			for i := range printed {
				if logged[i] != printed[i] {
					t.Errorf("line %d: logged %q, printed %q", i, logged[i], printed[i])
				}
			}
		})
	}
}
