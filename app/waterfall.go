package app

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// waterfall draws a trace as a browser's network timeline does: one row per step,
// its bar placed and sized to scale on a shared time axis, its duration beside it.
type waterfall struct {
	rows  *fyne.Container
	total time.Duration // the axis: the end of the latest step
	bars  []*barLayout
	axis  *widget.Label
}

func newWaterfall() *waterfall {
	w := &waterfall{rows: container.NewVBox(), axis: widget.NewLabel("")}
	return w
}

func (w *waterfall) Object() fyne.CanvasObject {
	return container.NewBorder(w.axis, nil, nil, nil, w.rows)
}

func (w *waterfall) clear() {
	w.rows.RemoveAll()
	w.bars = nil
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
	row := container.NewBorder(nil, nil, fit.Width(name, 130), fit.Width(dur, 80), container.New(bl, bar))
	w.rows.Add(row)
	w.axis.SetText(trf("Total %s", webtrace.FormatDuration(w.total)))
	for _, r := range w.rows.Objects {
		r.Refresh()
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

// barSpan reports where row i's bar sits as fractions of the axis, for tests.
func (w *waterfall) barSpan(i int) (from, to float64) {
	b := w.bars[i]
	return float64(b.start) / float64(w.total), float64(b.end) / float64(w.total)
}
