package plot

import (
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/sockdesk/sockdesk/app/tint"
)

// Tick brings the picture up to date. Call it on the UI goroutine at every UI
// tick while the chart may be seen, whether or not data came (the time axis
// moves with the clock): the session pump's batched fyne.Do, every 16 to 100 ms.
// It folds in only the points added since the last tick and redraws only when
// the picture changed, so it costs little when nothing did; the raster itself is
// painted when Fyne next draws the window, so never more often than its frames.
func (c *Chart) Tick() {
	c.syncExportButtons()
	c.syncSeries()
	c.redraw()
}

// redraw makes the frame for the current view and settings.
func (c *Chart) redraw() {
	view, ok := c.viewport()
	if !ok {
		return
	}
	th, variant := theme.CurrentForWidget(c), fyne.CurrentApp().Settings().ThemeVariant()
	buckets := view.width + view.width/4 + 8 // room for points a little ahead of the clock
	limit := int64(math.MaxInt64)
	if c.paused {
		limit = c.pausedEnd.UnixNano()
	}
	var seen uint64
	lo, hi, any := 0.0, 0.0, false
	lines := c.frame.lines[:0]
	for _, v := range c.views {
		if !v.on {
			continue
		}
		if !c.paused || !v.cols.matches(view.k0, buckets, view.dt, limit) {
			v.cols.update(v.s, view.k0, buckets, view.dt, limit)
		}
		seen += v.cols.seen
		if l, h, ok := v.cols.valueRange(view.width); ok {
			if !any {
				lo, hi, any = l, h, true
			}
			lo, hi = min(lo, l), max(hi, h)
		}
		lines = append(lines, line{cols: &v.cols, color: seriesColor(v.index, th, variant), index: v.index})
	}
	yTicks := max(2, int(float32(view.height)/(50*view.scale)))
	switch {
	case !c.auto:
		lo, hi = c.fixedLo, c.fixedHi
	case any:
		lo, hi = autoRange(lo, hi, yTicks)
	default:
		lo, hi = 0, 1
	}
	sig := signature{view: view, lo: lo, hi: hi, seen: seen, changes: c.changes}
	c.frame.lines = lines
	if sig == c.drawn {
		c.updateHover() // the data under a resting pointer can still change
		return
	}
	c.drawn, c.view = sig, view

	f := &c.frame
	f.width, f.height, f.lo, f.hi = view.width, view.height, lo, hi
	f.yGrid = valueTicks(lo, hi, yTicks)
	f.xGrid = f.xGrid[:0]
	times, step := timeTicks(view.start(), view.end(), max(1, int(float32(view.width)/(90*view.scale))))
	for _, t := range times {
		f.xGrid = append(f.xGrid, int(t.Sub(view.start()).Nanoseconds()/view.dt))
	}
	f.background = tint.NRGBA(th.Color(theme.ColorNameInputBackground, variant))
	f.grid = tint.NRGBA(th.Color(theme.ColorNameSeparator, variant))
	f.lineWidth = max(1, int(math.Round(float64(1.5*view.scale))))
	c.area.showFrame(f.yGrid, times, step)
	c.updateHover()
}

// viewport is the time span on screen now; ok is false before the chart is laid out.
func (c *Chart) viewport() (viewport, bool) {
	size := c.area.plot.Size
	scale := float32(1)
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c.area); cv != nil {
		scale = cv.Scale()
	}
	width, height := int(size.Width*scale), int(size.Height*scale)
	if width < 2 || height < 2 {
		return viewport{}, false
	}
	dt := max(c.window.Nanoseconds()/int64(width), 1)
	end := c.now()
	if c.paused {
		end = c.pausedEnd
	}
	last := ceilDiv(end.UnixNano(), dt) // the view ends on a column boundary: no half columns
	return viewport{dt: dt, k0: last - int64(width), width: width, height: height, scale: scale}, true
}

func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}

// matches tells whether the buckets already are those of this view.
func (c *columns) matches(k0 int64, n int, dt, limit int64) bool {
	return c.valid && c.k0 == k0 && len(c.buckets) == n && c.dt == dt && c.limit == limit
}

// xOf is the column of time t (nanoseconds) in the view, fractional.
func (v viewport) xOf(t int64) float64 {
	return float64(t-v.k0*v.dt) / float64(v.dt)
}

// timeAt is the time at the middle of column x.
func (v viewport) timeAt(x int) time.Time {
	return time.Unix(0, (v.k0+int64(x))*v.dt+v.dt/2)
}
