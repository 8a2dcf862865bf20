package app

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/sockdesk/sockdesk/netio"
)

// gateSink passes events on and, at the first closed event, holds the engine's
// goroutine until released: the closed event is then in the session's queue while
// the connection has not finished ending (its Done channel is still open).
type gateSink struct {
	next     netio.Sink
	emitted  chan struct{} // closed once the closed event is queued
	release  chan struct{} // closed by the test to let the engine go on
	tripped  bool          // touched only by the one reading goroutine
	deadline time.Duration
}

func (g *gateSink) Emit(e netio.Event) {
	g.next.Emit(e)
	if e.Kind != netio.EventClosed || g.tripped {
		return
	}
	g.tripped = true
	close(g.emitted)
	select {
	case <-g.release:
	case <-time.After(g.deadline):
	}
}

// The panel learns that the server closed the connection from the closed event it
// applies, not from the engine's Done channel: applied before Done closes, that
// event alone turns the panel back to "Connect", with the log and the state
// agreeing on who closed.
func TestTCPClientPanelClosedByItsEvent(t *testing.T) {
	e, q := newTestEnv(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	gate := &gateSink{next: p.sink.next, emitted: make(chan struct{}), release: make(chan struct{}), deadline: 10 * time.Second}
	p.sink.next = gate
	released := false
	release := func() {
		if !released {
			released = true
			close(gate.release)
		}
	}
	t.Cleanup(release)

	p.host.SetText("127.0.0.1")
	p.port.SetText(strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	test.Tap(p.connectBtn)
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	uiWait(t, q, "connected", func() bool { return p.client != nil })
	c := p.client

	peer.Close()
	select {
	case <-gate.emitted:
	case <-time.After(5 * time.Second):
		t.Fatal("no closed event")
	}
	uiWait(t, q, "the closed event applied", func() bool { return logShows(p.log, "closed") })
	select {
	case <-c.Done():
		t.Fatal("the connection's Done closed while its closed event was held")
	default:
	}
	if p.connectBtn.Text != "Connect" || p.live.Load() != nil {
		t.Errorf("after the closed event: button %q, still live %v", p.connectBtn.Text, p.live.Load() != nil)
	}
	if !strings.Contains(p.bar.Text(), "server closed") {
		t.Errorf("state %q", p.bar.Text())
	}
	release()
}
