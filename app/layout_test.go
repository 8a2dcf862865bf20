package app

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio"
)

// defaultSize is the app's default window; menuBar is what the real window's
// in-window menu bar takes of its height (measured under Xvfb: 27 px), which the
// test driver does not draw. The layout tests give the sessions the height they
// get in the real window.
var (
	defaultSize = fyne.NewSize(1000, 700)
	menuBar     = float32(27)
)

// windowWith opens a main window of the default size, as the real one lays it out,
// with one session of kind k in front.
func windowWith(t *testing.T, e env, k sessionKind) (*mainWindow, panel) {
	t.Helper()
	m := newMainWindow(e)
	t.Cleanup(m.closeAll)
	p := m.openSession(m.newChooserTab(), k)
	e.win.Resize(fyne.NewSize(defaultSize.Width, defaultSize.Height-menuBar))
	return m, p
}

func kindNamed(t *testing.T, name string) sessionKind {
	t.Helper()
	for _, k := range sessionKinds {
		if k.name == name {
			return k
		}
	}
	t.Fatalf("no session kind %q", name)
	return sessionKind{}
}

func sessionOf(p panel) *session {
	switch p := p.(type) {
	case *udpPanel:
		return p.session
	case *tcpClientPanel:
		return p.session
	case *tcpServerPanel:
		return p.session
	case *relayPanel:
		return p.session
	}
	return nil
}

// At the default window size the log shows at least 20 rows in every kind of
// socket session, with its connection settings open beside it.
func TestLogShowsTwentyRowsAtTheDefaultSize(t *testing.T) {
	for _, name := range []string{"UDP", "TCP client", "TCP server", "TCP relay"} {
		t.Run(name, func(t *testing.T) {
			e, _ := newTestEnv(t)
			_, p := windowWith(t, e, kindNamed(t, name))
			s := sessionOf(p)
			if s.drawer.Open() != toolConnection {
				t.Fatalf("the drawer shows %q", s.drawer.Open())
			}
			if n := s.log.RowsShown(); n < 20 {
				t.Errorf("the log shows %d rows (list %v)", n, s.log.Object().Size())
			}
			// The log is the largest thing in the session.
			logSize := s.log.Object().Size()
			for _, o := range []fyne.CanvasObject{s.form.Object(), s.bar.Object()} {
				if sz := o.Size(); sz.Width*sz.Height >= logSize.Width*logSize.Height {
					t.Errorf("%T is %v, the log only %v", o, sz, logSize)
				}
			}
		})
	}
}

// A server's client table at the default size has room for six clients under its
// header, and shows every column whole: address, family, since, and messages and
// bytes each way, with real clients and counters.
func TestMemberTablesShowSixWholeRows(t *testing.T) {
	t.Run("TCP server", func(t *testing.T) {
		e, q := newTestEnv(t)
		_, pp := windowWith(t, e, kindNamed(t, "TCP server"))
		p := pp.(*tcpServerPanel)
		p.bindAddr.SetText("127.0.0.1")
		p.bindPort.SetText("0")
		test.Tap(p.startBtn)
		if p.srv == nil {
			t.Fatalf("not started: %s", shown(p.session))
		}
		for i := range 7 {
			c, err := net.Dial("tcp4", p.srv.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.Write([]byte(strings.Repeat("x", 1000*(i+1))))
		}
		uiWait(t, q, "seven clients with their bytes", func() bool {
			if len(p.clients.items) != 7 {
				return false
			}
			for _, c := range p.clients.items {
				if c.Stats.BytesIn == 0 {
					return false
				}
			}
			return true
		})
		p.clients.refresh()
		assertWholeTable(t, p.clients, e.win)
	})
	t.Run("TCP relay", func(t *testing.T) {
		e, q := newTestEnv(t)
		target := netio.NewTCPServer(netio.TCPServerConfig{Bind: "127.0.0.1:0", Echo: true})
		if err := target.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		defer target.Close()
		_, pp := windowWith(t, e, kindNamed(t, "TCP relay"))
		p := pp.(*relayPanel)
		p.bindAddr.SetText("127.0.0.1")
		p.bindPort.SetText("0")
		p.targetHost.SetText("127.0.0.1")
		p.targetPort.SetText(strconv.Itoa(target.Addr().(*net.TCPAddr).Port))
		test.Tap(p.startBtn)
		if p.relay == nil {
			t.Fatalf("not started: %s", shown(p.session))
		}
		for range 6 {
			c, err := net.Dial("tcp4", p.relay.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.Write([]byte("hello, target"))
		}
		uiWait(t, q, "six pairs with bytes both ways", func() bool {
			if len(p.pairs.items) != 6 {
				return false
			}
			for _, c := range p.pairs.items {
				if c.Stats.BytesOut == 0 {
					return false
				}
			}
			return true
		})
		p.pairs.refresh()
		assertWholeTable(t, p.pairs, e.win)
	})
}

func assertWholeTable[T any](t *testing.T, m *memberList[T], w fyne.Window) {
	t.Helper()
	size := m.table.Size()
	row := fyne.MeasureText("Hg", 14, fyne.TextStyle{}).Height + 2*memberCellPadding
	if rows := int(size.Height / (row + 4)); rows < minMemberRows+1 {
		t.Errorf("the table is %.0f high: room for %d rows with its header, want %d", size.Height, rows, minMemberRows+1)
	}
	if size.Width < m.width() {
		t.Errorf("the table is %.0f wide, its columns need %.0f", size.Width, m.width())
	}
	for c, col := range m.columns {
		need := fyne.MeasureText(col.title(), 14, fyne.TextStyle{Bold: true}).Width
		for r := 0; r <= len(m.items); r++ {
			need = max(need, fyne.MeasureText(m.cellText(r, c), 14, fyne.TextStyle{}).Width)
		}
		if m.widths[c] < need+2*memberCellPadding {
			t.Errorf("column %q is %.0f wide, its text needs %.0f", col.title(), m.widths[c], need)
		}
	}
	// The table lies inside the window, not cut by its edge.
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(m.table)
	if right := pos.X + size.Width; right > w.Canvas().Size().Width {
		t.Errorf("the table reaches x=%.0f, the window is %.0f wide", right, w.Canvas().Size().Width)
	}
}

// Nothing moves when an error comes or goes: not the Send button, wherever the
// error is shown (the send box's line, a field of the settings, the session bar).
func TestErrorsLeaveSendWhereItWas(t *testing.T) {
	e, q := newTestEnv(t)
	_, pp := windowWith(t, e, kindNamed(t, "UDP"))
	p := pp.(*udpPanel)
	where := func() fyne.Position { return fyne.CurrentApp().Driver().AbsolutePositionForObject(p.send.sendBtn) }
	at := where()
	check := func(what string) {
		t.Helper()
		if now := where(); now != at {
			t.Errorf("%s: Send moved from %v to %v", what, at, now)
		}
	}

	// A bind error at its field.
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("70000")
	test.Tap(p.openBtn)
	if !strings.Contains(fieldErrors(p.form), "Local port: port 70000 is out of range") {
		t.Fatalf("field errors %q", fieldErrors(p.form))
	}
	check("a bind error")
	p.bindPort.SetText("0")
	if fieldErrors(p.form) != "" {
		t.Errorf("the error stayed after the port changed: %q", fieldErrors(p.form))
	}
	test.Tap(p.openBtn)
	if p.ep == nil {
		t.Fatalf("not open: %s", shown(p.session))
	}
	check("opening")

	// A payload error, then a send error, in the send box's line.
	p.send.mode.SetSelected("Hex")
	p.send.entry.SetText("c4 zz")
	test.Tap(p.send.sendBtn)
	if !p.send.note.isError() {
		t.Fatal("no payload error")
	}
	check("a payload error")
	p.send.entry.SetText("c4 e3")
	check("the payload error gone")
	p.dstHost.SetText("127.255.255.255")
	test.Tap(p.send.sendBtn)
	uiWait(t, q, "the broadcast refusal", func() bool { return strings.Contains(p.send.note.Text(), "turn Broadcast on") })
	check("a send error")
	// Its cause goes: the message goes with it.
	test.Tap(p.broadcast)
	if strings.Contains(p.send.note.Text(), "Broadcast") {
		t.Errorf("the refusal stayed after Broadcast was turned on: %q", p.send.note.Text())
	}
	check("Broadcast turned on")
	// An error about no field, in the session bar: after the state, which stays.
	p.setError(net.ErrClosed)
	check("an error in the session bar")
	if got := p.bar.Text(); !strings.HasPrefix(got, "Listening on ") || !strings.Contains(got, "⚠") {
		t.Errorf("the session bar says %q", got)
	}
	p.setError(nil)
	if got := p.bar.Text(); !strings.HasPrefix(got, "Listening on ") || strings.Contains(got, "⚠") {
		t.Errorf("after the error went, the session bar says %q", got)
	}
}

// Follow keeps the newest row in sight through resizes, the drawer folding and
// opening, and tab switches.
func TestFollowSurvivesResizesSplitsAndTabs(t *testing.T) {
	e, q := newTestEnv(t)
	m, pp := windowWith(t, e, kindNamed(t, "UDP"))
	p := pp.(*udpPanel)
	other := m.openSession(m.newChooserTab(), kindNamed(t, "TCP client"))
	m.tabs.Select(m.tabs.Items[0])
	batch := func(from int) {
		evs := make([]netio.Event, 100)
		for i := range evs {
			evs[i] = netio.Event{Time: time.Now(), Kind: netio.EventReceived, Proto: "udp", Peer: "127.0.0.1:5000",
				Data: []byte("x"), Text: "row " + strconv.Itoa(from+i)}
		}
		p.log.Append(evs)
	}
	batch(0)
	q.Flush()
	atEnd := func(what string) {
		t.Helper()
		if !p.log.AtEnd() {
			t.Errorf("%s: the log left its end", what)
		}
	}
	atEnd("at first")
	for _, size := range []fyne.Size{{Width: 1280, Height: 900}, {Width: 800, Height: 500}, {Width: 1000, Height: 673}} {
		e.win.Resize(size)
		atEnd(fmt.Sprintf("resized to %v", size))
	}
	p.drawer.Fold()
	atEnd("the drawer folded")
	p.drawer.Show(toolAutoReply)
	atEnd("another tool opened")
	m.tabs.Select(m.tabs.Items[1])
	e.win.Resize(fyne.NewSize(1100, 760))
	batch(100)
	m.tabs.Select(m.tabs.Items[0])
	atEnd("back from another tab, resized meanwhile")
	_ = other
}

// At the default size a busy session's bar shows its state and its counters
// whole (the counters leaving their message rates out to fit), in both
// languages, and in a UDP session, whose counters also say what the system
// dropped.
func TestSessionBarShowsTheCountersWhole(t *testing.T) {
	const connected, listening = "Connected to 127.0.0.1:44243 from 127.0.0.1:53972", "Listening on 127.0.0.1:48844"
	for _, c := range []struct{ lang, kind, state string }{
		{"en", "TCP client", connected}, {"zh-Hans", "TCP client", connected},
		{"en", "UDP", listening}, {"zh-Hans", "UDP", listening},
	} {
		t.Run(c.lang+" "+c.kind, func(t *testing.T) {
			useLanguage(t, c.lang)
			e, _ := newTestEnv(t)
			_, p := windowWith(t, e, kindNamed(t, c.kind))
			s := sessionOf(p)
			s.bar.setState(stateActive, func() string { return c.state })
			now := time.Now()
			s.counters.Update(netio.Stats{DropsCounted: true}, now)
			busy := netio.Stats{MsgsIn: 12345, BytesIn: 1234567, MsgsOut: 12345, BytesOut: 1234567, DropsCounted: true, Dropped: 123}
			s.counters.Update(busy, now.Add(time.Second))
			shown, words := s.counters.Object().Size().Width, s.counters.label.MinSize().Width
			if shown < words {
				t.Errorf("the counters have %.0f of the %.0f px their words need: %q", shown, words, s.counters.Text())
			}
			if shown, words := s.bar.state.Size().Width, textWidth(s.bar.state.Text, s.bar.state.TextStyle); shown < words {
				t.Errorf("the state has %.0f of the %.0f px its words need", shown, words)
			}
			if w := s.bar.Object().Size().Width; w > defaultSize.Width {
				t.Errorf("the bar is %.0f px wide", w)
			}
			if strings.Contains(s.counters.Text(), "/s,") {
				t.Errorf("at %v the counters keep their message rates: %q", defaultSize, s.counters.Text())
			}
			e.win.Resize(fyne.NewSize(1600, 900)) // room for them
			if !strings.Contains(s.counters.Text(), "/s,") {
				t.Errorf("at 1600 px the counters leave their message rates out: %q", s.counters.Text())
			}
		})
	}
}

// A failure after the state is shown whole, the counters idle or busy; a
// long state without one takes the width the idle counters leave it, and gives
// back what it took beyond its share when they grow.
func TestSessionBarGivesAFailureAndALongStateTheirRoom(t *testing.T) {
	e, _ := newTestEnv(t)
	_, p := windowWith(t, e, kindNamed(t, "TCP client"))
	s := sessionOf(p)
	whole := func(what string, l *widget.Label) {
		t.Helper()
		if shown, words := l.Size().Width, textWidth(l.Text, l.TextStyle); shown < words {
			t.Errorf("%s has %.0f of the %.0f px its words need: %q", what, shown, words, l.Text)
		}
	}
	now := time.Now()
	idle := func() { s.counters.Update(netio.Stats{}, now) }
	busy := func() {
		s.counters.Update(netio.Stats{MsgsIn: 12345, BytesIn: 1234567, MsgsOut: 12345, BytesOut: 1234567}, now.Add(time.Second))
	}

	idle()
	s.bar.setState(stateIdle, func() string { return "Disconnected" })
	s.bar.setError(errors.New("connecting to 127.0.0.1:9000: connection refused: nothing is listening there"))
	whole("the failure", s.bar.errLabel)
	busy()
	whole("the state", s.bar.state)
	whole("the failure, the counters busy", s.bar.errLabel)

	s.counters.samples = nil
	idle()
	s.bar.setState(stateActive, func() string {
		return "Listening on 127.0.0.1:9301 · frames end at LF · TLS, a certificate of its own"
	})
	whole("a long state", s.bar.state)
	whole("the idle counters", s.counters.label)
	row := s.bar.row.Size().Width
	if w := s.bar.stateBox.Size().Width; w <= row*stateShare {
		t.Fatalf("the long state has %.0f px, no more than its share of %.0f: the test shows nothing", w, row)
	}
	busy()
	if w := s.bar.stateBox.Size().Width; w > row*stateShare+1 {
		t.Errorf("busy counters, and the long state keeps %.0f of %.0f px", w, row)
	}
}
