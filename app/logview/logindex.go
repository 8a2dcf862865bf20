package logview

import (
	"sort"

	"github.com/sockdesk/sockdesk/netio"
)

// The log view's row index: which events the list shows and where their rows are.

func (v *View) ringFirst() uint64 { return v.pushed - uint64(v.events.len()) }

func (v *View) rowCount() int { return int(v.rowEnd - v.rowBase) }

// eventAt is the event numbered seq, if the view still has it.
func (v *View) eventAt(seq uint64) (netio.Event, bool) {
	if v.snap != nil && seq >= v.snapFirst && seq-v.snapFirst < uint64(len(v.snap)) {
		return v.snap[seq-v.snapFirst], true
	}
	first := v.ringFirst()
	if seq < first || seq >= v.pushed {
		return netio.Event{}, false
	}
	return v.events.at(int(seq - first)), true
}

// takeSnapshot copies aside the displayed events still in the ring, before the
// paused view's ring starts overwriting them.
func (v *View) takeSnapshot() {
	first := v.ringFirst()
	v.snap = make([]netio.Event, v.derived-first)
	for i := range v.snap {
		v.snap[i] = v.events.at(i)
	}
	v.snapFirst = first
}

// catchUp drops the rows of evicted events and derives rows for new ones.
func (v *View) catchUp() {
	first := v.ringFirst()
	for v.head < len(v.shown) && v.shown[v.head].seq < first {
		v.head++
	}
	if v.head == len(v.shown) {
		v.shown, v.head = v.shown[:0], 0
		v.rowBase = v.rowEnd
	} else {
		v.rowBase = v.shown[v.head].start
		if v.head >= 1024 && v.head*2 >= len(v.shown) {
			n := copy(v.shown, v.shown[v.head:])
			v.shown, v.head = v.shown[:n], 0
		}
	}
	if v.sel.ok && v.sel.seq < first {
		v.sel = logSel{}
		v.selectionChanged()
	}
	for seq := max(v.derived, first); seq < v.pushed; seq++ {
		e := v.events.at(int(seq - first))
		v.addShown(seq, &e)
	}
	v.derived = v.pushed
}

func (v *View) addShown(seq uint64, e *netio.Event) {
	if !v.filter.match(e, v.mode) {
		return
	}
	n := logRowCount(e, v.mode)
	v.shown = append(v.shown, shownEvent{seq: seq, start: v.rowEnd, rows: n})
	v.rowEnd += uint64(n)
}

// rebuild derives all rows again, after the mode or a filter changed. A paused
// view re-derives from the events it showed.
func (v *View) rebuild() {
	atBottom := v.following()
	lo, hi := v.ringFirst(), v.derived
	if v.snap != nil {
		lo, hi = v.snapFirst, v.snapFirst+uint64(len(v.snap))
	}
	v.shown, v.head = v.shown[:0], 0
	v.rowBase, v.rowEnd = 0, 0
	for seq := lo; seq < hi; seq++ {
		e, _ := v.eventAt(seq)
		v.addShown(seq, &e)
	}
	if v.sel.ok {
		if i, ok := v.findShown(v.sel.seq); !ok || v.sel.part >= v.shown[i].rows {
			v.sel = logSel{}
			v.selectionChanged()
		}
	}
	v.refreshList(atBottom, 0)
	if !(v.follow && atBottom) {
		if id, ok := v.selectedID(); ok {
			v.list.ScrollTo(id)
		}
	}
}

// findShown is the index in shown of event seq.
func (v *View) findShown(seq uint64) (int, bool) {
	live := v.shown[v.head:]
	i := sort.Search(len(live), func(i int) bool { return live[i].seq >= seq })
	if i < len(live) && live[i].seq == seq {
		return v.head + i, true
	}
	return 0, false
}

// rowAt maps a list row to its event and part.
func (v *View) rowAt(id int) (shownEvent, int, bool) {
	if id < 0 || id >= v.rowCount() {
		return shownEvent{}, 0, false
	}
	abs := v.rowBase + uint64(id)
	live := v.shown[v.head:]
	i := sort.Search(len(live), func(i int) bool { return live[i].start > abs }) - 1
	if i < 0 {
		return shownEvent{}, 0, false
	}
	return live[i], int(abs - live[i].start), true
}

// rowText is the full text of list row id, and whether it is the selected row.
func (v *View) rowText(id int) (text string, selected, ok bool) {
	text, _, selected, ok = v.rowLine(id)
	return text, selected, ok
}

// rowLine is rowText with the row's tone.
func (v *View) rowLine(id int) (text string, tone rowTone, selected, ok bool) {
	se, part, ok := v.rowAt(id)
	if !ok {
		return "", toneStatus, false, false
	}
	e, ok := v.eventAt(se.seq)
	if !ok {
		return "", toneStatus, false, false
	}
	selected = v.isSelected(se.seq, part)
	return logRowText(&e, v.mode, part, v.side), eventTone(&e), selected, true
}

func (v *View) selectedID() (int, bool) {
	if !v.sel.ok {
		return 0, false
	}
	i, ok := v.findShown(v.sel.seq)
	if !ok {
		return 0, false
	}
	return int(v.shown[i].start-v.rowBase) + v.sel.part, true
}
