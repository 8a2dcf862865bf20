package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/drawer"
	"github.com/sockdesk/sockdesk/app/logview"
	"github.com/sockdesk/sockdesk/app/workspace"
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

// session holds what every socket session shares, and lays it out the same way
// for every kind — the conversation first:
//
//	┌─tabs─┬─pane──────────┬─conversation──────────────────────────────┐
//	│ ⚙    │ Connection    │ [Text▾] [filter……] ⏸ ☑Follow ⧉ ✕ 💾       │
//	│ ✉    │ Local address │ 15:04:05.123 ← [127.0.0.1:5050] 6 B: 你好  │
//	│ ⏩   │ [0.0.0.0    ] │ …                                          │
//	│ ↩    │ ⚠ note        │ (the log: every row the height allows)     │
//	│ 📂   │ …             ├────────────────────────────────────────────┤
//	│      │               │ [Text▾] [message…………] [No line end▾] [Send]│
//	│      │               │ ⚠ the send box's note                      │
//	├──────┴───────────────┴────────────────────────────────────────────┤
//	│ [Open] ● Listening on 0.0.0.0:7788          In 3 msgs …  Out …    │
//	└───────────────────────────────────────────────────────────────────┘
//
// Down the left, the drawer's side tabs: one per tool (addTool), the first the
// connection settings; the pane beside them shows the chosen tool and folds away
// when its tab is tapped again. The conversation — the log, with the send box
// docked under it — has the rest of the width and all of the height. Along the
// bottom, the session bar: the session's one button (Open, Connect, Start), its
// state in one fixed place, and its counters.
type session struct {
	env
	kind     string // the workspace's name for the kind: "udp", "tcp-client", ...
	queue    *netio.Queue
	sink     *liveSink     // what the endpoint emits to: checks, saves, then extracts and queues
	extract  *extractStage // the plot's extraction, before the queue
	pump     *pump
	log      *logview.View
	counters *countersView
	charset  *widget.Select

	form         *fieldForm // the connection settings, the first tool
	toolForms    []toolForm // the tools' own forms, where their errors are shown
	drawer       *drawer.Drawer
	conversation *fyne.Container // the log, with the send box docked under it
	bar          *sessionBar
	object       fyne.CanvasObject
	wordFns      []func()          // write the session's words; again when the language changes
	kept         []kept            // the settings a workspace saves and restores
	keptLists    []keptList        // settings with many values (the auto-reply rules)
	unknown      workspace.Session // settings a file gave that this version does not use

	rules     *rulesBox             // the auto-reply rules of a socket session, or nil
	messages  *messagesTool         // the message buttons of a sending session, or nil
	watchers  []func([]netio.Event) // tools that follow the events (the handshake diagram)
	anatomy   *anatomyTool          // the selected row's frames (layertools.go)
	handshake *handshakeTool        // a TCP client's connection as a diagram, or nil
	plot      *plotTool             // the Plot tool of a receiving session, or nil
	stats     func() netio.Stats    // the last endpoint's counters, or nil (UI goroutine)
	onEvents  func([]netio.Event)
	onCharset func(*charset.Charset) // the charset changed while the session is open
	onChanged func()                 // the title or state changed; the window retitles the tab
}

func newSession(e env, kind string) *session {
	s := &session{
		env:      e,
		kind:     kind,
		queue:    netio.NewQueueBytes(queueSize, queueBytes),
		log:      logview.New(e.app, e.win, logview.DefaultCapacity),
		counters: newCountersView(),
	}
	s.extract = &extractStage{next: s.queue}
	s.sink = &liveSink{next: s.extract}
	names := make([]string, 0, len(charset.All()))
	for _, cs := range charset.All() {
		names = append(names, cs.Name())
	}
	s.charset = widget.NewSelect(names, nil)
	s.charset.SetSelected(charset.UTF8.Name())
	s.form = newFieldForm()
	s.conversation = container.NewBorder(nil, nil, nil, nil, s.log.Object())
	s.drawer = drawer.New(s.conversation)
	s.bar = newSessionBar(s.counters)
	s.object = container.NewBorder(nil, s.bar.Object(), nil, nil, s.drawer.Object())
	s.keep("charset", func() string { return s.charset.Selected }, func(v string) {
		if cs, err := charset.Lookup(v); err == nil {
			s.charset.SetSelected(cs.Name())
		}
	})
	s.pump = startPump(e.ui, s.queue, s.apply)
	return s
}

// Object is the session's widget tree.
func (s *session) Object() fyne.CanvasObject { return s.object }

// addTool gives a tool a side tab in the session's drawer: id names it (and
// remembers which tool was open), title is asked again when the UI language
// changes, and content is shown in the pane beside the conversation when its tab
// is tapped. Every optional part of a session goes here — multicast, the
// generator, auto-reply, files, TLS, and what comes next: framing settings,
// message buttons from the library, send/expect sequences, plots, packet anatomy —
// so none of them takes the log's height:
//
//	s.addTool("plot", func() string { return tr("Plot") }, theme.GridIcon(), chart.Object())
//
// The first tool added (the connection settings) is the one open at first.
func (s *session) addTool(id string, title func() string, icon fyne.Resource, content fyne.CanvasObject) *drawer.Tool {
	return s.drawer.Add(id, title, icon, content)
}

// setSendBox docks the send box under the log.
func (s *session) setSendBox(o fyne.CanvasObject) {
	s.conversation.Layout = layout.NewBorderLayout(nil, o, nil, nil)
	s.conversation.Add(o)
}

// words runs fn, which writes some of the session's words, now and again each
// time the UI language changes.
func (s *session) words(fn func()) {
	fn()
	s.wordFns = append(s.wordFns, fn)
}

// relabel writes every word of the session again in the UI language, keeping
// everything else: the endpoint, the log, what is typed.
func (s *session) relabel() {
	for _, fn := range s.wordFns {
		fn()
	}
	s.form.relabel()
	s.drawer.Relabel()
	s.log.Relabel()
	s.counters.relabel()
	s.bar.relabel()
	s.changed()
}

// rememberCharset restores the kind's last charset and remembers each new choice;
// a change while the session is open applies from then on.
func (s *session) rememberCharset(p prefs) {
	if name := p.get("charset", ""); name != "" {
		if cs, err := charset.Lookup(name); err == nil {
			s.charset.SetSelected(cs.Name())
		}
	}
	s.charset.OnChanged = func(name string) {
		p.set("charset", name)
		if s.onCharset != nil {
			s.onCharset(s.Charset())
		}
	}
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
		for _, w := range s.watchers {
			w(batch)
		}
	}
	if s.plot != nil {
		s.plot.batch()
	}
	if s.stats != nil {
		s.counters.Update(s.stats(), time.Now())
	}
	s.log.SetDropped(s.queue.Dropped())
}

// setState shows the session's state in the session bar; text is asked again
// when the language changes (UI goroutine).
func (s *session) setState(tone stateTone, text func() string) { s.bar.setState(tone, text) }

// toolForm is a tool's form, where setError may show an error.
type toolForm struct {
	tool string
	form *fieldForm
}

// addForm lets setError show errors at the fields of a tool's form (multicast's
// groups, the TLS certificate).
func (s *session) addForm(tool string, f *fieldForm) {
	s.toolForms = append(s.toolForms, toolForm{tool, f})
}

// setError shows err where it belongs: at its field, in the connection settings or
// a tool's form (opening that tool), else in the session bar. Errors shown before
// go, as a new attempt makes them stale; nil only takes them away (UI goroutine).
func (s *session) setError(err error) {
	placed := false
	for _, tf := range append([]toolForm{{toolConnection, s.form}}, s.toolForms...) {
		if err == nil || placed {
			tf.form.clearErrors()
			continue
		}
		if tf.form.showError(err) {
			s.drawer.Show(tf.tool) // where the field is, if another tool was shown
			placed = true
		}
	}
	switch {
	case err == nil:
		s.bar.setError(nil)
	case !placed:
		s.bar.setError(err)
	}
}

// The ids of the tools every socket session has.
const (
	toolConnection = "connection"
	toolSend       = "send"
	toolMulticast  = "multicast"
	toolGenerator  = "generator"
	toolAutoReply  = "autoreply"
	toolFiles      = "files"
	toolTLS        = "tls"
)

// addConnectionTool makes content (the settings, and for a server its clients)
// the first tool, open at first.
func (s *session) addConnectionTool(content fyne.CanvasObject) {
	s.addTool(toolConnection, func() string { return tr("Connection") }, theme.SettingsIcon(), content)
}

// addSendTools docks the send box under the log and gives its options a tool;
// a send's failure about a field (the destination) is also shown at the field.
func (s *session) addSendTools(b *sendBox) {
	s.setSendBox(b.Object())
	s.addTool(toolSend, func() string { return tr("Send") }, theme.MailSendIcon(), b.optionsObject())
	b.onOptions = func(active bool) { s.drawer.SetMarked(toolSend, active) }
	b.optionsChanged()
	b.onSendError = func(err error) { s.form.showError(err) }
	b.keepIn(s)
}

// setOnChanged lets the window retitle the tab when the session's state changes.
func (s *session) setOnChanged(fn func()) { s.onChanged = fn }

func (s *session) changed() {
	if s.onChanged != nil {
		s.onChanged()
	}
}

// stop ends the pump; the panel closes its endpoint first.
func (s *session) stop() {
	if s.messages != nil {
		s.messages.Stop()
	}
	s.pump.Stop()
	if s.plot != nil {
		s.plot.stop()
	}
}
