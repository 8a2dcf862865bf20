package seqdiagram

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// View shows one diagram, or a sentence saying why there is none.
type View struct {
	title  *widget.Label
	chart  *fyne.Container // holds the chart of the diagram shown
	facts  *fyne.Container
	notes  *fyne.Container
	object *fyne.Container

	factsShown []Fact
	notesShown []string
}

// New makes an empty view; Set shows a diagram in it.
func New() *View {
	v := &View{title: wrapped(""), chart: container.NewStack(), facts: container.New(layout.NewFormLayout()), notes: container.NewVBox()}
	v.title.TextStyle.Bold = true
	v.object = container.NewVBox(v.title, v.chart, v.facts, v.notes)
	return v
}

// Object is the view's widget tree.
func (v *View) Object() fyne.CanvasObject { return v.object }

// Set shows d. A diagram of the same shape as the one shown (the same
// connection, more messages counted) changes the drawing's texts only, so a
// busy connection costs little.
func (v *View) Set(d Diagram) {
	v.title.SetText(d.Title)
	if c, ok := v.shown(); ok && sameShape(c.d, &d) {
		c.d = &d
		c.Refresh()
	} else {
		v.chart.Objects = []fyne.CanvasObject{newChart(&d)}
		v.chart.Refresh()
	}
	if slices.Equal(v.factsShown, d.Facts) && slices.Equal(v.notesShown, d.Notes) {
		return
	}
	v.factsShown, v.notesShown = d.Facts, d.Notes
	v.facts.RemoveAll()
	for _, f := range d.Facts {
		l := widget.NewLabelWithStyle(f.Label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		v.facts.Add(l)
		v.facts.Add(wrapped(f.Value))
	}
	v.notes.RemoveAll()
	for _, n := range d.Notes {
		l := wrapped(n)
		l.SizeName = theme.SizeNameCaptionText
		v.notes.Add(l)
	}
}

// SetMessage shows text instead of a diagram (there is no connection yet).
func (v *View) SetMessage(text string) {
	v.title.SetText(text)
	v.chart.Objects = nil
	v.chart.Refresh()
	v.factsShown, v.notesShown = nil, nil
	v.facts.RemoveAll()
	v.notes.RemoveAll()
}

// shown is the chart shown, if any.
func (v *View) shown() (*chart, bool) {
	if len(v.chart.Objects) == 0 {
		return nil, false
	}
	c, ok := v.chart.Objects[0].(*chart)
	return c, ok
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// themeVariant is the app's light or dark variant now.
func themeVariant() fyne.ThemeVariant {
	if a := fyne.CurrentApp(); a != nil {
		return a.Settings().ThemeVariant()
	}
	return theme.VariantLight
}
