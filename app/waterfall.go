package app

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// waterfall draws a trace as a browser's network timeline does: one row per step,
// its bar placed and sized to scale on a shared time axis, its duration beside it.
// Tapping a row (its name or its bar) picks the step: onPick is called with its
// index, and the row stays marked until another is picked.
type waterfall struct {
	rows   *fyne.Container
	total  time.Duration // the axis: the end of the latest step
	bars   []*barLayout
	marked []*waterfallRow
	axis   *widget.Label
	onPick func(i int)
}

func newWaterfall(onPick func(i int)) *waterfall {
	return &waterfall{rows: container.NewVBox(), axis: widget.NewLabel(""), onPick: onPick}
}

func (w *waterfall) Object() fyne.CanvasObject {
	return container.NewBorder(w.axis, nil, nil, nil, w.rows)
}

func (w *waterfall) clear() {
	w.rows.RemoveAll()
	w.bars, w.marked = nil, nil
	w.total = 0
	w.axis.SetText("")
}

// add draws one more step and rescales the rows before it to the new total.
func (w *waterfall) add(s webtrace.Step) {
	w.total = max(w.total, s.End())
	bar := canvas.NewRectangle(stepColor(s))
	bar.CornerRadius = 3
	bl := &barLayout{start: s.Start, end: s.End(), total: &w.total}
	w.bars = append(w.bars, bl)
	title := tr(s.Kind.Title())
	if s.Hop > 0 {
		title = trf("%s (hop %d)", title, s.Hop+1)
	}
	name := widget.NewLabel(title)
	dur := widget.NewLabel(webtrace.FormatDuration(s.Duration))
	if s.Skipped {
		dur.SetText(tr("skipped"))
	}
	if s.Failed {
		dur.SetText(tr("failed"))
		dur.Importance = widget.DangerImportance
	}
	i := len(w.marked)
	row := newWaterfallRow(container.NewBorder(nil, nil, fit.Width(name, 130), fit.Width(dur, 80), container.New(bl, bar)), func() {
		if w.onPick != nil {
			w.onPick(i)
		}
	})
	w.marked = append(w.marked, row)
	w.rows.Add(row)
	w.axis.SetText(trf("Total %s", webtrace.FormatDuration(w.total)))
	for _, r := range w.rows.Objects {
		r.Refresh()
	}
}

// mark highlights row i alone; -1 marks none.
func (w *waterfall) mark(i int) {
	for j, r := range w.marked {
		r.setSelected(j == i)
	}
}

// setTotal fixes the axis at the trace's total once it is known.
func (w *waterfall) setTotal(total time.Duration) {
	w.total = max(w.total, total)
	w.axis.SetText(trf("Total %s", webtrace.FormatDuration(w.total)))
	w.rows.Refresh()
}

func stepColor(s webtrace.Step) color.Color {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	t := fyne.CurrentApp().Settings().Theme()
	switch {
	case s.Failed:
		return t.Color(theme.ColorNameError, v)
	case s.Skipped:
		return t.Color(theme.ColorNameDisabled, v)
	}
	return t.Color(theme.ColorNamePrimary, v)
}

// barLayout places a step's bar inside its row: from start to end on an axis of
// total, at least a few pixels wide so an instant step still shows.
type barLayout struct {
	start, end time.Duration
	total      *time.Duration
}

const minBarWidth = 3

func (l *barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	total := float32(*l.total)
	if total <= 0 {
		total = 1
	}
	x := size.Width * float32(l.start) / total
	w := max(minBarWidth, size.Width*float32(l.end-l.start)/total)
	x = min(x, size.Width-w)
	h := size.Height * 0.6
	for _, o := range objs {
		o.Move(fyne.NewPos(max(x, 0), (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
	}
}

func (l *barLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(120, 20) }

// waterfallRow is one row of the chart, tappable as a whole, with a pointer
// cursor and a hover shade so that it looks like what it does.
type waterfallRow struct {
	widget.BaseWidget
	content           fyne.CanvasObject
	bg                *canvas.Rectangle
	selected, hovered bool
	onTap             func()
}

func newWaterfallRow(content fyne.CanvasObject, onTap func()) *waterfallRow {
	r := &waterfallRow{content: content, bg: canvas.NewRectangle(color.Transparent), onTap: onTap}
	r.ExtendBaseWidget(r)
	return r
}

func (r *waterfallRow) CreateRenderer() fyne.WidgetRenderer {
	r.applyColors()
	return widget.NewSimpleRenderer(container.NewStack(r.bg, r.content))
}

func (r *waterfallRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap()
	}
}

func (r *waterfallRow) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (r *waterfallRow) MouseIn(*desktop.MouseEvent)    { r.hovered = true; r.Refresh() }
func (r *waterfallRow) MouseMoved(*desktop.MouseEvent) {}
func (r *waterfallRow) MouseOut()                      { r.hovered = false; r.Refresh() }

func (r *waterfallRow) setSelected(on bool) {
	if r.selected != on {
		r.selected = on
		r.Refresh()
	}
}

// Refresh also follows a change of theme (light/dark).
func (r *waterfallRow) Refresh() {
	r.applyColors()
	r.BaseWidget.Refresh()
}

func (r *waterfallRow) applyColors() {
	th, variant := r.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	switch {
	case r.selected:
		r.bg.FillColor = th.Color(theme.ColorNameSelection, variant)
	case r.hovered:
		r.bg.FillColor = th.Color(theme.ColorNameHover, variant)
	default:
		r.bg.FillColor = color.Transparent
	}
	r.bg.Refresh()
}

// barSpan reports where row i's bar sits as fractions of the axis, for tests.
func (w *waterfall) barSpan(i int) (from, to float64) {
	b := w.bars[i]
	return float64(b.start) / float64(w.total), float64(b.end) / float64(w.total)
}
