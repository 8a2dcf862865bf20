package logview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/sockdesk/sockdesk/netio"
)

// A log row is a canvas.Text (monospace, one line) over a selection background, cut
// to the row's width by counting columns. A widget.Label with an ellipsis finds its
// cut by shaping the whole line again and again with a fresh shaper; with every
// visible row changing on each refresh while the log follows a fast stream, that
// was most of the time a refresh took. Counting columns costs one pass over the
// runes, and the text that is drawn is never longer than what fits.

// newLogRow is a list row: a selection background behind the row's text, and a
// mark's bar (logmark.go). The text is plain: nothing in it is read as markup.
func newLogRow() fyne.CanvasObject {
	text := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	text.TextStyle = fyne.TextStyle{Monospace: true}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	bg.Hide()
	return container.New(logRowLayout{}, bg, text, newMarkBar())
}

// logRowLayout puts the text a little in from the left, as a label would, and
// makes the row as tall as its text and logRowPadding above and below. Its minimum
// width is nothing: a long row is cut, it never widens the window.
type logRowLayout struct{}

const logRowPadding = 1 // space above and below a row's text

func (logRowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(0, lineHeight(objects[1].(*canvas.Text))+2*logRowPadding)
}

// lineHeight is the height of a line of text of t's size and style, measured once
// per size: a row's text changes on every batch while the log follows a stream,
// and measuring it (its MinSize) would shape it each time, on Fyne's goroutine.
func lineHeight(t *canvas.Text) float32 {
	if t.TextSize != lineHeightSize || lineHeightValue == 0 {
		lineHeightSize = t.TextSize
		lineHeightValue = fyne.MeasureText("0", t.TextSize, t.TextStyle).Height
	}
	return lineHeightValue
}

// The last line height measured, and its text size (UI goroutine only).
var (
	lineHeightSize  float32
	lineHeightValue float32
)

func (logRowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	bg, text := objects[0], objects[1]
	bg.Move(fyne.NewPos(0, 0))
	bg.Resize(size)
	left := logRowInset(text)
	text.Move(fyne.NewPos(left, logRowPadding))
	text.Resize(fyne.NewSize(max(size.Width-2*left, 0), size.Height-2*logRowPadding))
	bar := objects[2]
	bar.Move(fyne.NewPos(0, 0))
	bar.Resize(fyne.NewSize(markBarWidth, size.Height))
}

// logRowInset is the space left and right of a row's text: the theme's inner
// padding, as a label has.
func logRowInset(o fyne.CanvasObject) float32 {
	return theme.CurrentForWidget(o).Size(theme.SizeNameInnerPadding)
}

// rowTone is what a row is about, shown by its colour: sent, received, a status
// (listening, connected, closed) or an error. The arrows and glyphs say the same
// for those who do not see the colours.
type rowTone uint8

const (
	toneStatus   rowTone = iota // • listening, accepted, connected, closed
	toneSent                    // → bytes that went out (a relay: to the target)
	toneReceived                // ← bytes that came in (a relay: from the target)
	toneError                   // ⚠ an error, or a message whose checksum is wrong
)

// toneColors are the theme colours of the tones: each reads on the light and the
// dark theme's background.
var toneColors = [...]fyne.ThemeColorName{
	toneStatus:   theme.ColorNamePlaceHolder,
	toneSent:     theme.ColorNamePrimary,
	toneReceived: theme.ColorNameForeground,
	toneError:    theme.ColorNameError,
}

// eventTone is the tone of e's rows.
func eventTone(e *netio.Event) rowTone {
	switch {
	case e.Kind == netio.EventError || e.Kind == netio.EventDropped || e.Err != nil || (e.Check != nil && !e.Check.OK) ||
		e.Frame == netio.FrameMalformed:
		return toneError
	case e.Kind == netio.EventSent || (e.Kind == netio.EventReceived && e.Dir == netio.DirToTarget):
		return toneSent
	case e.Kind == netio.EventReceived:
		return toneReceived
	}
	return toneStatus
}

// setLogRowText shows line in row, cut to the columns that fit in width, in its
// tone's colour. The colour is set each time, so a theme change reaches old rows too.
func setLogRowText(row *fyne.Container, line string, tone rowTone, width float32, l *logList) {
	text := row.Objects[1].(*canvas.Text)
	cols := int((width - 2*logRowInset(text)) / l.columnWidth(text))
	cut := cutToColumns(line, cols)
	fg := theme.ColorForWidget(toneColors[tone], l)
	if text.Text == cut && text.Color == fg {
		return
	}
	text.Text, text.Color = cut, fg
	text.Refresh()
}

// columnWidth is the width of one monospace column at the row text's size,
// measured once per text size.
func (l *logList) columnWidth(text *canvas.Text) float32 {
	if l.colWidth == 0 || l.colSize != text.TextSize {
		const sample = "0123456789"
		w := fyne.MeasureText(sample, text.TextSize, text.TextStyle).Width / float32(len(sample))
		l.colWidth, l.colSize = max(w, 1), text.TextSize
	}
	return l.colWidth
}

// cutToColumns is s if it fits in cols columns, else as much of it as fits with
// "…" taking the last column. A wide character (CJK, Hangul, full-width forms,
// most emoji) takes two columns, as in a terminal; with the monospace font's
// fallbacks it is about that wide.
func cutToColumns(s string, cols int) string {
	if cols < 1 {
		return ""
	}
	used := 0
	fits := -1 // byte length of the longest prefix that leaves a column for "…"
	for i, r := range s {
		w := runeColumns(r)
		if used+w > cols-1 && fits < 0 {
			fits = i
		}
		used += w
		if used > cols {
			return s[:fits] + "…"
		}
	}
	return s
}

// runeColumns is how many columns r takes: 2 for East Asian wide and full-width
// characters and most emoji, else 1.
func runeColumns(r rune) int {
	if r < 0x1100 {
		return 1
	}
	switch {
	case r <= 0x115F, // Hangul Jamo initials
		r >= 0x2E80 && r <= 0xA4CF && r != 0x303F, // CJK radicals ... Yi
		r >= 0xAC00 && r <= 0xD7A3,                // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF,                // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F,                // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60,                // full-width forms
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x1F300 && r <= 0x1FAFF, // emoji and pictographs
		r >= 0x20000 && r <= 0x3FFFD: // CJK extensions
		return 2
	}
	return 1
}
