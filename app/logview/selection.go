package logview

import (
	"iter"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/sockdesk/sockdesk/netio"
)

// The log's selection: a click selects a row; a shift-click selects every
// event from the row selected before to this one (all their rows). Tools
// hear the row selected (SetOnSelect) and may read the events before it
// (Event); copying and "Save selected rows as pcapng…" take the range.

// shiftHeld reports whether Shift is held on a desktop driver.
func shiftHeld() bool {
	a := fyne.CurrentApp()
	if a == nil {
		return false
	}
	d, ok := a.Driver().(desktop.Driver)
	return ok && d.CurrentKeyModifiers()&fyne.KeyModifierShift != 0
}

// SetOnSelect sets the function that hears each change of the selected row:
// its event and the event's sequence number (see Event), or ok false when no
// row is selected any more.
func (v *View) SetOnSelect(fn func(e netio.Event, seq uint64, ok bool)) { v.onSelect = fn }

func (v *View) selectionChanged() {
	if v.onSelect == nil {
		return
	}
	if !v.sel.ok {
		v.onSelect(netio.Event{}, 0, false)
		return
	}
	e, ok := v.eventAt(v.sel.seq)
	v.onSelect(e, v.sel.seq, ok)
}

// Select selects list row id, as a click on it does.
func (v *View) Select(id int) { v.pick(id, false) }

// Event is the event numbered seq (events are numbered from 0 in the order
// they were appended, cleared ones included), while the view still holds it.
func (v *View) Event(seq uint64) (netio.Event, bool) { return v.eventAt(seq) }

// FirstHeld is the number of the oldest event the view holds.
func (v *View) FirstHeld() uint64 { return v.ringFirst() }

// selectedRange is the first and last event of the selection.
func (v *View) selectedRange() (lo, hi uint64, ok bool) {
	if !v.sel.ok {
		return 0, 0, false
	}
	lo, hi = min(v.anchor, v.sel.seq), max(v.anchor, v.sel.seq)
	return lo, hi, true
}

// isSelected reports whether row part of event seq is selected: the row
// clicked, or any row of an event in a shift-click range.
func (v *View) isSelected(seq uint64, part int) bool {
	lo, hi, ok := v.selectedRange()
	switch {
	case !ok:
		return false
	case lo == hi:
		return seq == v.sel.seq && part == v.sel.part
	}
	return seq >= lo && seq <= hi
}

// selectedIDs are the list rows of the selection, first to last.
func (v *View) selectedIDs() (first, last int, ok bool) {
	lo, hi, ok := v.selectedRange()
	if !ok {
		return 0, 0, false
	}
	if lo == hi {
		id, ok := v.selectedID()
		return id, id, ok
	}
	first, last = -1, -1
	for i := v.head; i < len(v.shown); i++ {
		se := v.shown[i]
		if se.seq < lo {
			continue
		}
		if se.seq > hi {
			break
		}
		if first < 0 {
			first = int(se.start - v.rowBase)
		}
		last = int(se.start-v.rowBase) + se.rows - 1
	}
	return first, last, first >= 0
}

// selectedEvents yields the selection's events that the list shows, oldest
// first.
func (v *View) selectedEvents() iter.Seq[netio.Event] {
	lo, hi, ok := v.selectedRange()
	return func(yield func(netio.Event) bool) {
		if !ok {
			return
		}
		for seq := lo; seq <= hi; seq++ {
			e, held := v.eventAt(seq)
			if held && v.filter.match(&e, v.mode) && !yield(e) {
				return
			}
		}
	}
}
