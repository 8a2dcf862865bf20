package plot

import (
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// area is the plot itself: the background, grid and curves in one raster, the
// grid labels around it, and the cursor and marker of the value under the
// pointer.
type area struct {
	widget.BaseWidget
	chart *Chart

	raster  *canvas.Raster
	img     *image.NRGBA
	cursor  *canvas.Line
	marker  *canvas.Circle
	empty   *canvas.Text
	yLabels []*canvas.Text
	xLabels []*canvas.Text
	objects []fyne.CanvasObject

	plot       rect    // where the raster is, in the area's coordinates
	leftMargin float32 // grows to the widest value label, never shrinks while the range mode holds
	yValues    []float64
	xTimes     []time.Time
}

type rect struct {
	Pos  fyne.Position
	Size fyne.Size
}

func (r rect) contains(p fyne.Position) bool {
	return p.X >= r.Pos.X && p.Y >= r.Pos.Y && p.X < r.Pos.X+r.Size.Width && p.Y < r.Pos.Y+r.Size.Height
}

func newArea(c *Chart) *area {
	a := &area{chart: c}
	a.raster = canvas.NewRaster(func(w, h int) image.Image {
		a.img = c.frame.draw(a.img, w, h)
		return a.img
	})
	a.cursor = canvas.NewLine(theme.Color(theme.ColorNamePlaceHolder))
	a.cursor.Hide()
	a.marker = canvas.NewCircle(theme.Color(theme.ColorNameForeground))
	a.marker.Hide()
	a.empty = canvas.NewText(c.tr("No values yet"), theme.Color(theme.ColorNamePlaceHolder))
	a.ExtendBaseWidget(a)
	return a
}

func (a *area) CreateRenderer() fyne.WidgetRenderer { return &areaRenderer{a: a} }

func (a *area) MinSize() fyne.Size { return fyne.NewSize(200, 120) }

// MouseIn, MouseMoved and MouseOut make the area desktop.Hoverable: the value
// under the pointer is shown while it rests over the plot.
func (a *area) MouseIn(e *desktop.MouseEvent) { a.MouseMoved(e) }

func (a *area) MouseMoved(e *desktop.MouseEvent) {
	a.chart.hover.in, a.chart.hover.pos = true, e.Position
	a.chart.updateHover()
}

func (a *area) MouseOut() {
	a.chart.hover.in = false
	a.chart.updateHover()
}

var _ desktop.Hoverable = (*area)(nil)

// labelSize is the text size of the axis labels.
func labelSize() float32 { return theme.CaptionTextSize() }

// showFrame labels the grid of a new frame and has the raster drawn again.
func (a *area) showFrame(values []float64, times []time.Time, step time.Duration) {
	a.yValues, a.xTimes = values, times
	fg := theme.Color(theme.ColorNameForeground)
	a.yLabels = textPool(a.yLabels, len(values), fg)
	valueStep := 1.0
	if len(values) > 1 {
		valueStep = values[1] - values[0]
	}
	widest := float32(0)
	for i, v := range values {
		a.yLabels[i].Text = formatTick(v, valueStep)
		widest = max(widest, a.yLabels[i].MinSize().Width)
	}
	a.xLabels = textPool(a.xLabels, len(times), fg)
	for i, t := range times {
		a.xLabels[i].Text = formatTime(t, step)
	}
	a.empty.Hidden = len(a.chart.frame.lines) > 0
	if margin := widest + theme.Padding()*2; margin > a.leftMargin {
		a.leftMargin = margin
		a.layoutPlot(a.Size()) // the plot narrows: the next tick redraws it at its new width
	}
	a.placeLabels()
	a.Refresh()
}

// textPool returns n texts, reusing those in pool.
func textPool(pool []*canvas.Text, n int, fg color.Color) []*canvas.Text {
	for len(pool) < n {
		t := canvas.NewText("", fg)
		t.TextSize = labelSize()
		pool = append(pool, t)
	}
	for i, t := range pool {
		t.Hidden = i >= n
		t.Color = fg
	}
	return pool
}

// layoutPlot places the raster in an area of the given size, leaving room for
// the labels: the value labels on the left, the time labels below.
func (a *area) layoutPlot(size fyne.Size) {
	textHeight := fyne.MeasureText("0", labelSize(), fyne.TextStyle{}).Height
	timeHalf := fyne.MeasureText("00:00:00", labelSize(), fyne.TextStyle{}).Width / 2
	left := max(a.leftMargin, timeHalf)
	top := textHeight / 2
	a.plot = rect{
		Pos:  fyne.NewPos(left, top),
		Size: fyne.NewSize(max(size.Width-left-timeHalf, 0), max(size.Height-top-textHeight-theme.Padding(), 0)),
	}
	a.raster.Move(a.plot.Pos)
	a.raster.Resize(a.plot.Size)
	a.empty.Move(fyne.NewPos(a.plot.Pos.X+(a.plot.Size.Width-a.empty.MinSize().Width)/2, a.plot.Pos.Y+(a.plot.Size.Height-a.empty.MinSize().Height)/2))
}

// placeLabels puts each label at its grid line.
func (a *area) placeLabels() {
	v := a.chart.view
	f := &a.chart.frame
	if v.width < 2 || !(f.hi > f.lo) {
		return
	}
	for i, val := range a.yValues {
		l := a.yLabels[i]
		s := l.MinSize()
		y := a.plot.Pos.Y + float32((f.hi-val)/(f.hi-f.lo))*a.plot.Size.Height
		l.Move(fyne.NewPos(a.plot.Pos.X-s.Width-theme.Padding(), y-s.Height/2))
	}
	for i, t := range a.xTimes {
		l := a.xLabels[i]
		s := l.MinSize()
		x := a.plot.Pos.X + float32(v.xOf(t.UnixNano()))/v.scale
		l.Move(fyne.NewPos(x-s.Width/2, a.plot.Pos.Y+a.plot.Size.Height+theme.Padding()/2))
	}
}

type areaRenderer struct {
	a    *area
	size fyne.Size
}

func (r *areaRenderer) Layout(size fyne.Size) {
	a := r.a
	a.layoutPlot(size)
	a.placeLabels()
	if size != r.size {
		r.size = size
		a.chart.redraw() // the columns follow the new width
	}
}

func (r *areaRenderer) MinSize() fyne.Size { return r.a.MinSize() }

func (r *areaRenderer) Refresh() {
	a := r.a
	a.cursor.StrokeColor = theme.Color(theme.ColorNamePlaceHolder)
	a.marker.FillColor = theme.Color(theme.ColorNameForeground)
	a.empty.Color = theme.Color(theme.ColorNamePlaceHolder)
	a.chart.recolour()
	a.placeLabels()
	for _, o := range r.Objects() {
		if o != a.raster {
			o.Refresh()
		}
	}
	a.raster.Refresh()
}

func (r *areaRenderer) Objects() []fyne.CanvasObject {
	a := r.a
	a.objects = append(a.objects[:0], a.raster, a.empty, a.cursor, a.marker)
	for _, t := range a.yLabels {
		a.objects = append(a.objects, t)
	}
	for _, t := range a.xLabels {
		a.objects = append(a.objects, t)
	}
	return a.objects
}

func (r *areaRenderer) Destroy() {}
