package plot

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/app/tint"
)

// hover is the pointer over the plot and what the line under the controls says.
type hover struct {
	in   bool
	pos  fyne.Position // in the area's coordinates
	err  string        // a range error, shown instead of the readout
	text string        // the value under the pointer, "" if none
	// The point read, for tests and the marker.
	key  string
	t    time.Time
	v    float64
	have bool
}

// updateHover finds the point nearest the pointer: of the visible series' points
// nearest in time to the pointer's column, the one nearest the pointer on screen.
func (c *Chart) updateHover() {
	a, view, f := c.area, c.view, &c.frame
	h := &c.hover
	h.have, h.text = false, ""
	if h.in && view.width >= 2 && a.plot.contains(h.pos) && f.hi > f.lo {
		col := int((h.pos.X - a.plot.Pos.X) * view.scale)
		target := view.timeAt(col).UnixNano()
		pointerY := float64((h.pos.Y - a.plot.Pos.Y) * view.scale)
		best := math.Inf(1)
		for _, v := range c.views {
			if !v.on {
				continue
			}
			t, val, ok := nearestPoint(v.s, target, view.k0*view.dt, (view.k0+int64(view.width))*view.dt)
			if !ok {
				continue
			}
			y := (f.hi - val) / (f.hi - f.lo) * float64(view.height-1)
			if d := math.Abs(y - pointerY); d < best {
				best = d
				h.key, h.t, h.v, h.have = v.s.key, time.Unix(0, t), val, true
			}
		}
	}
	if h.have {
		h.text = fmt.Sprintf("%s  %s = %s", h.t.Format("15:04:05.000"), h.key, strconv.FormatFloat(h.v, 'g', -1, 64))
		x := a.plot.Pos.X + float32(view.xOf(h.t.UnixNano()))/view.scale
		y := a.plot.Pos.Y + float32((f.hi-h.v)/(f.hi-f.lo))*a.plot.Size.Height
		r := float32(4)
		a.marker.Move(fyne.NewPos(x-r, y-r))
		a.marker.Resize(fyne.NewSquareSize(2 * r))
		a.marker.Show()
		a.cursor.Position1 = fyne.NewPos(h.pos.X, a.plot.Pos.Y)
		a.cursor.Position2 = fyne.NewPos(h.pos.X, a.plot.Pos.Y+a.plot.Size.Height)
		a.cursor.Show()
		a.cursor.Refresh()
		a.marker.Refresh()
	} else if a.marker.Visible() || a.cursor.Visible() {
		a.marker.Hide()
		a.cursor.Hide()
	}
	c.showReadout()
}

// nearestPoint is the series' point nearest in time to t within [from, to).
func nearestPoint(s *series, t, from, to int64) (int64, float64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.search(t)
	bestT, bestV, ok := int64(0), 0.0, false
	for _, j := range []int{i - 1, i} {
		if j < 0 || j >= len(s.t) {
			continue
		}
		pt, pv := s.at(j)
		if pt < from || pt >= to {
			continue
		}
		if !ok || abs64(pt-t) < abs64(bestT-t) {
			bestT, bestV, ok = pt, pv, true
		}
	}
	return bestT, bestV, ok
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// showReadout fills the line under the controls: a range error, the value under
// the pointer, or the hint.
func (c *Chart) showReadout() {
	text, importance := c.tr("Point at the chart to read a value"), widget.LowImportance
	switch {
	case c.hover.err != "":
		text, importance = c.hover.err, widget.DangerImportance
	case c.hover.text != "":
		text, importance = c.hover.text, widget.MediumImportance
	}
	if c.readout.Text != text || c.readout.Importance != importance {
		c.readout.Text, c.readout.Importance = text, importance
		c.readout.Refresh()
	}
}

// recolour follows a theme change: the swatches and the lines take the new colours.
func (c *Chart) recolour() {
	th, variant := theme.CurrentForWidget(c), fyne.CurrentApp().Settings().ThemeVariant()
	for _, v := range c.views {
		col := seriesColor(v.index, th, variant)
		if v.swatch.FillColor != col {
			v.swatch.FillColor = col
			v.swatch.Refresh()
		}
	}
	for i := range c.frame.lines {
		c.frame.lines[i].color = seriesColor(c.frame.lines[i].index, th, variant)
	}
	c.frame.background = tint.NRGBA(th.Color(theme.ColorNameInputBackground, variant))
	c.frame.grid = tint.NRGBA(th.Color(theme.ColorNameSeparator, variant))
}
