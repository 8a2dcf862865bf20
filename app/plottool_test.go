package app

import (
	"encoding/csv"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/app/plot"
	"github.com/sockdesk/sockdesk/netio"
)

// plotTab is the drawer's Plot tool of a session.
func plotTab(t *testing.T, s *session) bool {
	t.Helper()
	for _, tool := range s.drawer.Tools() {
		if tool.ID == toolPlot {
			return tool.Marked()
		}
	}
	t.Fatal("the session has no Plot tool")
	return false
}

// A UDP session with a kv rule plots what two peers send: a series per value
// name and peer, every value, including those of datagrams that hold other words.
func TestPlotToolPlotsValuesFromUDPPeers(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	if plotTab(t, p.session) {
		t.Error("the Plot tab is marked without rules")
	}
	p.plot.rules.addRow("kv")
	p.plot.rules.apply()
	if !plotTab(t, p.session) || p.plot.rules.status.Text != "1 of 1 rules in use" {
		t.Errorf("with a rule: marked %v, status %q", plotTab(t, p.session), p.plot.rules.status.Text)
	}
	local := p.ep.LocalAddr().(*net.UDPAddr)
	a, b := udpPeer(t, ""), udpPeer(t, "")
	for i, msg := range []string{"温度=23.5℃ 湿度=41%", "no numbers here", "温度=-1.5e1℃"} {
		a.WriteToUDP([]byte(msg), local)
		if i == 0 {
			b.WriteToUDP([]byte("温度: 19"), local)
		}
	}
	ka := plot.SeriesKey("温度", a.LocalAddr().String())
	kb := plot.SeriesKey("温度", b.LocalAddr().String())
	kh := plot.SeriesKey("湿度", a.LocalAddr().String())
	uiWait(t, q, "four values plotted", func() bool { return p.plot.feed.points.Load() == 4 })
	if got := p.plot.chart.Series(); len(got) != 3 || !slices.Contains(got, ka) || !slices.Contains(got, kb) || !slices.Contains(got, kh) {
		t.Fatalf("series %q, want %q, %q and %q", got, ka, kh, kb)
	}
	path := filepath.Join(t.TempDir(), "plot.csv")
	if err := p.plot.writeCSV(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(key string) []string {
		i := slices.Index(records[0], key)
		if i < 0 {
			t.Fatalf("CSV header %q lacks %q", records[0], key)
		}
		var out []string
		for _, r := range records[1:] {
			if r[i] != "" {
				out = append(out, r[i])
			}
		}
		return out
	}
	if got := col(ka); !slices.Equal(got, []string{"23.5", "-15"}) {
		t.Errorf("%s: %q", ka, got)
	}
	if got := col(kb); !slices.Equal(got, []string{"19"}) {
		t.Errorf("%s: %q", kb, got)
	}
	if got := col(kh); !slices.Equal(got, []string{"41"}) {
		t.Errorf("%s: %q", kh, got)
	}

	// Without rules, nothing more is extracted.
	p.plot.rules.deleteRow(p.plot.rules.rows[0])
	a.WriteToUDP([]byte("温度=30"), local)
	uiWait(t, q, "the datagram", func() bool { return logShows(p.log, "温度=30") })
	if n := p.plot.feed.points.Load(); n != 4 || plotTab(t, p.session) {
		t.Errorf("without rules: %d values plotted, tab marked %v", n, plotTab(t, p.session))
	}
}

// A TCP server plots each client's values as series of their own.
func TestPlotToolSeriesPerClient(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	p.plot.rules.setSpecs([]string{`re:v=(?P<v>\d+)`})
	test.Tap(p.startBtn)
	if p.srv == nil {
		t.Fatalf("not started: %s", shown(p.session))
	}
	var keys []string
	for i := range 2 {
		c, err := net.Dial("tcp4", p.srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("v=" + string(rune('1'+i))))
		keys = append(keys, plot.SeriesKey("v", c.LocalAddr().String()))
	}
	uiWait(t, q, "two series", func() bool { return len(p.plot.chart.Series()) == 2 })
	if got := p.plot.chart.Series(); !slices.Contains(got, keys[0]) || !slices.Contains(got, keys[1]) {
		t.Errorf("series %q, want %q", got, keys)
	}
}

// A rule that does not parse says why under its row, with the position; the
// valid rules stay in use; an empty row is no rule yet and no error.
func TestPlotRuleErrorsAreShownAtTheRule(t *testing.T) {
	e, _ := newTestEnv(t)
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	r := p.plot.rules
	r.setSpecs([]string{"kv", "bin:t@2:u24", "", "re:(?P<x"})
	if r.active != 1 || r.status.Text != "1 of 4 rules in use" {
		t.Errorf("active %d, status %q", r.active, r.status.Text)
	}
	if got := r.rows[1].note.Text(); !strings.HasPrefix(got, "⚠ At character 9: ") || !strings.Contains(got, `unknown type "u24"`) {
		t.Errorf("bin rule note %q", got)
	}
	if got := r.rows[3].note.Text(); !strings.HasPrefix(got, "⚠ At character 4: regular expression") {
		t.Errorf("re rule note %q", got)
	}
	if r.rows[0].note.Text() != "" || r.rows[2].note.Text() != "" {
		t.Errorf("notes on good and empty rows: %q, %q", r.rows[0].note.Text(), r.rows[2].note.Text())
	}
	if rules := p.extract.stage.Load(); rules == nil {
		t.Error("the valid rule is not in use")
	}
	r.rows[1].spec.SetText("bin:t@2:u16be*0.1")
	if r.active != 2 || r.rows[1].note.Text() != "" {
		t.Errorf("after the fix: %d active, note %q", r.active, r.rows[1].note.Text())
	}
}

// The rules and the time window are saved with the session, and in the kind's
// preferences for the next session of that kind.
func TestPlotRulesAreSavedWithTheSession(t *testing.T) {
	e, _ := newTestEnv(t)
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	p.plot.rules.setSpecs([]string{"json", "bin:t@0:i16le*0.01"})
	p.plot.chart.SetWindow(5 * time.Minute)
	ws := p.capture()
	if got := ws.Lists[plotRulesKey]; !slices.Equal(got, []string{"json", "bin:t@0:i16le*0.01"}) {
		t.Errorf("saved rules %q", got)
	}
	if ws.Settings["plot.window"] != "5m0s" {
		t.Errorf("saved window %q", ws.Settings["plot.window"])
	}

	other := newTCPClientPanel(e) // the preferences give the last rules
	t.Cleanup(other.Close)
	if got := other.plot.rules.specs(); !slices.Equal(got, []string{"json", "bin:t@0:i16le*0.01"}) {
		t.Errorf("a new session starts with %q", got)
	}
	ws.Lists[plotRulesKey] = []string{"csv"}
	other.restore(ws)
	if got := other.plot.rules.specs(); !slices.Equal(got, []string{"csv"}) || other.plot.chart.Window() != 5*time.Minute {
		t.Errorf("restored %q, window %v", got, other.plot.chart.Window())
	}
}

// The chart moves with the clock while the tool is shown: a timer ticks it on
// the UI goroutine, stopped when another tool is shown and when the session
// closes (goleak checks that it is gone).
func TestPlotTimerRunsWhileShown(t *testing.T) {
	e, q := newTestEnv(t)
	e.win.Resize(fyne.NewSize(1000, 700))
	p := newUDPPanel(e)
	e.win.SetContent(p.Object())
	defer p.Close()
	if p.plot.tick.halt != nil {
		t.Fatal("the timer runs while the tool is not shown")
	}
	p.drawer.Show(toolPlot)
	if p.plot.tick.halt == nil {
		t.Fatal("showing the tool did not start the timer")
	}
	deadline := time.Now().Add(5 * time.Second)
	for q.Flush() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no tick reached the UI goroutine")
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.drawer.Show(toolConnection)
	if p.plot.tick.halt != nil {
		t.Error("the timer runs on with another tool shown")
	}
	p.drawer.Show(toolPlot)
	p.Close()
	if p.plot.tick.halt != nil {
		t.Error("the timer runs on after Close")
	}
	q.Flush() // a tick already queued runs harmlessly
}

// The tool speaks the UI language, switched at once.
func TestPlotToolFollowsTheLanguage(t *testing.T) {
	useLanguage(t, "en")
	e, _ := newTestEnv(t)
	p := newRelayPanel(e)
	t.Cleanup(p.Close)
	i18n := func(code string) {
		useLanguage(t, code)
		p.relabel()
	}
	i18n("zh-Hans")
	var caption string
	for _, tool := range p.drawer.Tools() {
		if tool.ID == toolPlot {
			caption = tool.Caption()
		}
	}
	if caption != "曲线" || p.plot.clearBtn.Text != "清空图表" || p.plot.rules.addBtn.Text != "添加规则" {
		t.Errorf("tab %q, clear %q, add %q", caption, p.plot.clearBtn.Text, p.plot.rules.addBtn.Text)
	}
	if p.plot.rules.status.Text != "没有规则：添加一条即可绘制收到的数据" {
		t.Errorf("status %q", p.plot.rules.status.Text)
	}
}

// A relay's values are labelled with the way they went; other sessions' with
// the peer.
func TestValueSource(t *testing.T) {
	for _, c := range []struct {
		e    netio.Event
		want string
	}{
		{netio.Event{Peer: "127.0.0.1:5000"}, "127.0.0.1:5000"},
		{netio.Event{Peer: "127.0.0.1:5000", Target: "127.0.0.1:502", Dir: netio.DirToTarget}, "127.0.0.1:5000 → 127.0.0.1:502"},
		{netio.Event{Peer: "127.0.0.1:5000", Target: "127.0.0.1:502", Dir: netio.DirToClient}, "127.0.0.1:502 → 127.0.0.1:5000"},
	} {
		if got := valueSource(&c.e); got != c.want {
			t.Errorf("%+v: %q, want %q", c.e, got, c.want)
		}
	}
}
