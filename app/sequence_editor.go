package app

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// seqEditor is the sequence tool's editor: a multi-line monospace entry for the
// file's YAML with the line numbers beside it, and one line that can be marked
// (where a parse error is, or the step that failed): a band across the line and
// its number in the error colour. The entry does not scroll by itself; the
// editor's scroll holds the numbers and the text together, so they always line
// up. UI goroutine only.
type seqEditor struct {
	entry   *seqEntry
	numbers *fyne.Container // a canvas.Text per line, placed by editorLayout
	band    *canvas.Rectangle
	scroll  *container.Scroll

	lines  []float32 // each line's height, as the entry draws it
	marked int       // the marked line (1-based), 0 for none

	// onEdited hears each change a person makes to the text (not SetText).
	onEdited func()
	setting  bool
}

func newSeqEditor() *seqEditor {
	ed := &seqEditor{entry: newSeqEntry(), numbers: container.NewWithoutLayout()}
	ed.band = canvas.NewRectangle(theme.Color(theme.ColorNameError))
	ed.band.Hide()
	ed.entry.OnChanged = func(string) {
		ed.measure()
		if !ed.setting && ed.onEdited != nil {
			ed.onEdited()
		}
	}
	ed.scroll = container.NewScroll(container.New(&editorLayout{ed}, ed.numbers, ed.entry, ed.band))
	ed.measure()
	return ed
}

// Object is the editor with its line numbers, scrolling both ways.
func (ed *seqEditor) Object() fyne.CanvasObject { return ed.scroll }

// Text is what the editor holds.
func (ed *seqEditor) Text() string { return ed.entry.Text }

// SetText replaces the text (a file was opened); it is not an edit.
func (ed *seqEditor) SetText(s string) {
	ed.setting = true
	ed.entry.SetText(s)
	ed.setting = false
	ed.entry.CursorRow, ed.entry.CursorColumn = 0, 0
	ed.entry.Refresh()
	ed.scroll.ScrollToTop()
}

// Mark marks line (1-based) and brings it into view; 0 takes the mark away.
func (ed *seqEditor) Mark(line int) {
	if line < 0 || line > len(ed.lines) {
		line = 0
	}
	ed.marked = line
	ed.relayout()
	if line > 0 {
		y := ed.lineTop(line - 1)
		view := ed.scroll.Size().Height
		if off := ed.scroll.Offset.Y; y < off || y+ed.lines[line-1] > off+view {
			ed.scroll.ScrollToOffset(fyne.NewPos(ed.scroll.Offset.X, max(0, y-view/3)))
		}
	}
}

// relayout colours the numbers and the band for the marked line (in the
// theme's colours now) and places them again.
func (ed *seqEditor) relayout() {
	for i, o := range ed.numbers.Objects {
		t := o.(*canvas.Text)
		t.Color = theme.Color(theme.ColorNamePlaceHolder)
		if i+1 == ed.marked {
			t.Color = theme.Color(theme.ColorNameError)
		}
		t.Refresh()
	}
	ed.band.FillColor = tint(theme.Color(theme.ColorNameError), 0x38)
	ed.band.Hidden = ed.marked == 0
	ed.band.Refresh()
	c := ed.scroll.Content.(*fyne.Container)
	c.Layout.Layout(c.Objects, c.Size())
	ed.scroll.Refresh()
}

// measure reads the text's lines: their heights (a line with Chinese in it may
// be taller than one without, with the fallback font), and a number for each.
func (ed *seqEditor) measure() {
	size := theme.TextSize()
	style := ed.entry.TextStyle
	text := ed.entry.Text
	n := strings.Count(text, "\n") + 1
	ed.lines = ed.lines[:0]
	for line := range strings.SplitSeq(text, "\n") {
		ed.lines = append(ed.lines, fyne.MeasureText(line, size, style).Height)
	}
	for len(ed.numbers.Objects) < n {
		t := canvas.NewText(strconv.Itoa(len(ed.numbers.Objects)+1), theme.Color(theme.ColorNamePlaceHolder))
		t.TextStyle = fyne.TextStyle{Monospace: true}
		t.Alignment = fyne.TextAlignTrailing
		ed.numbers.Objects = append(ed.numbers.Objects, t)
	}
	ed.numbers.Objects = ed.numbers.Objects[:n]
	if ed.marked > n {
		ed.marked = 0
	}
	ed.relayout()
}

// lineTop is where line i (0-based) starts, from the top of the entry: the
// entry's text starts an inner padding down, as a rich text's does.
func (ed *seqEditor) lineTop(i int) float32 {
	y := theme.InnerPadding()
	for _, h := range ed.lines[:min(i, len(ed.lines))] {
		y += h
	}
	return y
}

// editorLayout places the numbers in a column as wide as the longest, the entry
// beside them, and the band over the marked line across both.
type editorLayout struct{ ed *seqEditor }

func (l *editorLayout) gutterWidth() float32 {
	digits := len(strconv.Itoa(max(len(l.ed.lines), 1)))
	w := fyne.MeasureText(strings.Repeat("0", max(digits, 2)), theme.TextSize(), fyne.TextStyle{Monospace: true}).Width
	return w + 2*theme.InnerPadding()
}

func (l *editorLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	m := l.ed.entry.MinSize()
	return fyne.NewSize(l.gutterWidth()+m.Width, m.Height)
}

func (l *editorLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	ed := l.ed
	gutter := l.gutterWidth()
	ed.numbers.Move(fyne.NewPos(0, 0))
	ed.numbers.Resize(fyne.NewSize(gutter, size.Height))
	y := theme.InnerPadding()
	for i, o := range ed.numbers.Objects {
		h := ed.lines[i]
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(gutter-theme.InnerPadding(), h))
		y += h
	}
	ed.entry.Move(fyne.NewPos(gutter, 0))
	ed.entry.Resize(fyne.NewSize(max(size.Width-gutter, 0), size.Height))
	if ed.marked > 0 {
		ed.band.Move(fyne.NewPos(0, ed.lineTop(ed.marked-1)))
		ed.band.Resize(fyne.NewSize(size.Width, ed.lines[ed.marked-1]))
	}
}

// seqEntry is the editor's entry: multi-line, monospace, not wrapped, and Tab
// types two spaces (YAML does not allow tabs for indenting).
type seqEntry struct{ widget.Entry }

func newSeqEntry() *seqEntry {
	e := &seqEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapOff
	e.Scroll = fyne.ScrollNone
	e.TextStyle = fyne.TextStyle{Monospace: true}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey types two spaces for Tab.
func (e *seqEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyTab {
		e.TypedRune(' ')
		e.TypedRune(' ')
		return
	}
	e.Entry.TypedKey(k)
}
