package app

import (
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// bodyPreviewLines caps the body lines shown under the response step.
const bodyPreviewLines = 40

// stepView is one step's details on a card: its name and time, a sentence on
// what the step is, and its label/value pairs. Every text wraps to the card's
// width, so that no header, URL or certificate name widens the window. The card
// is highlighted while its step is the one picked in the waterfall.
type stepView struct {
	widget.BaseWidget
	title, explain *widget.Label
	content        *fyne.Container
	bg             *canvas.Rectangle
	selected       bool
}

// stepCard builds the details of one step.
func stepCard(s webtrace.Step) *stepView {
	title := tr(s.Kind.Title()) + " · " + webtrace.FormatDuration(s.Duration)
	if s.Skipped {
		title = tr(s.Kind.Title()) + " · " + tr("skipped")
	}
	v := &stepView{bg: canvas.NewRectangle(color.Transparent)}
	v.title = wrappedLabel(title)
	v.title.TextStyle.Bold = true
	v.title.SizeName = theme.SizeNameSubHeadingText
	v.explain = wrappedLabel(tr(s.Kind.Explain()))
	v.content = container.NewVBox(v.title, v.explain)
	details := s.Details
	if s.Body != nil && s.Body.Text != "" {
		// The body is shown below, line by line; its one-line detail would
		// say it all again.
		details = slices.DeleteFunc(slices.Clone(details), func(d webtrace.Detail) bool {
			return strings.HasPrefix(d.Label, "body preview")
		})
	}
	if len(details) > 0 {
		v.content.Add(detailGrid(details))
	}
	if s.Failed {
		e := wrappedLabel("⚠ " + stepErrorText(s))
		e.Importance = widget.DangerImportance
		v.content.Add(e)
	}
	if s.Body != nil && s.Body.Text != "" {
		v.content.Add(bodyPreview(s.Body))
	}
	v.ExtendBaseWidget(v)
	return v
}

func (v *stepView) CreateRenderer() fyne.WidgetRenderer {
	v.applyColors()
	return widget.NewSimpleRenderer(container.NewStack(v.bg, container.NewPadded(v.content)))
}

// setSelected highlights the card, or takes the highlight off.
func (v *stepView) setSelected(on bool) {
	if v.selected != on {
		v.selected = on
		v.Refresh()
	}
}

// Refresh also follows a change of theme (light/dark).
func (v *stepView) Refresh() {
	v.applyColors()
	v.BaseWidget.Refresh()
}

func (v *stepView) applyColors() {
	th, variant := v.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	v.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	if v.selected {
		v.bg.FillColor = th.Color(theme.ColorNameSelection, variant)
		v.bg.StrokeColor = th.Color(theme.ColorNamePrimary, variant)
		v.bg.StrokeWidth = 2
	} else {
		v.bg.FillColor = th.Color(theme.ColorNameHeaderBackground, variant)
		v.bg.StrokeWidth = 0
	}
	v.bg.Refresh()
}

// stepErrorText is the engine's "Step: what went wrong" with the step's name in
// the UI language.
func stepErrorText(s webtrace.Step) string {
	msg := s.ErrorText()
	if rest, ok := strings.CutPrefix(msg, s.Kind.Title()+": "); ok {
		return tr(s.Kind.Title()) + ": " + rest
	}
	return msg
}

// wrappedLabel is a label that wraps at words and breaks a word longer than
// the line (a URL, a certificate name) instead of asking for its width.
func wrappedLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// detailGrid shows label/value pairs in two columns, labels bold and aligned
// to the values.
func detailGrid(details []webtrace.Detail) *fyne.Container {
	grid := container.New(&detailLayout{})
	for _, d := range details {
		label := wrappedLabel(d.Label)
		label.TextStyle.Bold = true
		label.Alignment = fyne.TextAlignTrailing
		grid.Add(label)
		grid.Add(wrappedLabel(d.Value))
	}
	return grid
}

// detailLabelShare is the most of the width the label column may take; a
// longer label (a header name from the network) wraps within it.
const detailLabelShare = 0.35

// detailLayout places label/value pairs (objects 0,1 then 2,3 ...) in rows.
// The label column is as wide as its widest label asks, up to
// detailLabelShare of the width; both columns wrap, and each row is as tall as
// its taller side at the width it was given. It asks for no width of its own.
type detailLayout struct {
	width float32 // the width of the last layout; 0 before the first
}

func (l *detailLayout) columns(objs []fyne.CanvasObject, width float32) (label, value float32) {
	th := theme.Current()
	pad, inner, text := th.Size(theme.SizeNamePadding), th.Size(theme.SizeNameInnerPadding), th.Size(theme.SizeNameText)
	for i := 0; i+1 < len(objs); i += 2 {
		if lb, ok := objs[i].(*widget.Label); ok {
			label = max(label, fyne.MeasureText(lb.Text, text, lb.TextStyle).Width+2*inner)
		}
	}
	label = min(label, width*detailLabelShare)
	return label, max(width-label-pad, 0)
}

func (l *detailLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	lw, vw := l.columns(objs, size.Width)
	pad := theme.Current().Size(theme.SizeNamePadding)
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		label, value := objs[i], objs[i+1]
		// A wrapped label knows its height once it has its width.
		label.Resize(fyne.NewSize(lw, label.Size().Height))
		value.Resize(fyne.NewSize(vw, value.Size().Height))
		h := max(label.MinSize().Height, value.MinSize().Height)
		label.Move(fyne.NewPos(0, y))
		label.Resize(fyne.NewSize(lw, h))
		value.Move(fyne.NewPos(lw+pad, y))
		value.Resize(fyne.NewSize(vw, h))
		y += h + pad
	}
}

// MinSize is the rows' height at the last layout's width. Before the first
// layout a wrapped label would measure one character a line, so each row
// counts as one line until then.
func (l *detailLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Current().Size(theme.SizeNamePadding)
	var h float32
	for i := 0; i+1 < len(objs); i += 2 {
		if i > 0 {
			h += pad
		}
		if l.width == 0 {
			h += oneLineHeight()
			continue
		}
		h += max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
	}
	return fyne.NewSize(0, h)
}

// oneLineHeight is the height of a one-line label.
func oneLineHeight() float32 {
	th := theme.Current()
	return fyne.MeasureText("M", th.Size(theme.SizeNameText), fyne.TextStyle{}).Height + 2*th.Size(theme.SizeNameInnerPadding)
}

// bodyPreview shows the start of the body, each line escaped: a page is untrusted
// data and is shown as text, never interpreted.
func bodyPreview(b *webtrace.BodyPreview) fyne.CanvasObject {
	lines := strings.Split(b.Text, "\n")
	more := len(lines) > bodyPreviewLines
	if more {
		lines = lines[:bodyPreviewLines]
	}
	for i, l := range lines {
		lines[i] = charset.DisplayText(strings.TrimSuffix(l, "\r"))
	}
	if more || b.Truncated {
		lines = append(lines, "…")
	}
	head := wrappedLabel(trf("Body preview (%d bytes, %s):", b.Size, b.Charset.Name()))
	head.TextStyle.Italic = true
	text := widget.NewLabelWithStyle(strings.Join(lines, "\n"), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	text.Wrapping = fyne.TextWrapBreak
	return container.NewVBox(head, text)
}
