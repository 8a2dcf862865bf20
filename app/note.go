package app

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// noteTone is what a note says: a hint (grey), an error (red), or news (the text
// colour).
type noteTone int

const (
	noteHint noteTone = iota
	noteError
	noteNews
)

// noteLine is space reserved for a message under a field or the send box: always
// its full height, so that a message coming or going moves nothing (not the
// Send button a click is aimed at). A message longer than the lines reserved is
// wrapped and cut with "…"; a note never widens its column.
type noteLine struct {
	widget.BaseWidget
	lines int
	text  string
	tone  noteTone
}

func newNoteLine(lines int) *noteLine {
	n := &noteLine{lines: max(lines, 1)}
	n.ExtendBaseWidget(n)
	return n
}

// set shows text in tone; "" clears the note (its space stays).
func (n *noteLine) set(text string, tone noteTone) {
	if n.text == text && n.tone == tone {
		return
	}
	n.text, n.tone = text, tone
	n.Refresh()
}

// Text is what the note says, whole (tests read it).
func (n *noteLine) Text() string { return n.text }

// isError reports whether the note shows an error.
func (n *noteLine) isError() bool { return n.text != "" && n.tone == noteError }

// noteTextSize is the notes' type size: two points under the theme's text.
func noteTextSize(th fyne.Theme) float32 { return th.Size(theme.SizeNameText) - 2 }

func (n *noteLine) CreateRenderer() fyne.WidgetRenderer {
	r := &noteRenderer{n: n}
	for range n.lines {
		r.texts = append(r.texts, canvas.NewText("", theme.Color(theme.ColorNameForeground)))
	}
	r.Refresh()
	return r
}

type noteRenderer struct {
	n     *noteLine
	texts []*canvas.Text
	width float32 // the width the lines were wrapped for
}

func (r *noteRenderer) lineHeight() float32 {
	return fyne.MeasureText("Hg", noteTextSize(r.n.Theme()), fyne.TextStyle{}).Height
}

func (r *noteRenderer) MinSize() fyne.Size {
	return fyne.NewSize(0, float32(r.n.lines)*r.lineHeight())
}

func (r *noteRenderer) Layout(size fyne.Size) {
	if size.Width != r.width {
		r.wrap(size.Width)
	}
	h := r.lineHeight()
	pad := r.n.Theme().Size(theme.SizeNamePadding)
	for i, t := range r.texts {
		t.Move(fyne.NewPos(pad, float32(i)*h))
		t.Resize(fyne.NewSize(max(size.Width-2*pad, 0), h))
	}
}

// wrap fills the lines with the note's text for width.
func (r *noteRenderer) wrap(width float32) {
	r.width = width
	th := r.n.Theme()
	size := noteTextSize(th)
	pad := th.Size(theme.SizeNamePadding)
	lines := wrapText(r.n.text, width-2*pad, len(r.texts), func(s string) float32 {
		return fyne.MeasureText(s, size, fyne.TextStyle{}).Width
	})
	for i, t := range r.texts {
		t.Text = ""
		if i < len(lines) {
			t.Text = lines[i]
		}
		t.TextSize = size
	}
}

func (r *noteRenderer) Refresh() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	th := r.n.Theme()
	color := th.Color(theme.ColorNameForeground, v)
	switch r.n.tone {
	case noteHint:
		color = th.Color(theme.ColorNamePlaceHolder, v)
	case noteError:
		color = th.Color(theme.ColorNameError, v)
	}
	r.wrap(r.n.Size().Width)
	for _, t := range r.texts {
		t.Color = color
		t.Refresh()
	}
}

func (r *noteRenderer) Objects() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(r.texts))
	for i, t := range r.texts {
		out[i] = t
	}
	return out
}

func (r *noteRenderer) Destroy() {}

// wrapText breaks s into at most maxLines lines no wider than width (as measure
// says), at spaces, or between any two characters of a script written without
// spaces (Chinese, Japanese); what does not fit ends the last line with "…".
func wrapText(s string, width float32, maxLines int, measure func(string) float32) []string {
	if s == "" || maxLines < 1 {
		return nil
	}
	if width <= 0 {
		return []string{""}
	}
	var lines []string
	rest := []rune(s)
	for len(rest) > 0 && len(lines) < maxLines {
		if len(lines) == maxLines-1 {
			lines = append(lines, cutToWidth(string(rest), width, measure))
			break
		}
		n := fitRunes(rest, width, measure)
		if n < len(rest) {
			if b := breakBefore(rest, n); b > 0 {
				n = b
			}
		}
		lines = append(lines, strings.TrimRight(string(rest[:n]), " "))
		rest = []rune(strings.TrimLeft(string(rest[n:]), " "))
	}
	return lines
}

// fitRunes is how many of rs fit in width (at least one).
func fitRunes(rs []rune, width float32, measure func(string) float32) int {
	lo, hi := 1, len(rs)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if measure(string(rs[:mid])) <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// breakBefore is the last place at or before n where a line may break: after a
// space, or before or after a wide (CJK) character; 0 if none.
func breakBefore(rs []rune, n int) int {
	for i := n; i > 0; i-- {
		if rs[i-1] == ' ' || isWide(rs[i-1]) || (i < len(rs) && isWide(rs[i])) {
			return i
		}
	}
	return 0
}

func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFF60)
}

// cutToWidth is s, or as much of it as fits in width followed by "…".
func cutToWidth(s string, width float32, measure func(string) float32) string {
	if measure(s) <= width {
		return s
	}
	rs := []rune(s)
	n := fitRunes(rs, width-measure("…"), measure)
	if measure(string(rs[:n])+"…") > width {
		n = max(n-1, 0)
	}
	return strings.TrimRight(string(rs[:n]), " ") + "…"
}
