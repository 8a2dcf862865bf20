package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The log view's list: its rows, scrolling, selection and copying.

// refreshList shows the new rows: one list refresh, then to the bottom if the view
// follows and was at the bottom, else back onto the rows the user was reading
// (removed rows left above them). The status line is updated first: it can take
// or give back a line of the list's height.
func (v *logView) refreshList(wasAtBottom bool, removed uint64) {
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

func (v *logView) scrollToBottom() {
	v.list.ScrollToBottom()
	v.pinned, v.pinnedOff = true, v.list.GetScrollOffset()
}

// following reports whether the list is at its bottom for following: it is if the
// view put it there and the user has not scrolled since (even if the list has
// changed height since, as when the window or the status line changed), or if it
// shows its last row.
func (v *logView) following() bool {
	if v.pinned && v.list.GetScrollOffset() == v.pinnedOff {
		return true
	}
	return v.atBottom()
}

// rowStep is the height of a row with the padding between rows.
func (v *logView) rowStep() float32 {
	th := v.list.Theme()
	return v.list.rowHeight() + th.Size(theme.SizeNamePadding)
}

// atBottom reports whether the list shows its last row (or everything).
func (v *logView) atBottom() bool {
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
func (v *logView) selectRow(id int) {
	if se, part, ok := v.rowAt(id); ok {
		v.sel = logSel{seq: se.seq, part: part, ok: true}
	}
	v.list.UnselectAll() // refreshes the list, which draws the new selection
	v.updateCopy()
}

// copySelected puts the selected row's full text on the clipboard.
func (v *logView) copySelected() {
	id, ok := v.selectedID()
	if !ok {
		return
	}
	text, _, ok := v.rowText(id)
	if !ok {
		return
	}
	if cb := v.clipboard(); cb != nil {
		cb.SetContent(text)
	}
}

func (v *logView) clipboard() fyne.Clipboard {
	if v.env.app != nil {
		return v.env.app.Clipboard()
	}
	if v.env.win != nil {
		return v.env.win.Clipboard() //nolint:staticcheck // no app: the window's
	}
	return nil
}

func (v *logView) updateCopy() {
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
	view     *logView
	rendered bool
}

func newLogList(v *logView) *logList {
	l := &logList{view: v}
	l.Length = v.rowCount
	l.CreateItem = newLogRow
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		text, selected, _ := v.rowText(id)
		row := o.(*fyne.Container)
		bg, label := row.Objects[0].(*canvas.Rectangle), row.Objects[1].(*widget.Label)
		if selected {
			bg.FillColor = theme.ColorForWidget(theme.ColorNameSelection, l)
			bg.Show()
			bg.Refresh()
		} else if bg.Visible() {
			bg.Hide()
		}
		if label.Text != text {
			label.SetText(text)
		}
	}
	l.OnSelected = v.selectRow
	l.HideSeparators = true
	l.ExtendBaseWidget(l)
	return l
}

// newLogRow is a list row: a selection background behind a one-line monospace label
// that truncates with an ellipsis instead of widening the window. Label text is
// plain text: nothing in it is read as markup.
func newLogRow() fyne.CanvasObject {
	label := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	label.Truncation = fyne.TextTruncateEllipsis
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	bg.Hide()
	return container.New(logRowLayout{}, bg, label)
}

// rowHeight is the height of one row, as the list measures it.
func (l *logList) rowHeight() float32 {
	return newLogRow().MinSize().Height
}

// logRowLayout makes a log row about as tall as its text: a Label pads its text
// with the theme's inner padding above and below, which would make a log of
// one-line rows sparse, so the row lends the label that height above and below
// its own bounds (the label's padding is transparent). The first object is the
// selection background, the second the label.
type logRowLayout struct{}

const logRowPadding = 2 // what is left of the label's padding above and below

func (logRowLayout) overlap(label fyne.CanvasObject) float32 {
	return max(theme.CurrentForWidget(label).Size(theme.SizeNameInnerPadding)-logRowPadding, 0)
}

func (l logRowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	label := objects[1]
	m := label.MinSize()
	return fyne.NewSize(m.Width, m.Height-2*l.overlap(label))
}

func (l logRowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	bg, label := objects[0], objects[1]
	bg.Move(fyne.NewPos(0, 0))
	bg.Resize(size)
	over := l.overlap(label)
	label.Move(fyne.NewPos(0, -over))
	label.Resize(fyne.NewSize(size.Width, size.Height+2*over))
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
