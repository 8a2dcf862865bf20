package anatomy

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// Text is what the view shows, as plain text in the UI language: the
// headline, the notes, each layer with its sentence and its fields (name,
// value, where the value came from), then the frame's bytes in hex with the
// layer of each byte marked under it as packet.WriteText marks it. Copy as
// text puts it on the clipboard, for a report or a lesson's notes.
func (v *View) Text() string {
	var b strings.Builder
	b.WriteString(v.header.Text)
	b.WriteByte('\n')
	if v.state != nil {
		return b.String()
	}
	if v.notes.Visible() && v.notes.Text != "" {
		b.WriteString(v.notes.Text + "\n")
	}
	f := v.frames[v.picked]
	if f == nil {
		return b.String()
	}
	for _, l := range f.Layers {
		fmt.Fprintf(&b, "\n%s\n%s\n", trf("%s · bytes %d–%d (%d)", layerName(l.Name), l.Start, l.End-1, l.End-l.Start), sentence(l.Sentence))
		for _, fl := range l.Fields {
			fmt.Fprintf(&b, "  %s: %s  %s\n", fieldName(fl.Name), fieldValue(f, l, fl), sourceText(fl.Source))
		}
	}
	b.WriteByte('\n')
	var legend []string
	for _, l := range f.Layers {
		legend = append(legend, string(l.Mark)+" "+layerName(l.Name))
	}
	b.WriteString(strings.Join(legend, ", ") + "\n")
	rows := hexRows(f)
	marks := make([][]byte, len(rows))
	for i := range rows {
		marks[i] = []byte(strings.Repeat(" ", len(rows[i].Cells)))
	}
	for _, l := range f.Layers {
		for i := l.Start; i < min(l.End, hexLimit); i++ {
			r, hc, ac := hexCell(i)
			marks[r][hc], marks[r][hc+1], marks[r][ac] = l.Mark, l.Mark, l.Mark
		}
	}
	for i, row := range rows {
		var text strings.Builder
		for _, c := range row.Cells {
			text.WriteRune(c.Rune)
		}
		b.WriteString(strings.TrimRight(text.String(), " ") + "\n")
		b.WriteString(strings.TrimRight(string(marks[i]), " ") + "\n")
	}
	if rest := len(f.Bytes) - hexLimit; rest > 0 {
		b.WriteString("… " + trf("%d more bytes of application data not shown", rest) + "\n")
	}
	return b.String()
}

// Frame is the frame shown, or nil.
func (v *View) Frame() *packet.Frame {
	if v.state != nil {
		return nil
	}
	return v.frames[v.picked]
}

func (v *View) copyText() {
	if a := fyne.CurrentApp(); a != nil {
		a.Clipboard().SetContent(v.Text())
	}
}
