package anatomy

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// fieldRow is one field of a layer as shown: its name, value and where the
// value came from, in the UI language.
type fieldRow struct {
	name, value, source string
	src                 packet.Source
}

// fieldTable shows a layer's fields one per line in three columns (name,
// value, source), as tight as text lines: a header has up to a dozen fields,
// and label widgets' padding would make it several screens tall.
type fieldTable struct {
	widget.BaseWidget
	rows []fieldRow
}

func newFieldTable(rows []fieldRow) *fieldTable {
	t := &fieldTable{rows: rows}
	t.ExtendBaseWidget(t)
	return t
}

func (t *fieldTable) CreateRenderer() fyne.WidgetRenderer {
	r := &fieldTableRenderer{t: t}
	for range t.rows {
		for range 3 {
			r.texts = append(r.texts, canvas.NewText("", color.Black))
		}
	}
	r.Refresh()
	return r
}

type fieldTableRenderer struct {
	t     *fieldTable
	texts []*canvas.Text // name, value, source of each row
	colW  [3]float32
	lineH float32
}

// sourceColor is the colour of a field's source column: what the system or the
// socket API said stands out; what is reconstructed is dimmed.
func sourceColor(s packet.Source, th fyne.Theme, v fyne.ThemeVariant) color.Color {
	switch s {
	case packet.FromSystem:
		return th.Color(theme.ColorNameSuccess, v)
	case packet.FromSocket:
		return th.Color(theme.ColorNamePrimary, v)
	case packet.Reconstructed:
		return th.Color(theme.ColorNamePlaceHolder, v)
	}
	return th.Color(theme.ColorNameForeground, v)
}

// Refresh sets the texts and the theme's colours and size, and measures the
// columns.
func (r *fieldTableRenderer) Refresh() {
	_, v := currentTheme()
	th := r.t.Theme()
	size := th.Size(theme.SizeNameText)
	fg := th.Color(theme.ColorNameForeground, v)
	r.colW = [3]float32{}
	for i, row := range r.t.rows {
		for c, s := range []string{row.name, row.value, row.source} {
			txt := r.texts[i*3+c]
			txt.Text, txt.TextSize, txt.Color = s, size, fg
			if c == 2 {
				txt.Color = sourceColor(row.src, th, v)
			}
			r.colW[c] = max(r.colW[c], fyne.MeasureText(s, size, txt.TextStyle).Width)
			txt.Refresh()
		}
	}
	r.lineH = fyne.MeasureText("Mg", size, fyne.TextStyle{}).Height + th.Size(theme.SizeNameInnerPadding)/2
	r.Layout(r.t.Size())
}

func (r *fieldTableRenderer) gap() float32 { return r.t.Theme().Size(theme.SizeNamePadding) * 3 }

func (r *fieldTableRenderer) MinSize() fyne.Size {
	return fyne.NewSize(r.colW[0]+r.colW[1]+r.colW[2]+2*r.gap(), r.lineH*float32(len(r.t.rows)))
}

// Layout puts the names at the left, the sources at the right and the values
// between them, each column as wide as its widest text.
func (r *fieldTableRenderer) Layout(size fyne.Size) {
	gap := r.gap()
	x := [3]float32{0, r.colW[0] + gap, max(size.Width-r.colW[2], r.colW[0]+r.colW[1]+2*gap)}
	for i := range r.t.rows {
		for c := range 3 {
			txt := r.texts[i*3+c]
			txt.Move(fyne.NewPos(x[c], float32(i)*r.lineH))
			txt.Resize(fyne.NewSize(r.colW[c], r.lineH))
		}
	}
}

func (r *fieldTableRenderer) Objects() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(r.texts))
	for i, t := range r.texts {
		out[i] = t
	}
	return out
}

func (r *fieldTableRenderer) Destroy() {}
