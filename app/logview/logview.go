package logview

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio"
)

// DefaultCapacity is how many events a session's log view keeps: hours of a
// device's chatter, minutes of a flood (the log file and Save keep everything).
// With the data bound below it is most of the app's memory budget
// (main.go's goMemoryBudget): 100,000 events took the app past 250 MB in the real window.
const DefaultCapacity = 50_000

// maxLogBytes bounds the data a log view holds, whatever the line count: a peer
// streaming 64 KiB reads fills it in 256 events (a hex dump shows 1 KiB of each).
const maxLogBytes = 16 << 20

// shownEvent is an event the list shows, and where its rows are.
type shownEvent struct {
	seq   uint64 // the event's sequence number (see View.pushed)
	start uint64 // the absolute number of its first row
	rows  int
}

// logSel is the selected row, by event and part, so it stays put while rows shift.
type logSel struct {
	seq  uint64
	part int
	ok   bool
}

// View is a session's live log: a virtualized list over a capped ring of events.
//
// Events are numbered in the order they arrive (seq); the ring holds the newest of
// them. The list's rows are derived from events: shown lists, oldest first, the events
// that pass the filters with the absolute number of their first row, so row id maps
// to an event by binary search and only visible rows are ever formatted. Appending
// derives rows for the new events only; eviction pops from the front. Changing the
// mode or a filter re-derives everything.
//
// While paused, events still go into the ring but the rows stay as they were; if the
// ring is about to overwrite events the list still shows, those are copied aside
// (snap) once, so a paused view never holds more than twice the capacity.
//
// All methods run on the UI goroutine.
type View struct {
	app       fyne.App    // for the clipboard; nil in some tests
	win       fyne.Window // for the save dialog
	events    *ring[netio.Event]
	capacity  int
	dataBytes int    // bytes of Data held in the ring
	maxBytes  int    // at most this many (maxLogBytes; tests lower it)
	pushed    uint64 // events appended since the view was made: the next event's seq

	shown   []shownEvent // shown[head:] are live
	head    int
	rowBase uint64 // absolute number of the first row in the list
	rowEnd  uint64 // absolute number after the last row
	derived uint64 // events with seq < derived have been considered for the list

	snap      []netio.Event // while paused: the displayed events the ring overwrote
	snapFirst uint64        // seq of snap[0]

	pinned    bool    // the view scrolled itself to the bottom ...
	pinnedOff float32 // ... and left the list at this offset

	mode        logMode
	side        Side
	filter      logFilter
	query       string
	paused      bool
	follow      bool
	sel         logSel
	anchor      uint64                          // the event a shift-click range runs from; sel.seq for one row
	onSelect    func(netio.Event, uint64, bool) // hears the selected row's event, its seq, and whether there is one
	dropped     uint64                          // as SetDropped last said
	droppedBase uint64                          // dropped when the view was last cleared
	notice      string                          // the last save result or error

	mark func(*netio.Event) bool // SetMark's; nil marks nothing

	list        *logList
	modeSelect  *widget.Select
	filterEntry *widget.Entry
	pauseBtn    *widget.Button
	followCheck *widget.Check
	copyBtn     *widget.Button
	clearBtn    *widget.Button
	saveBtn     *widget.Button
	status      *statusLine
	modeBox     *fyne.Container // holds the mode select, sized to its options
	object      *fyne.Container
}

// New makes a log view that keeps the newest capacity events (and at most
// maxLogBytes of their data). a and win give the clipboard and the save dialog.
func New(a fyne.App, win fyne.Window, capacity int) *View {
	capacity = max(capacity, 1)
	v := &View{app: a, win: win, events: newRing[netio.Event](capacity), capacity: capacity, maxBytes: maxLogBytes, follow: true}
	v.list = newLogList(v)

	v.modeSelect = widget.NewSelect(logModeOptions(), func(string) {
		if i := v.modeSelect.SelectedIndex(); i >= 0 {
			v.setMode(logMode(i))
		}
	})
	v.modeSelect.SetSelectedIndex(int(logModeText))

	v.filterEntry = widget.NewEntry()
	v.filterEntry.OnChanged = v.setQuery

	// The tools are icons (pause, copy, clear, save), so the toolbar fits beside a
	// server's client table at the default window size; Pause says "Resume" in words
	// while the view is paused, as that state must not go unnoticed.
	v.pauseBtn = widget.NewButtonWithIcon("", theme.MediaPauseIcon(), v.togglePause)
	v.followCheck = widget.NewCheck("", v.setFollow)
	v.followCheck.Checked = true
	v.copyBtn = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), v.copySelected)
	v.copyBtn.Disable()
	v.clearBtn = widget.NewButtonWithIcon("", theme.ContentClearIcon(), v.Clear)
	v.saveBtn = widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), v.showSaveMenu)

	v.status = newStatusLine()
	v.status.Hide()

	v.modeBox = container.NewStack()
	tools := container.NewHBox(v.pauseBtn, v.followCheck, v.copyBtn, v.clearBtn, v.saveBtn)
	toolbar := container.NewBorder(nil, nil, v.modeBox, tools, v.filterEntry)
	v.object = container.NewBorder(toolbar, v.status, nil, nil, v.list)
	v.Relabel()
	return v
}

// Relabel writes the view's words again in the UI language: its tools, and its
// rows (which are worded as they are drawn).
func (v *View) Relabel() {
	mode := v.modeSelect.SelectedIndex()
	v.modeSelect.Options = logModeOptions()
	v.modeSelect.SetSelectedIndex(mode)
	v.modeBox.Objects = []fyne.CanvasObject{fit.Options(v.modeSelect)}
	v.modeBox.Refresh()
	v.filterEntry.SetPlaceHolder(tr("Filter (text, peer, hex)"))
	v.followCheck.Text = tr("Follow")
	v.followCheck.Refresh()
	v.showPaused()
	v.updateStatus()
	v.list.Refresh()
}

// Side says which end of its connections the session is (SideClient, SideServer),
// so that the rows say who closed a connection: the server, a client.
type Side int

const (
	SideNone   Side = iota // a peer (UDP; or unknown)
	SideClient             // this side connected: the peer is the server
	SideServer             // this side accepted: each peer is a client
)

// SetSide sets the side the rows are worded from.
func (v *View) SetSide(s Side) {
	if v.side == s {
		return
	}
	v.side = s
	v.filter.side = s
	v.rebuild()
}

// AtEnd reports whether the list shows its newest row.
func (v *View) AtEnd() bool { return v.atBottom() }

// RowsShown is how many whole rows the list has room for at its size now.
func (v *View) RowsShown() int {
	pad := v.list.Theme().Size(theme.SizeNamePadding)
	return int((v.list.Size().Height + pad) / v.rowStep())
}

// Object is the log: toolbar, list and status line.
func (v *View) Object() fyne.CanvasObject { return v.object }

// Append adds one batch of events. Its cost is O(len(events)): rows are derived for
// the new events only and the list refreshes once.
func (v *View) Append(events []netio.Event) {
	if len(events) == 0 {
		return
	}
	if v.paused {
		for i := range events {
			if v.snap == nil && v.events.len() == v.capacity && v.derived > v.ringFirst() {
				v.takeSnapshot()
			}
			v.push(&events[i])
		}
		v.updateStatus()
		return
	}
	atBottom := v.following()
	oldBase := v.rowBase
	for i := range events {
		v.push(&events[i])
	}
	v.catchUp()
	v.refreshList(atBottom, v.rowBase-oldBase)
}

// push adds one event to the ring. Besides the count capacity the ring holds at
// most maxLogBytes of data: a peer sending 64 KiB datagrams would otherwise make a
// 50,000-line log hold gigabytes. Older events leave first, as with the count.
func (v *View) push(e *netio.Event) {
	if v.events.len() == v.capacity {
		v.dataBytes -= len(v.events.at(0).Data)
	}
	v.events.push(*e)
	v.pushed++
	v.dataBytes += len(e.Data)
	for v.dataBytes > v.maxBytes && v.events.len() > 1 {
		if v.paused && v.snap == nil && v.derived > v.ringFirst() {
			v.takeSnapshot()
		}
		old, _ := v.events.dropOldest()
		v.dataBytes -= len(old.Data)
	}
}

// SetClientFilter shows only the events of TCP server client (or relay pair) id (0: everyone's).
func (v *View) SetClientFilter(id uint64) {
	if v.filter.client == id {
		return
	}
	v.filter = newLogFilter(id, v.query, v.side)
	v.rebuild()
}

// SetDropped tells the view how many display events the session queue has dropped.
func (v *View) SetDropped(n uint64) {
	if n < v.droppedBase {
		v.droppedBase = 0 // a new queue
	}
	if n != v.dropped {
		v.dropped = n
		v.updateStatus()
	}
}

// Clear empties the log view (not the log file).
func (v *View) Clear() {
	v.events.clear()
	v.dataBytes = 0
	v.snap = nil
	v.shown = v.shown[:0]
	v.head = 0
	v.rowBase, v.rowEnd = 0, 0
	v.derived = v.pushed
	v.sel = logSel{}
	v.selectionChanged()
	v.notice = ""
	v.droppedBase = v.dropped
	v.refreshList(false, 0)
}

// Lines are the rows the list shows now, in order.
func (v *View) Lines() []string {
	n := v.rowCount()
	out := make([]string, 0, n)
	for id := range n {
		text, _, _ := v.rowText(id)
		out = append(out, text)
	}
	return out
}

func (v *View) setMode(m logMode) {
	if m == v.mode {
		return
	}
	v.mode = m
	v.rebuild()
}

func (v *View) setQuery(q string) {
	if q == v.query {
		return
	}
	v.query = q
	v.filter = newLogFilter(v.filter.client, q, v.side)
	v.rebuild()
}

func (v *View) setFollow(on bool) {
	v.follow = on
	if on && !v.paused && v.list.rendered {
		v.scrollToBottom()
	}
}

// togglePause freezes the list or, on resume, catches it up with the ring.
func (v *View) togglePause() {
	if !v.paused {
		v.paused = true
		v.showPaused()
		v.updateStatus()
		return
	}
	v.paused = false
	v.showPaused()
	atBottom := v.following()
	oldBase := v.rowBase
	v.snap = nil
	v.catchUp()
	v.refreshList(atBottom, v.rowBase-oldBase)
}

// showPaused shows on the Pause button whether the view is paused.
func (v *View) showPaused() {
	if v.paused {
		v.pauseBtn.SetText(tr("Resume"))
		v.pauseBtn.SetIcon(theme.MediaPlayIcon())
		v.pauseBtn.Importance = widget.HighImportance
	} else {
		v.pauseBtn.SetText("")
		v.pauseBtn.SetIcon(theme.MediaPauseIcon())
		v.pauseBtn.Importance = widget.MediumImportance
	}
	v.pauseBtn.Refresh()
}

func (v *View) setNotice(msg string) {
	v.notice = msg
	v.updateStatus()
}

// updateStatus words what the list does not show: events waiting while paused,
// events that left the display, events the session dropped; and the last notice.
func (v *View) updateStatus() {
	var parts []string
	if v.paused {
		parts = append(parts, trf("Paused: %s new events waiting", i18n.GroupDigits(v.pushed-v.derived)))
	}
	if n := v.events.evicted; n > 0 {
		parts = append(parts, trf("%s older lines left the display", i18n.GroupDigits(n)))
	}
	if n := v.dropped - min(v.droppedBase, v.dropped); n > 0 {
		parts = append(parts, trf("%s events not shown (display too slow)", i18n.GroupDigits(n)))
	}
	if v.notice != "" {
		parts = append(parts, v.notice)
	}
	text := strings.Join(parts, " · ")
	if text == v.status.Text {
		return
	}
	v.status.SetText(text)
	if (text != "") != v.status.Visible() {
		if text == "" {
			v.status.Hide()
		} else {
			v.status.Show()
		}
		// Showing or hiding the line moves the list: lay the view out again,
		// without refreshing every child as Container.Refresh would.
		v.object.Layout.Layout(v.object.Objects, v.object.Size())
		canvas.Refresh(v.object)
	}
}

// Held is how many events the view holds now (at most its capacity).
func (v *View) Held() int { return v.events.len() }

// Pushed is how many events were appended since the view was made.
func (v *View) Pushed() uint64 { return v.pushed }
