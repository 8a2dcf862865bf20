package app

import (
	"slices"
	"time"

	"fyne.io/fyne/v2/theme"

	"github.com/sockdesk/sockdesk/app/anatomy"
	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/app/logview"
	"github.com/sockdesk/sockdesk/app/seqdiagram"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/layers"
)

// The tools that show a session's messages as the wire carried them: the
// anatomy of the log's selected row (every socket session), and the
// handshake and close of a TCP client's connection.
const (
	toolAnatomy   = "anatomy"
	toolHandshake = "handshake"
)

// anatomyTool draws the message of the log's selected row as its frames.
//
// A TCP message's frames carry the sequence numbers its connection had
// reached, so layers.Anatomy must see the session's events up to the
// selected one, in the order they happened. They are replayed from the log
// when a row is selected (nothing is spent while none is), in the order of
// their times: a reply's received event may be emitted, and logged, before
// its request's sent event, though its time is later.
type anatomyTool struct {
	view *anatomy.View
	log  *logview.View
}

// addAnatomyTool gives the session the Anatomy tool.
func (s *session) addAnatomyTool() {
	t := &anatomyTool{view: anatomy.New(), log: s.log}
	s.anatomy = t
	s.log.SetOnSelect(t.selected)
	// Wide enough for a layer's sentence to read in two or three lines.
	s.addTool(toolAnatomy, func() string { return tr("Anatomy") }, theme.ZoomInIcon(), fit.Width(t.view.Object(), 460))
	s.words(t.view.Relabel)
}

// selected draws the row the log selected (UI goroutine).
func (t *anatomyTool) selected(e netio.Event, seq uint64, ok bool) {
	switch {
	case !ok:
		t.view.Clear()
	case (e.Kind != netio.EventSent && e.Kind != netio.EventReceived) || len(e.Data) == 0:
		t.view.ShowNoBytes()
	default:
		msgs, err := t.messages(e, seq)
		if err != nil {
			t.view.ShowError(err)
			return
		}
		t.view.Show(msgs)
	}
}

// messages are the frames of event seq, e, after every event the log holds
// that happened before it.
func (t *anatomyTool) messages(e netio.Event, seq uint64) ([]layers.Message, error) {
	type moment struct {
		at  time.Time
		seq uint64
	}
	var before []moment
	for n := t.log.FirstHeld(); n < t.log.Pushed(); n++ {
		if ev, ok := t.log.Event(n); ok && n != seq && (ev.Time.Before(e.Time) || ev.Time.Equal(e.Time) && n < seq) {
			before = append(before, moment{ev.Time, n})
		}
	}
	slices.SortStableFunc(before, func(a, b moment) int { return a.at.Compare(b.at) })
	a := layers.NewAnatomy()
	for _, m := range before {
		if ev, ok := t.log.Event(m.seq); ok {
			a.Messages(ev) // only its effect on the connection counts here
		}
	}
	return a.Messages(e)
}

// handshakeTool draws a TCP client's latest connection as a sequence
// diagram, following the session's events.
type handshakeTool struct {
	tracker seqdiagram.Tracker
	view    *seqdiagram.View
}

// addHandshakeTool gives a TCP client session the Handshake tool.
func (s *session) addHandshakeTool() {
	t := &handshakeTool{view: seqdiagram.New()}
	s.handshake = t
	// Wide enough for the facts beside the drawing to read as sentences.
	s.addTool(toolHandshake, func() string { return tr("Handshake") }, theme.HistoryIcon(), fit.Width(t.view.Object(), 440))
	s.watchers = append(s.watchers, func(batch []netio.Event) {
		if t.tracker.Watch(batch) {
			t.draw()
		}
	})
	s.words(t.draw)
}

func (t *handshakeTool) draw() {
	d, ok := t.tracker.Diagram()
	if !ok {
		t.view.SetMessage(tr("Connect to see the connection as its segments between the client and the server: the three-way handshake, each message, and the close in the order it happens."))
		return
	}
	t.view.Set(d)
}
