package logview

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"github.com/sockdesk/sockdesk/netio"
)

// Marked rows: a tool can point at some of the log's events — a sequence's
// failed step marks the messages it waited for — and the view draws their rows
// with a bar in the error colour down the left edge and a tinted background, so
// they stand out among the others without changing their text (copying a row
// or saving the log gives the same words). The mark is a predicate over events,
// asked as rows are drawn, so it costs nothing for rows out of sight, and an
// event that arrives later and fits it is marked too.

// markTint is the alpha of a marked row's background: the error colour, faint
// enough that the row's own colour (its tone) still reads on it.
const markTint = 0x30

// markBarWidth is the width of the bar down a marked row's left edge.
const markBarWidth = 3

// SetMark marks the rows of the events for which marked reports true; nil
// takes every mark away. The function is called on the UI goroutine, for the
// rows being drawn.
func (v *View) SetMark(marked func(*netio.Event) bool) {
	v.mark = marked
	v.list.Refresh()
}

// MarkedLines are the rows the list shows now whose events are marked, in
// order (the text of each, as Lines gives it).
func (v *View) MarkedLines() []string {
	if v.mark == nil {
		return nil
	}
	var out []string
	for id := range v.rowCount() {
		if v.rowMarked(id) {
			text, _, _ := v.rowText(id)
			out = append(out, text)
		}
	}
	return out
}

// ShowMarked scrolls the list to its first marked row, if it has one, and
// stops following (which would scroll it away again with the next event).
func (v *View) ShowMarked() bool {
	if v.mark == nil {
		return false
	}
	for id := range v.rowCount() {
		if v.rowMarked(id) {
			if v.follow {
				v.followCheck.SetChecked(false)
			}
			v.list.ScrollTo(id)
			v.pinned = false
			return true
		}
	}
	return false
}

// rowMarked reports whether list row id belongs to a marked event.
func (v *View) rowMarked(id int) bool {
	if v.mark == nil {
		return false
	}
	se, _, ok := v.rowAt(id)
	if !ok {
		return false
	}
	e, ok := v.eventAt(se.seq)
	return ok && v.mark(&e)
}

// newMarkBar is a row's mark: hidden until the row's event is marked.
func newMarkBar() *canvas.Rectangle {
	bar := canvas.NewRectangle(theme.Color(theme.ColorNameError))
	bar.Hide()
	return bar
}

// showRowBackground draws a row's background: the selection's colour, else the
// mark's tint, else nothing; and the mark's bar when marked.
func showRowBackground(row *fyne.Container, selected, marked bool, l *logList) {
	bg := row.Objects[0].(*canvas.Rectangle)
	switch {
	case selected:
		bg.FillColor = theme.ColorForWidget(theme.ColorNameSelection, l)
		bg.Show()
		bg.Refresh()
	case marked:
		bg.FillColor = tint(theme.ColorForWidget(theme.ColorNameError, l), markTint)
		bg.Show()
		bg.Refresh()
	case bg.Visible():
		bg.Hide()
	}
	bar := row.Objects[2].(*canvas.Rectangle)
	switch {
	case marked:
		bar.FillColor = theme.ColorForWidget(theme.ColorNameError, l)
		bar.Show()
		bar.Refresh()
	case bar.Visible():
		bar.Hide()
	}
}

// tint is c with alpha a.
func tint(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}
