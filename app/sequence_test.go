package app

import (
	"bufio"
	"image/color"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"github.com/sockdesk/sockdesk/netio/sequence"
)

// lineServer is a loopback line-protocol server: for each line a client sends
// (without its CR LF) it writes the lines reply gives, each with CR LF. It
// stops with the test.
func lineServer(t *testing.T, reply func(line string) []string) string {
	t.Helper()
	return loopbacktest.Serve(t, func(c *net.TCPConn) {
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			for _, r := range reply(strings.TrimSuffix(sc.Text(), "\r")) {
				if _, err := c.Write([]byte(r + "\r\n")); err != nil {
					return
				}
			}
		}
	})
}

// thermometer answers LOGIN with OK, READ with a reading (or, when failRead
// is set, an error), PING n with PONG n.
func thermometer(failRead bool) func(string) []string {
	return func(line string) []string {
		switch {
		case strings.HasPrefix(line, "LOGIN"):
			return []string{"OK"}
		case line == "READ" && failRead:
			return []string{"ERR sensor offline"}
		case line == "READ":
			return []string{"T=23.5"}
		case strings.HasPrefix(line, "PING "):
			return []string{"PONG " + strings.TrimPrefix(line, "PING ")}
		}
		return nil
	}
}

// thermometerSequence is the file the tests run: its expect on line 7 is the
// one a failing reading fails.
const thermometerSequence = `name: thermometer
connect: tcp://ADDR
timeout: 2s
steps:
  - send: "LOGIN admin\r\n"
  - expect: "OK"
  - send: "READ\r\n"
  - expect_re: 'T=(?P<temp>[0-9.]+)'
  - repeat: 2
    steps:
      - send: "PING {counter}\r\n"
      - expect: "PONG {counter}"
`

// The line of thermometerSequence's expect_re (the step a failed read fails).
const thermometerReadLine = 8

func writeSequence(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "thermometer.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// connectedClient is a TCP client session connected to addr.
func connectedClient(t *testing.T, e env, q *queuedUI, addr string) *tcpClientPanel {
	t.Helper()
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	host, port, _ := net.SplitHostPort(addr)
	p.host.SetText(host)
	p.port.SetText(port)
	test.Tap(p.connectBtn)
	uiWait(t, q, "connected", func() bool { return p.client != nil })
	return p
}

// runSequence taps Run and waits for the run to end.
func runSequence(t *testing.T, q *queuedUI, b *sequenceBox) {
	t.Helper()
	test.Tap(b.runBtn)
	if b.run == nil {
		t.Fatalf("Run did not start: status %q, note %q", b.status.Text, b.note.Text)
	}
	uiWait(t, q, "the run to end", func() bool { return b.run == nil })
}

// resultRows are the results as the list shows them: glyph and title.
func resultRows(b *sequenceBox) []string {
	var out []string
	for i := range b.results.items {
		r := &b.results.items[i]
		out = append(out, statusGlyph(r.Status)+" "+resultTitle(r))
	}
	return out
}

// A sequence in a connected TCP client session runs over the session's own
// connection against a line-protocol server: every step passes, each is listed
// as it ends with its time, and the session's log shows the conversation.
func TestSequenceRunsInATCPClientSession(t *testing.T) {
	useLanguage(t, "en")
	e, q := newTestEnv(t)
	addr := lineServer(t, thermometer(false))
	p := connectedClient(t, e, q, addr)
	b := p.seq
	b.load(writeSequence(t, strings.Replace(thermometerSequence, "ADDR", "127.0.0.1:1", 1)))
	if b.noteOf != nil {
		t.Fatalf("the file has a problem: %v", b.noteOf)
	}
	runSequence(t, q, b)

	rows := resultRows(b)
	want := []string{
		"✓ connect tcp://127.0.0.1:1 (line 2)",
		`✓ step 1 (line 5): send "LOGIN admin\r\n"`,
		`✓ step 2 (line 6): expect "OK"`,
		`✓ step 3 (line 7): send "READ\r\n"`,
		`✓ step 4 (line 8): expect_re "T=(?P<temp>[0-9.]+)"`,
		`✓ step 5.1 (line 11): send "PING {counter}\r\n" [round 1]`,
		`✓ step 5.2 (line 12): expect "PONG {counter}" [round 1]`,
		`✓ step 5.1 (line 11): send "PING {counter}\r\n" [round 2]`,
		`✓ step 5.2 (line 12): expect "PONG {counter}" [round 2]`,
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if b.status.Text == "" || !strings.HasPrefix(b.status.Text, "Passed: 8 steps in ") {
		t.Errorf("status %q", b.status.Text)
	}
	for i := range b.results.items {
		if r := &b.results.items[i]; r.Start.IsZero() || r.Duration <= 0 {
			t.Errorf("result %d has no time: %+v", i, r)
		}
	}
	if b.results.failed != -1 || b.editor.marked != 0 || len(p.log.MarkedLines()) != 0 {
		t.Errorf("a passed run marks: row %d, line %d, log %q", b.results.failed, b.editor.marked, p.log.MarkedLines())
	}
	// The connect step used the session's connection, not the file's address.
	b.results.pick(0)
	if d := detailsText(b.results); !strings.Contains(d, "this session's connection") {
		t.Errorf("connect details %q", d)
	}
	uiWait(t, q, "the conversation in the log", func() bool {
		return logShows(p.log, "LOGIN admin") && logShows(p.log, "T=23.5") && logShows(p.log, "PONG 2")
	})
	if p.client == nil {
		t.Error("the run closed the session's connection")
	}
	if p.drawer.Tools()[len(p.drawer.Tools())-1].Marked() {
		t.Error("the Sequence tab still says it is running")
	}
}

// A failing step: the run stops there, the step's row is highlighted with what
// it expected and what arrived, its line is marked in the file, the steps after
// it are listed as not run, and the message it got is marked in the log (the
// earlier reply is not).
func TestSequenceShowsTheFailedStep(t *testing.T) {
	useLanguage(t, "en")
	e, q := newTestEnv(t)
	addr := lineServer(t, thermometer(true))
	p := connectedClient(t, e, q, addr)
	b := p.seq
	b.load(writeSequence(t, strings.Replace(thermometerSequence, "ADDR", addr, 1)))
	runSequence(t, q, b)

	f := b.results.failed
	if f < 1 || !isHighlighted(b.results, f) || isHighlighted(b.results, f-1) || isHighlighted(b.results, f+1) {
		t.Fatalf("the failed row %d is not the one highlighted; results %q", f, resultRows(b))
	}
	if got := resultRows(b)[f]; got != `✗ step 4 (line 8): expect_re "T=(?P<temp>[0-9.]+)"` {
		t.Errorf("failed row %q", got)
	}
	if skipped := b.results.items[f+1:]; len(skipped) != 2 || skipped[0].Status != sequence.Skipped {
		t.Errorf("after the failed step: %q", resultRows(b)[f+1:])
	}
	details := detailsText(b.results)
	for _, want := range []string{
		"Expected: a message matching /T=(?P<temp>[0-9.]+)/",
		`Got: "ERR sensor offline\r\n"`,
		"Received while waiting:",
	} {
		if !strings.Contains(details, want) {
			t.Errorf("details lack %q:\n%s", want, details)
		}
	}
	if !strings.HasPrefix(b.status.Text, `Failed at step 4 (line 8)`) || !strings.Contains(b.status.Text, "3 passed, 2 not run") {
		t.Errorf("status %q", b.status.Text)
	}
	if b.editor.marked != thermometerReadLine {
		t.Errorf("line %d marked, want %d", b.editor.marked, thermometerReadLine)
	}
	uiWait(t, q, "the reply in the log", func() bool { return logShows(p.log, "ERR sensor offline") })
	marked := p.log.MarkedLines()
	if len(marked) != 1 || !strings.Contains(marked[0], "ERR sensor offline") {
		t.Errorf("marked log rows %q (log %q)", marked, p.log.Lines())
	}

	// The same, read in Chinese: the words of the engine's sentences too.
	i18n.Set("zh-Hans")
	p.relabel()
	details = detailsText(b.results)
	for _, want := range []string{"期望：匹配 /T=(?P<temp>[0-9.]+)/ 的消息", `实际："ERR sensor offline\r\n"`, "等待期间收到："} {
		if !strings.Contains(details, want) {
			t.Errorf("Chinese details lack %q:\n%s", want, details)
		}
	}
	if !strings.HasPrefix(b.status.Text, "失败于 步骤 4（第 8 行）") || b.runBtn.Text != "运行" {
		t.Errorf("Chinese status %q, button %q", b.status.Text, b.runBtn.Text)
	}
	if b.results.failed != f || b.editor.marked != thermometerReadLine || len(p.log.MarkedLines()) != 1 {
		t.Error("the language switch lost the run's marks")
	}
}

// Stop ends a run in the middle of a long step: the step is listed as stopped,
// the rest as not run, at once.
func TestSequenceStopsMidRun(t *testing.T) {
	useLanguage(t, "en")
	e, q := newTestEnv(t)
	addr := lineServer(t, thermometer(false))
	p := connectedClient(t, e, q, addr)
	b := p.seq
	b.load(writeSequence(t, "connect: tcp://"+addr+`
steps:
  - send: "LOGIN admin\r\n"
  - expect: "OK"
  - expect: "never sent"
    timeout: 1h
  - send: "BYE\r\n"
`))
	test.Tap(b.runBtn)
	uiWait(t, q, "the first steps", func() bool { return len(b.results.items) >= 3 })
	if b.run == nil || b.stopBtn.Disabled() || !b.runBtn.Disabled() {
		t.Fatalf("running %v, Stop enabled %v, Run enabled %v", b.run != nil, !b.stopBtn.Disabled(), !b.runBtn.Disabled())
	}
	test.Tap(b.stopBtn)
	uiWait(t, q, "the run to stop", func() bool { return b.run == nil })
	rows := resultRows(b)
	if len(rows) != 5 || rows[3] != `■ step 3 (line 5): expect "never sent"` || !strings.HasPrefix(rows[4], "– step 4") {
		t.Errorf("results %q", rows)
	}
	if !strings.HasPrefix(b.status.Text, "Stopped at step 3") || b.runBtn.Disabled() {
		t.Errorf("status %q, Run disabled %v", b.status.Text, b.runBtn.Disabled())
	}
	if len(p.log.MarkedLines()) != 0 {
		t.Errorf("a stopped run marks the log: %q", p.log.MarkedLines())
	}
}

// A problem in the file is shown under the editor with its line and column,
// the line is marked, and Run does not start; editing takes the mark away.
func TestSequenceShowsAParseErrorAtItsLine(t *testing.T) {
	useLanguage(t, "en")
	e, _ := newTestEnv(t)
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	b := p.seq
	b.load(writeSequence(t, `connect: tcp://127.0.0.1:9000
steps:
  - send: "LOGIN\r\n"
  - expect: "OK"
    within: 2s
`))
	if b.editor.marked != 5 {
		t.Errorf("line %d marked, want 5", b.editor.marked)
	}
	if want := "⚠ line 5, column 5: "; !strings.HasPrefix(b.note.Text, want) || !strings.Contains(b.note.Text, "within") {
		t.Errorf("note %q, want it to start %q", b.note.Text, want)
	}
	test.Tap(b.runBtn)
	if b.run != nil || !strings.Contains(b.status.Text, "Fix the file first") {
		t.Errorf("run started %v; status %q", b.run != nil, b.status.Text)
	}
	test.Type(b.editor.entry, "#")
	if b.editor.marked != 0 || b.note.Text != "" || !strings.HasSuffix(b.fileLabel.Text, "•") {
		t.Errorf("after an edit: line %d marked, note %q, name %q", b.editor.marked, b.note.Text, b.fileLabel.Text)
	}
}

// With the session closed, the sequence opens its own connection as the file
// says and the session's log shows it; the session's button waits meanwhile.
func TestSequenceOpensItsOwnConnectionWhenTheSessionIsClosed(t *testing.T) {
	useLanguage(t, "en")
	e, q := newTestEnv(t)
	addr := lineServer(t, thermometer(false))
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	b := p.seq
	b.load(writeSequence(t, strings.Replace(thermometerSequence, "ADDR", addr, 1)))
	test.Tap(b.runBtn)
	if !p.connectBtn.Disabled() {
		t.Error("Connect is enabled while the sequence has its own connection")
	}
	uiWait(t, q, "the run to end", func() bool { return b.run == nil })
	if b.results.failed != -1 || !strings.HasPrefix(b.status.Text, "Passed: 8 steps") {
		t.Fatalf("status %q, results %q", b.status.Text, resultRows(b))
	}
	b.results.pick(0)
	if d := detailsText(b.results); !strings.Contains(d, "connected to "+addr) {
		t.Errorf("connect details %q", d)
	}
	uiWait(t, q, "its conversation in this session's log", func() bool {
		return logShows(p.log, "LOGIN admin") && logShows(p.log, "PONG 2") && logShows(p.log, "closed here")
	})
	if p.connectBtn.Disabled() || p.client != nil {
		t.Errorf("after the run: Connect disabled %v, session connected %v", p.connectBtn.Disabled(), p.client != nil)
	}
}

// A file that is for the other protocol, or the other side, is refused with a
// reason before anything connects.
func TestSequenceRefusesAFileForAnotherKindOfSession(t *testing.T) {
	useLanguage(t, "en")
	e, _ := newTestEnv(t)
	u := newUDPPanel(e)
	t.Cleanup(u.Close)
	u.seq.editor.SetText("connect: tcp://127.0.0.1:9000\nsteps:\n  - send: \"x\"\n")
	test.Tap(u.seq.runBtn)
	if u.seq.run != nil || !strings.Contains(u.seq.status.Text, "A UDP session runs udp:// sequences") {
		t.Errorf("UDP ran a tcp:// file: status %q", u.seq.status.Text)
	}
	s := newTCPServerPanel(e)
	t.Cleanup(s.Close)
	s.seq.editor.SetText("connect: tcp://127.0.0.1:9000\nsteps:\n  - send: \"x\"\n")
	test.Tap(s.seq.runBtn)
	if s.seq.run != nil || !strings.Contains(s.seq.status.Text, "This sequence connects") {
		t.Errorf("a stopped server ran a connect: file: status %q", s.seq.status.Text)
	}
}

// In a running TCP server session the sequence talks to its one client over
// the session's connection, as a device simulator would.
func TestSequenceRunsWithATCPServerSessionsClient(t *testing.T) {
	useLanguage(t, "en")
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	test.Tap(p.startBtn)
	if p.srv == nil {
		t.Fatalf("not started: %s", shown(p.session))
	}
	c, err := net.Dial("tcp4", p.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	uiWait(t, q, "the client in the table", func() bool { return len(p.clients.items) == 1 })
	go func() { // the device's client: answers HELLO with HI
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			if sc.Text() == "HELLO" {
				c.Write([]byte("HI\n"))
			}
		}
	}()
	b := p.seq
	b.editor.SetText("listen: tcp://:0\nsteps:\n  - send: \"HELLO\\n\"\n  - expect: \"HI\"\n  - close: true\n")
	runSequence(t, q, b)
	if b.results.failed != -1 || !strings.HasPrefix(b.status.Text, "Passed: 3 steps") {
		t.Fatalf("status %q, results %q, details %q", b.status.Text, resultRows(b), detailsText(b.results))
	}
	uiWait(t, q, "the client disconnected by the close step", func() bool { return len(p.clients.items) == 0 })
	if p.srv == nil {
		t.Error("the close step stopped the server")
	}
}

// The file's path goes with the session into a workspace, and comes back
// opened; Save writes the edited text whole.
func TestSequenceFileIsSavedAndKeptWithTheSession(t *testing.T) {
	useLanguage(t, "en")
	e, _ := newTestEnv(t)
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	path := writeSequence(t, "connect: tcp://127.0.0.1:9000\nsteps:\n  - send: \"a\"\n")
	p.seq.load(path)
	p.seq.editor.entry.SetText("connect: tcp://127.0.0.1:9000\nsteps:\n  - send: \"b\"\n")
	test.Tap(p.seq.saveBtn)
	if data, err := os.ReadFile(path); err != nil || !strings.Contains(string(data), `send: "b"`) {
		t.Fatalf("saved %q, %v", data, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("the save left files behind: %v", entries)
	}
	if strings.HasSuffix(p.seq.fileLabel.Text, "•") || p.seq.status.Text != "Saved thermometer.yaml" {
		t.Errorf("after saving: name %q, status %q", p.seq.fileLabel.Text, p.seq.status.Text)
	}
	ws := p.capture()
	if ws.Settings["sequence.file"] != path {
		t.Fatalf("captured %v", ws.Settings)
	}
	q := newTCPClientPanel(e)
	t.Cleanup(q.Close)
	q.restore(ws)
	if q.seq.path != path || !strings.Contains(q.seq.editor.Text(), `send: "b"`) {
		t.Errorf("restored %q: %q", q.seq.path, q.seq.editor.Text())
	}
	if rec := q.seq.recent.Options; len(rec) == 0 || rec[0] != path {
		t.Errorf("recent files %q", rec)
	}
	gone := filepath.Join(t.TempDir(), "gone.yaml")
	ws.Settings["sequence.file"] = gone
	q.restore(ws)
	if q.seq.path != gone || !strings.HasPrefix(q.seq.status.Text, "⚠") {
		t.Errorf("a missing file: path %q, status %q", q.seq.path, q.seq.status.Text)
	}
	if got := q.capture().Settings["sequence.file"]; got != gone {
		t.Errorf("a missing file's path is not kept: %q", got)
	}
}

// The engine's sentences about a step, as run.go writes them, are said in
// Chinese with what they carry kept as it is; a sentence the table does not
// know is shown as the engine wrote it.
func TestSequenceWordsInChinese(t *testing.T) {
	useLanguage(t, "zh-Hans")
	for en, zh := range map[string]string{
		`a message containing "OK"`:                                         `包含 "OK" 的消息`,
		`a message containing "OK" with a good crc16-modbus checksum`:       `包含 "OK" 的消息，且 crc16-modbus 校验和正确`,
		`a message matching /T=(\d+) for (x)/ (others skipped)`:             `匹配 /T=(\d+) for (x)/ 的消息（其他消息已跳过）`,
		`a message with a bad crc32 checksum`:                               `crc32 校验和错误的消息`,
		`no message containing "ALARM for now" for 1s`:                      `没有包含 "ALARM for now" 的消息（持续 1s）`,
		`nothing within 2s`:                                                 `2s 内什么也没收到`,
		`the connection closed (peer closed)`:                               `连接已关闭（对方已断开连接）`,
		`the connection closed (error): read: connection reset`:             `连接已关闭（错误）: read: connection reset`,
		`could not send: the connection was closed by a close step`:         `无法发送：the connection was closed by a close step`,
		`connected to 127.0.0.1:9000 (local 127.0.0.1:50512)`:               `已连接到 127.0.0.1:9000（本地 127.0.0.1:50512）`,
		`using the connection given`:                                        `通过本会话的连接`,
		`sent "LOGIN admin\r\n"`:                                            `已发送 "LOGIN admin\r\n"`,
		`dial tcp 127.0.0.1:1: connect: connection refused`:                 `dial tcp 127.0.0.1:1: connect: connection refused`,
		`no client connected to 127.0.0.1:9000 within 1m0s`:                 `没有客户端连接到 127.0.0.1:9000（等待了 1m0s）`,
		`the peer to close the connection within 500ms`:                     `对方在 500ms 内关闭连接`,
		`"a message containing x" with a good thing checksum and more text`: `"a message containing x" with a good thing checksum and more text`,
	} {
		if got := seqWords(en); got != zh {
			t.Errorf("seqWords(%q) = %q, want %q", en, got, zh)
		}
	}
}

// detailsText is what the results' details say, line by line.
func detailsText(r *seqResults) string {
	var lines []string
	for _, o := range r.details.Objects {
		if l, ok := o.(*widget.Label); ok {
			lines = append(lines, l.Text)
		}
	}
	return strings.Join(lines, "\n")
}

// isHighlighted reports whether result row id is drawn as the failed step: its
// background tinted and its title bold.
func isHighlighted(r *seqResults, id int) bool {
	o := r.list.CreateItem()
	r.list.UpdateItem(id, o)
	row := o.(*fyne.Container)
	title := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
	return row.Objects[0].(*canvas.Rectangle).FillColor != color.Transparent && title.TextStyle.Bold
}

// The list keeps the newest results of a long run (a repeat of many rounds),
// says how many it left out, and keeps pointing at the failed one.
func TestSequenceResultsAreBounded(t *testing.T) {
	test.NewTempApp(t)
	r := newSeqResults()
	step := &sequence.Step{Kind: sequence.KindSend, Number: "1", Line: 3, Value: "PING"}
	feed := &resultFeed{}
	for range 3 * maxShownResults {
		feed.add(sequence.Result{Step: step, Status: sequence.Passed})
	}
	batch, dropped := feed.take()
	if len(batch) > 2*maxShownResults || uint64(len(batch))+dropped != 3*maxShownResults {
		t.Fatalf("the feed holds %d and dropped %d of %d", len(batch), dropped, 3*maxShownResults)
	}
	r.add(batch, dropped)
	r.add([]sequence.Result{{Step: step, Status: sequence.Failed}, {Step: step, Status: sequence.Skipped}}, 0)
	if len(r.items) != maxShownResults || r.left != 2*maxShownResults+2 {
		t.Errorf("%d results listed, %d left out", len(r.items), r.left)
	}
	if r.failed != maxShownResults-2 || r.items[r.failed].Status != sequence.Failed {
		t.Errorf("the failed result is at %d", r.failed)
	}
}
