package anatomy

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// The hex map's shape: 8 bytes a line (offset, hex, ASCII) keeps it narrow
// enough for the tool's pane; hexLimit bytes of a frame are shown, every
// header and the start of the payload.
const (
	hexPerLine = 8
	hexLimit   = 1024
	hexOffset  = 6 // "0000  "
)

// layerStyle colours the cells of one layer's bytes: the layer's colour
// behind the theme's text colour, read from the theme each time the grid is
// drawn, so a change of theme recolours the map.
type layerStyle struct{ mark byte }

func (s layerStyle) Style() fyne.TextStyle { return fyne.TextStyle{Monospace: true} }

func (s layerStyle) TextColor() color.Color {
	th, v := currentTheme()
	return th.Color(theme.ColorNameForeground, v)
}

func (s layerStyle) BackgroundColor() color.Color {
	th, v := currentTheme()
	return LayerColor(s.mark, th, v)
}

// hexCell is where byte i of a frame is drawn in the hex map: its row, the
// column of its first hex digit, and the column of its ASCII character.
func hexCell(i int) (row, hexCol, asciiCol int) {
	row, k := i/hexPerLine, i%hexPerLine
	return row, hexOffset + 3*k, hexOffset + 3*hexPerLine + 1 + k
}

// hexRows lays out a frame's first hexLimit bytes, each byte's hex digits and
// character on its layer's colour, and the space between two bytes of one
// layer coloured too, so a layer reads as one band.
func hexRows(f *packet.Frame) []widget.TextGridRow {
	n := min(len(f.Bytes), hexLimit)
	marks := make([]byte, n)
	for _, l := range f.Layers {
		for i := l.Start; i < min(l.End, n); i++ {
			marks[i] = l.Mark
		}
	}
	const digits = "0123456789abcdef"
	width := hexOffset + 3*hexPerLine + 1 + hexPerLine
	var rows []widget.TextGridRow
	for off := 0; off < n; off += hexPerLine {
		cells := make([]widget.TextGridCell, width)
		for c := range cells {
			cells[c].Rune = ' '
		}
		for s := 0; s < 4; s++ {
			cells[s].Rune = rune(digits[off>>(12-4*s)&0xF])
		}
		for i := off; i < min(off+hexPerLine, n); i++ {
			_, hc, ac := hexCell(i)
			st := layerStyle{marks[i]}
			c := f.Bytes[i]
			cells[hc] = widget.TextGridCell{Rune: rune(digits[c>>4]), Style: st}
			cells[hc+1] = widget.TextGridCell{Rune: rune(digits[c&0xF]), Style: st}
			if i+1 < min(off+hexPerLine, n) && marks[i+1] == marks[i] {
				cells[hc+2].Style = st
			}
			ch := rune('.')
			if c >= 0x20 && c < 0x7f {
				ch = rune(c)
			}
			cells[ac] = widget.TextGridCell{Rune: ch, Style: st}
		}
		rows = append(rows, widget.TextGridRow{Cells: cells})
	}
	return rows
}

// newHexGrid is a text grid that shows every row: the tool's pane scrolls.
func newHexGrid() *widget.TextGrid {
	g := widget.NewTextGrid()
	g.Scroll = fyne.ScrollNone
	return g
}
