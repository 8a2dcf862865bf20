package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/logview"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// queueSize is how many display events a session buffers between its socket
// goroutines and its pump, and queueBytes how much payload they may hold together;
// beyond either, display copies are dropped and counted (the engine's counters still
// see everything). 16,384 events are four batches (maxBatch): 400 ms of the most
// the display takes while a stream runs. The queue's slots are allocated up
// front, and at full rate it is always full, so a larger one only costs memory.
const (
	queueSize  = 16384
	queueBytes = 16 << 20
)

// panel is one session tab: UDP, TCP client, TCP server, TCP relay or web trace.
type panel interface {
	Object() fyne.CanvasObject
	Title() string // what the tab says, with the state, e.g. "UDP :7788 ●"
	Close()        // stops the endpoint and every goroutine of the session
}

// session holds what every panel shares: the event queue and its pump, the log,
// the counters, the charset choice and a status line.
type session struct {
	env
	queue    *netio.Queue
	sink     *liveSink // what the endpoint emits to: checks, saves, then queues
	pump     *pump
	log      *logview.View
	counters *countersView
	status   *widget.Label
	charset  *widget.Select

	rules     *rulesBox          // the auto-reply rules of a socket session, or nil
	stats     func() netio.Stats // the last endpoint's counters, or nil (UI goroutine)
	onEvents  func([]netio.Event)
	onChanged func() // the title or state changed; the window retitles the tab
}

func newSession(e env) *session {
	s := &session{
		env:      e,
		queue:    netio.NewQueueBytes(queueSize, queueBytes),
		log:      logview.New(e.app, e.win, logview.DefaultCapacity),
		counters: newCountersView(),
		status:   widget.NewLabel(""),
	}
	s.sink = &liveSink{next: s.queue}
	s.status.Wrapping = fyne.TextWrapWord
	names := make([]string, 0, len(charset.All()))
	for _, cs := range charset.All() {
		names = append(names, cs.Name())
	}
	s.charset = widget.NewSelect(names, nil)
	s.charset.SetSelected(charset.UTF8.Name())
	s.pump = startPump(e.ui, s.queue, s.apply)
	return s
}

// rememberCharset restores the kind's last charset and remembers each new choice.
func (s *session) rememberCharset(p prefs) {
	if name := p.get("charset", ""); name != "" {
		if cs, err := charset.Lookup(name); err == nil {
			s.charset.SetSelected(cs.Name())
		}
	}
	s.charset.OnChanged = func(name string) { p.set("charset", name) }
}

// Charset is the session's chosen charset.
func (s *session) Charset() *charset.Charset {
	cs, err := charset.Lookup(s.charset.Selected)
	if err != nil {
		return charset.UTF8
	}
	return cs
}

// apply runs on the UI goroutine with one batch of events from the pump.
func (s *session) apply(batch []netio.Event) {
	if uiProbe != nil {
		defer uiProbe.batch(len(batch), time.Now(), s.log.Held)
	}
	if len(batch) > 0 {
		s.log.Append(batch)
		if s.onEvents != nil {
			s.onEvents(batch)
		}
		if s.rules != nil {
			s.rules.watch(batch)
		}
	}
	if s.stats != nil {
		s.counters.Update(s.stats(), time.Now())
	}
	s.log.SetDropped(s.queue.Dropped())
}

// setStatus shows a message in the status line (UI goroutine).
func (s *session) setStatus(msg string) { s.status.SetText(msg) }

// setError shows an error in the status line, or clears it for nil (UI goroutine).
func (s *session) setError(err error) {
	if err == nil {
		s.status.SetText("")
		return
	}
	s.status.SetText("⚠ " + errorText(err))
}

// setOnChanged lets the window retitle the tab when the session's state changes.
func (s *session) setOnChanged(fn func()) { s.onChanged = fn }

func (s *session) changed() {
	if s.onChanged != nil {
		s.onChanged()
	}
}

// layout puts a panel together: its form on top, the log in the middle, the send
// box (and extras such as the generator), counters and status at the bottom.
func (s *session) layout(form fyne.CanvasObject, send *sendBox, extras ...fyne.CanvasObject) fyne.CanvasObject {
	top := container.NewVBox(form, widget.NewSeparator())
	// The log and the sending tools share the middle, split by a bar the user can
	// drag (placed by toolsFit until then); the tools scroll, so opening the
	// generator or the auto-reply rules never squeezes the log down to a few rows.
	tools := container.NewVBox(send.Object())
	for _, x := range extras {
		tools.Add(x)
	}
	middle := container.NewVSplit(s.log.Object(), container.NewVScroll(tools))
	bottom := container.NewVBox(widget.NewSeparator(), s.counters.Object(), s.status)
	return container.NewBorder(top, bottom, nil, nil, newToolsFit(middle, tools))
}

// stop ends the pump; the panel closes its endpoint first.
func (s *session) stop() {
	s.pump.Stop()
}
