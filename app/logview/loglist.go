package logview

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The log view's list: its rows, scrolling, selection and copying.

// refreshList shows the new rows: one list refresh, then to the bottom if the view
// follows and was at the bottom, else back onto the rows the user was reading
// (removed rows left above them). The status line is updated first: it can take
// or give back a line of the list's height.
func (v *View) refreshList(wasAtBottom bool, removed uint64) {
	v.updateStatus()
	v.list.Refresh()
	if v.list.rendered {
		if v.follow && wasAtBottom {
			v.scrollToBottom()
		} else if removed > 0 {
			off := v.list.GetScrollOffset() - float32(removed)*v.rowStep()
			v.list.ScrollToOffset(max(off, 0))
			v.pinned = false
		}
	}
	v.updateCopy()
}

func (v *View) scrollToBottom() {
	v.list.ScrollToBottom()
	v.pinned, v.pinnedOff = true, v.list.GetScrollOffset()
}

// following reports whether the list is at its bottom for following: it is if the
// view put it there and the user has not scrolled since (even if the list has
// changed height since, as when the window or the status line changed), or if it
// shows its last row.
func (v *View) following() bool {
	if v.pinned && v.list.GetScrollOffset() == v.pinnedOff {
		return true
	}
	return v.atBottom()
}

// rowStep is the height of a row with the padding between rows.
func (v *View) rowStep() float32 {
	th := v.list.Theme()
	return v.list.rowHeight() + th.Size(theme.SizeNamePadding)
}

// atBottom reports whether the list shows its last row (or everything).
func (v *View) atBottom() bool {
	if !v.list.rendered {
		return true
	}
	step := float64(v.rowStep())
	pad := float64(v.list.Theme().Size(theme.SizeNamePadding))
	maxOff := float64(v.rowCount())*step - pad - float64(v.list.Size().Height)
	// Within half a row of the end counts; so does float32 rounding, which Fyne's
	// offsets suffer from with millions of rows.
	slack := step/2 + maxOff*1e-6
	return maxOff <= 0 || float64(v.list.GetScrollOffset()) >= maxOff-slack
}

// selectRow makes list row id the selected one. The list's own selection is given
// back at once: it is kept by row number, which shifts as old rows leave, so the view
// keeps its own (by event) and draws it.
func (v *View) selectRow(id int) { v.pick(id, shiftHeld()) }

// pick selects list row id; with extend, the selection runs from the row
// selected before to this one.
func (v *View) pick(id int, extend bool) {
	if se, part, ok := v.rowAt(id); ok {
		anchor := se.seq
		if v.sel.ok && extend {
			anchor = v.anchor // a range from the row selected before
		}
		v.sel, v.anchor = logSel{seq: se.seq, part: part, ok: true}, anchor
	}
	v.list.UnselectAll() // refreshes the list, which draws the new selection
	v.updateCopy()
	v.selectionChanged()
}

// copySelected puts the selected rows' full text on the clipboard, one line
// each.
func (v *View) copySelected() {
	first, last, ok := v.selectedIDs()
	if !ok {
		return
	}
	lines := make([]string, 0, last-first+1)
	for id := first; id <= last; id++ {
		if text, _, ok := v.rowText(id); ok {
			lines = append(lines, text)
		}
	}
	if cb := v.clipboard(); cb != nil && len(lines) > 0 {
		cb.SetContent(strings.Join(lines, "\n"))
	}
}

func (v *View) clipboard() fyne.Clipboard {
	if v.app == nil {
		return nil
	}
	return v.app.Clipboard()
}

func (v *View) updateCopy() {
	_, ok := v.selectedID()
	if ok == v.copyBtn.Disabled() {
		if ok {
			v.copyBtn.Enable()
		} else {
			v.copyBtn.Disable()
		}
	}
}

// logList is the list widget of a log view, with Ctrl+C copying the selected row.
type logList struct {
	widget.List
	view     *View
	rendered bool
	colWidth float32 // width of a monospace column at colSize, 0 until measured
	colSize  float32
}

func newLogList(v *View) *logList {
	l := &logList{view: v}
	l.Length = v.rowCount
	l.CreateItem = newLogRow
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		text, tone, selected, _ := v.rowLine(id)
		row := o.(*fyne.Container)
		showRowBackground(row, selected, v.rowMarked(id), l)
		// A row is as wide as the list; the row object may not have been
		// given its new width yet when the list has just been resized.
		width := l.Size().Width
		if width <= 0 {
			width = o.Size().Width
		}
		setLogRowText(row, text, tone, width, l)
	}
	l.OnSelected = v.selectRow
	l.HideSeparators = true
	l.ExtendBaseWidget(l)
	return l
}

// rowHeight is the height of one row, as the list measures it.
func (l *logList) rowHeight() float32 {
	return newLogRow().MinSize().Height
}

// Resize keeps a following view at the bottom when the list changes size (the
// window resized, a pane opened beside it, its tab shown again): a list that grew
// or shrank under it would otherwise leave the newest rows out of sight until the
// next event came.
func (l *logList) Resize(s fyne.Size) {
	if s == l.Size() {
		return
	}
	v := l.view
	keep := l.rendered && v.follow && !v.paused && v.following()
	newWidth := s.Width != l.Size().Width
	l.List.Resize(s)
	if newWidth && l.rendered {
		l.Refresh() // rows are cut to the width: cut them again
	}
	if keep {
		v.scrollToBottom()
	}
}

// CreateRenderer notes that the list has its scroller (List.ScrollToBottom needs it).
func (l *logList) CreateRenderer() fyne.WidgetRenderer {
	r := l.List.CreateRenderer()
	l.rendered = true
	return r
}

// TypedShortcut copies the selected row on Ctrl+C (Cmd+C).
func (l *logList) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*fyne.ShortcutCopy); ok {
		l.view.copySelected()
	}
}

var _ fyne.Shortcutable = (*logList)(nil)
