package anatomy

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio/layers"
	"github.com/sockdesk/sockdesk/netio/packet"
)

// View shows one message as the frames that carried it. It starts with a
// hint to pick a row; Show draws a message, Relabel draws it again in the UI
// language.
type View struct {
	msgs   []layers.Message
	frames []*packet.Frame // msgs drawn; nil where one could not be
	errs   []error
	picked int
	state  func() string // what the header says when nothing is drawn

	header    *widget.Label
	copyBtn   *widget.Button
	framePick *widget.Select
	notes     *widget.Label
	legend    *widget.Label
	layerBox  *fyne.Container
	hexTitle  *widget.Label
	hexLegend *fyne.Container
	hex       *widget.TextGrid
	hexMore   *widget.Label
	body      *fyne.Container // everything under the header, hidden while nothing is drawn
	object    *fyne.Container
}

// New makes a view that asks for a row to be picked.
func New() *View {
	v := &View{}
	v.header = wrapped()
	v.header.TextStyle.Bold = true
	v.copyBtn = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), v.copyText)
	v.framePick = widget.NewSelect(nil, func(string) {
		if i := v.framePick.SelectedIndex(); i >= 0 && i != v.picked {
			v.picked = i
			v.draw()
		}
	})
	v.notes = wrapped()
	v.legend = wrapped()
	v.legend.SizeName = theme.SizeNameCaptionText
	v.layerBox = container.NewVBox()
	v.hexTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.hexLegend = container.NewGridWrap(fyne.NewSize(150, 22))
	v.hex = newHexGrid()
	v.hexMore = widget.NewLabel("")
	// The coloured map first: the frame at a glance; then each layer in
	// detail.
	v.body = container.NewVBox(container.NewHBox(v.copyBtn, v.framePick), v.notes,
		v.hexTitle, v.hexLegend, v.hex, v.hexMore, widget.NewSeparator(), v.legend, v.layerBox)
	v.object = container.NewVBox(v.header, v.body)
	v.Clear()
	return v
}

func wrapped() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Object is the view's widget tree.
func (v *View) Object() fyne.CanvasObject { return v.object }

// Clear shows the hint to pick a row.
func (v *View) Clear() {
	v.showState(func() string {
		return tr("Select a sent or received row in the log to see the frames that carried it: every header field by field, and the bytes coloured by layer.")
	})
}

// ShowNoBytes says the row picked carries no bytes (a state, an error).
func (v *View) ShowNoBytes() {
	v.showState(func() string { return tr("This row carries no bytes: select a sent or received row.") })
}

// ShowError says why the row picked cannot be drawn.
func (v *View) ShowError(err error) {
	v.showState(func() string { return trf("This message cannot be drawn: %s", err.Error()) })
}

func (v *View) showState(text func() string) {
	v.msgs, v.frames, v.errs, v.state = nil, nil, nil, text
	v.draw()
}

// Show draws msgs, the frames one message travelled in (layers.Anatomy), the
// first of them picked; with no frames it says the row carries no bytes.
func (v *View) Show(msgs []layers.Message) {
	if len(msgs) == 0 {
		v.ShowNoBytes()
		return
	}
	v.msgs, v.picked, v.state = msgs, 0, nil
	v.frames, v.errs = make([]*packet.Frame, len(msgs)), make([]error, len(msgs))
	for i, m := range msgs {
		v.frames[i], v.errs[i] = packet.Build(m.Message)
	}
	v.draw()
}

// Relabel draws what is shown again in the UI language.
func (v *View) Relabel() { v.draw() }

// draw writes every part of the view from its state.
func (v *View) draw() {
	if v.state != nil {
		v.header.SetText(v.state())
		v.body.Hide()
		return
	}
	m, f, err := v.msgs[v.picked], v.frames[v.picked], v.errs[v.picked]
	v.header.SetText(headline(m.Message, f))
	v.copyBtn.SetText(tr("Copy as text"))
	v.drawFramePick()
	var notes []string
	for _, n := range m.Notes {
		notes = append(notes, sentence(n))
	}
	if err != nil {
		notes = append(notes, "⚠ "+trf("This message cannot be drawn: %s", err.Error()))
	}
	v.notes.SetText(strings.Join(notes, "\n"))
	showIf(v.notes, len(notes) > 0)
	v.legend.SetText(legendText())
	v.layerBox.RemoveAll()
	if f == nil {
		v.hexTitle.Hide()
		v.hexLegend.Hide()
		v.hex.Hide()
		v.hexMore.Hide()
		v.body.Show()
		return
	}
	for _, l := range f.Layers {
		v.layerBox.Add(layerSection(f, l))
	}
	v.drawHex(f)
	v.body.Show()
}

func (v *View) drawFramePick() {
	if len(v.msgs) < 2 {
		v.framePick.Hide()
		return
	}
	opts := make([]string, len(v.msgs))
	for i := range v.msgs {
		opts[i] = trf("Frame %d of %d", i+1, len(v.msgs))
	}
	v.framePick.Options = opts
	v.framePick.SetSelectedIndex(v.picked)
	v.framePick.Show()
}

func (v *View) drawHex(f *packet.Frame) {
	v.hexTitle.SetText(trf("The frame's %d bytes, coloured by layer", len(f.Bytes)))
	v.hexLegend.RemoveAll()
	for _, l := range f.Layers {
		v.hexLegend.Add(swatchLabel(l, layerName(l.Name)))
	}
	v.hex.Rows = hexRows(f)
	v.hex.Refresh()
	if rest := len(f.Bytes) - hexLimit; rest > 0 {
		v.hexMore.SetText("… " + trf("%d more bytes of application data not shown", rest))
		v.hexMore.Show()
	} else {
		v.hexMore.Hide()
	}
	v.hexTitle.Show()
	v.hexLegend.Show()
	v.hex.Show()
}

// headline says which way the message went, between which ends, and how big
// its frame is, e.g. "Received · UDP 127.0.0.1:5050 → 127.0.0.1:7788 · 6
// bytes in a 48-byte frame".
func headline(m packet.Message, f *packet.Frame) string {
	src, dst := m.Local, m.Peer
	dir := tr("Sent")
	if m.Direction == packet.Received {
		src, dst, dir = dst, src, tr("Received")
	}
	text := fmt.Sprintf("%s · %v %v → %v", dir, m.Protocol, src, dst)
	if f != nil {
		text += " · " + trf("%d bytes in a %d-byte frame", len(m.Payload), len(f.Bytes))
	}
	if !m.Time.IsZero() {
		text += " · " + m.Time.Format("15:04:05.000")
	}
	return text
}

// layerSection is one layer: its name and bytes beside its colour, its
// sentence, and its fields.
func layerSection(f *packet.Frame, l packet.Layer) fyne.CanvasObject {
	title := trf("%s · bytes %d–%d (%d)", layerName(l.Name), l.Start, l.End-1, l.End-l.Start)
	head := swatchLabel(l, title)
	text := wrapped()
	text.SetText(sentence(l.Sentence))
	rows := make([]fieldRow, len(l.Fields))
	for i, fl := range l.Fields {
		rows[i] = fieldRow{name: fieldName(fl.Name), value: fieldValue(f, l, fl), source: sourceText(fl.Source), src: fl.Source}
	}
	return container.NewVBox(head, text, container.NewPadded(newFieldTable(rows)))
}

// swatchLabel is a layer's colour beside a text: a legend entry, a layer's
// title.
func swatchLabel(l packet.Layer, text string) fyne.CanvasObject {
	sw := newSwatch(l.Mark)
	label := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(nil, nil, container.NewCenter(sw), nil, label)
}

// swatch is a small square in a layer's colour, following the theme.
type swatch struct {
	widget.BaseWidget
	mark byte
	rect *canvas.Rectangle
}

func newSwatch(mark byte) *swatch {
	s := &swatch{mark: mark, rect: canvas.NewRectangle(nil)}
	s.rect.CornerRadius = 2
	s.ExtendBaseWidget(s)
	return s
}

func (s *swatch) CreateRenderer() fyne.WidgetRenderer {
	s.applyColor()
	return widget.NewSimpleRenderer(s.rect)
}

func (s *swatch) MinSize() fyne.Size { return fyne.NewSize(14, 14) }

// Refresh follows a change of theme.
func (s *swatch) Refresh() {
	s.applyColor()
	s.BaseWidget.Refresh()
}

func (s *swatch) applyColor() {
	th, v := currentTheme()
	s.rect.FillColor = LayerColor(s.mark, th, v)
	s.rect.StrokeColor = layerHues[s.mark]
	s.rect.StrokeWidth = 1
	s.rect.Refresh()
}

func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}
