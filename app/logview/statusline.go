package logview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// statusLine is the line under the log that says what the list does not show
// (events waiting while paused, lines that left, events dropped). While a flood
// runs its counts change on every batch; a Label cut to a narrow log would look for
// the place to cut by shaping the text again and again (milliseconds a batch in the
// real window), so the line is drawn in the log's monospace type and cut by
// counting columns, as the rows are.
type statusLine struct {
	widget.BaseWidget
	Text string // the whole text; what is drawn may be cut with "…"
	text *canvas.Text
}

func newStatusLine() *statusLine {
	s := &statusLine{text: canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))}
	s.text.TextStyle = fyne.TextStyle{Monospace: true}
	s.ExtendBaseWidget(s)
	return s
}

// SetText shows text (cut to the width).
func (s *statusLine) SetText(text string) {
	s.Text = text
	s.cut(s.Size().Width)
}

// cut fits the text to width and redraws it.
func (s *statusLine) cut(width float32) {
	pad := theme.InnerPadding()
	col := fyne.MeasureText("0", s.text.TextSize, s.text.TextStyle).Width
	line := cutToColumns(s.Text, int((width-2*pad)/max(col, 1)))
	fg := theme.ColorForWidget(theme.ColorNamePlaceHolder, s)
	if s.text.Text != line || s.text.Color != fg {
		s.text.Text, s.text.Color = line, fg
		s.text.Refresh()
	}
}

func (s *statusLine) CreateRenderer() fyne.WidgetRenderer { return &statusRenderer{s: s} }

type statusRenderer struct {
	s     *statusLine
	width float32
}

func (r *statusRenderer) MinSize() fyne.Size {
	return fyne.NewSize(0, lineHeight(r.s.text)+2*theme.Padding())
}

func (r *statusRenderer) Layout(size fyne.Size) {
	pad := theme.InnerPadding()
	r.s.text.Move(fyne.NewPos(pad, theme.Padding()))
	r.s.text.Resize(fyne.NewSize(max(size.Width-2*pad, 0), lineHeight(r.s.text)))
	if size.Width != r.width {
		r.width = size.Width
		r.s.cut(size.Width)
	}
}

func (r *statusRenderer) Refresh()                     { r.s.cut(r.s.Size().Width) }
func (r *statusRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.s.text} }
func (r *statusRenderer) Destroy()                     {}
