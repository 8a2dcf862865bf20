package seqdiagram

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// chart draws a diagram's lifelines and rows. Arrows are level: the socket
// API does not say how long a segment took to cross, so no slope pretends
// to; the times are written beside them instead.
type chart struct {
	widget.BaseWidget
	d *Diagram
}

// sameShape reports whether a chart drawn for a can show b by changing its
// texts: the same rows of the same kinds.
func sameShape(a, b *Diagram) bool {
	if len(a.Rows) != len(b.Rows) {
		return false
	}
	for i := range a.Rows {
		if a.Rows[i].Kind != b.Rows[i].Kind {
			return false
		}
	}
	return true
}

func newChart(d *Diagram) *chart {
	c := &chart{d: d}
	c.ExtendBaseWidget(c)
	return c
}

// rowObjects are the canvas objects of one row.
type rowObjects struct {
	at, moment, label  *canvas.Text
	line, head1, head2 *canvas.Line      // an arrow
	box                *canvas.Rectangle // a span or a state
}

type chartRenderer struct {
	c         *chart
	lifelines [2]*canvas.Line
	captions  [2]*canvas.Text // each side's role
	addrs     [2]*canvas.Text // and address, under it
	rows      []rowObjects
	objects   []fyne.CanvasObject
	m         metrics
}

// metrics are the sizes a layout needs, measured from the texts.
type metrics struct {
	pad, lineH, smallH, rowH, headH float32
	timeW, labelW, stateW           float32
	roleW, addrW, captionW          [2]float32
}

func (c *chart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	add := func(o fyne.CanvasObject) { r.objects = append(r.objects, o) }
	for i := range 2 {
		r.lifelines[i] = canvas.NewLine(color.Black)
		r.captions[i] = canvas.NewText("", color.Black)
		r.captions[i].TextStyle.Bold = true
		r.addrs[i] = canvas.NewText("", color.Black)
		add(r.lifelines[i])
		add(r.captions[i])
		add(r.addrs[i])
	}
	for _, row := range c.d.Rows {
		ro := rowObjects{at: canvas.NewText("", color.Black), moment: canvas.NewText("", color.Black), label: canvas.NewText("", color.Black)}
		if row.Kind == Arrow {
			ro.line, ro.head1, ro.head2 = canvas.NewLine(color.Black), canvas.NewLine(color.Black), canvas.NewLine(color.Black)
			add(ro.line)
			add(ro.head1)
			add(ro.head2)
		} else {
			ro.box = canvas.NewRectangle(color.Transparent)
			ro.box.CornerRadius = 4
			add(ro.box)
		}
		add(ro.at)
		add(ro.moment)
		add(ro.label)
		r.rows = append(r.rows, ro)
	}
	r.Refresh()
	return r
}

// Refresh applies the theme's colours and sizes and measures again.
func (r *chartRenderer) Refresh() {
	th, v := r.c.Theme(), themeVariant()
	col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
	size, small := th.Size(theme.SizeNameText), th.Size(theme.SizeNameCaptionText)
	m := metrics{pad: th.Size(theme.SizeNamePadding)}
	m.lineH = fyne.MeasureText("Mg", size, fyne.TextStyle{}).Height
	m.rowH = 2*m.lineH + m.pad
	m.smallH = fyne.MeasureText("Mg", small, fyne.TextStyle{}).Height
	m.headH = m.lineH + m.smallH + 2*m.pad
	for i, side := range [][2]string{{r.c.d.Client, r.c.d.ClientAddr}, {r.c.d.Server, r.c.d.ServerAddr}} {
		t, a := r.captions[i], r.addrs[i]
		t.Text, t.TextSize, t.Color = side[0], size, col(theme.ColorNameForeground)
		a.Text, a.TextSize, a.Color = side[1], small, col(theme.ColorNameForeground)
		m.roleW[i], m.addrW[i] = fyne.MeasureText(side[0], size, t.TextStyle).Width, fyne.MeasureText(side[1], small, a.TextStyle).Width
		m.captionW[i] = max(m.roleW[i], m.addrW[i])
		r.lifelines[i].StrokeColor, r.lifelines[i].StrokeWidth = col(theme.ColorNamePlaceHolder), 1
	}
	for i, row := range r.c.d.Rows {
		ro := r.rows[i]
		ro.at.Text, ro.moment.Text, ro.label.Text = row.At, row.Moment, row.Label
		ro.at.TextSize, ro.at.Color = small, col(theme.ColorNameForeground)
		ro.moment.TextSize, ro.moment.Color = small, col(theme.ColorNamePlaceHolder)
		ro.label.TextSize, ro.label.Color = size, col(theme.ColorNameForeground)
		m.timeW = max(m.timeW, fyne.MeasureText(row.At, small, fyne.TextStyle{}).Width, fyne.MeasureText(row.Moment, small, fyne.TextStyle{}).Width)
		w := fyne.MeasureText(row.Label, size, fyne.TextStyle{}).Width
		switch row.Kind {
		case Arrow:
			// What the client sends in the accent colour, what the server
			// sends in the text colour: as the log colours sent and received.
			c := col(theme.ColorNameForeground)
			if row.From == Client {
				c = col(theme.ColorNamePrimary)
			}
			for _, l := range []*canvas.Line{ro.line, ro.head1, ro.head2} {
				l.StrokeColor, l.StrokeWidth = c, 1.5
			}
			m.labelW = max(m.labelW, w)
		case Span:
			ro.box.FillColor = col(theme.ColorNameHover)
			m.labelW = max(m.labelW, w)
		case State:
			ro.box.FillColor = col(theme.ColorNameInputBackground)
			ro.box.StrokeColor, ro.box.StrokeWidth = col(theme.ColorNameWarning), 1
			ro.label.TextStyle.Bold = true
			m.stateW = max(m.stateW, fyne.MeasureText(row.Label, size, ro.label.TextStyle).Width+2*m.pad)
		}
	}
	// Room for TIME_WAIT whether or not the connection has closed yet, so
	// the drawing keeps its width when the close comes.
	m.stateW = max(m.stateW, fyne.MeasureText("TIME_WAIT", size, fyne.TextStyle{Bold: true}).Width+2*m.pad)
	r.m = m
	for _, o := range r.objects {
		o.Refresh()
	}
	r.Layout(r.c.Size())
}

// lifelineX is where the two lifelines stand at width w: the times' column,
// then room for half a state's box, the client; the server as far right as
// the width allows, keeping room for half a box.
func (r *chartRenderer) lifelineX(w float32) (left, right float32) {
	m := r.m
	left = max(m.timeW+3*m.pad+m.stateW/2, m.timeW+3*m.pad+m.captionW[0]/2)
	minGap := max(m.labelW+6*m.pad, (m.captionW[0]+m.captionW[1])/2+4*m.pad, 120)
	right = max(left+minGap, w-m.pad-max(m.stateW, m.captionW[1])/2)
	return left, right
}

func (r *chartRenderer) MinSize() fyne.Size {
	_, right := r.lifelineX(0)
	m := r.m
	return fyne.NewSize(right+m.pad+max(m.stateW, m.captionW[1])/2, m.headH+float32(len(r.rows))*m.rowH+m.pad)
}

func (r *chartRenderer) Layout(size fyne.Size) {
	m := r.m
	left, right := r.lifelineX(size.Width)
	xs := [2]float32{left, right}
	bottom := m.headH + float32(len(r.rows))*m.rowH
	for i := range 2 {
		r.captions[i].Move(fyne.NewPos(xs[i]-m.roleW[i]/2, m.pad))
		r.addrs[i].Move(fyne.NewPos(xs[i]-m.addrW[i]/2, m.pad+m.lineH))
		r.lifelines[i].Position1 = fyne.NewPos(xs[i], m.headH)
		r.lifelines[i].Position2 = fyne.NewPos(xs[i], bottom)
	}
	for i, row := range r.c.d.Rows {
		ro := r.rows[i]
		top := m.headH + float32(i)*m.rowH
		ro.at.Move(fyne.NewPos(0, top))
		ro.moment.Move(fyne.NewPos(0, top+m.lineH*0.9))
		lw := fyne.MeasureText(row.Label, ro.label.TextSize, ro.label.TextStyle).Width
		switch row.Kind {
		case Arrow:
			y := top + m.lineH + m.pad
			from, to := xs[row.From], xs[1-row.From]
			ro.line.Position1, ro.line.Position2 = fyne.NewPos(from, y), fyne.NewPos(to, y)
			back := float32(8)
			if to < from {
				back = -8
			}
			ro.head1.Position1, ro.head1.Position2 = fyne.NewPos(to-back, y-4), fyne.NewPos(to, y)
			ro.head2.Position1, ro.head2.Position2 = fyne.NewPos(to-back, y+4), fyne.NewPos(to, y)
			ro.label.Move(fyne.NewPos((left+right-lw)/2, top))
		case Span:
			ro.box.Move(fyne.NewPos(left, top+m.pad/2))
			ro.box.Resize(fyne.NewSize(right-left, m.rowH-m.pad))
			ro.label.Move(fyne.NewPos((left+right-lw)/2, top+(m.rowH-m.lineH)/2))
		case State:
			x := xs[row.From]
			ro.box.Move(fyne.NewPos(x-m.stateW/2, top+m.pad/2))
			ro.box.Resize(fyne.NewSize(m.stateW, m.rowH-m.pad))
			ro.label.Move(fyne.NewPos(x-lw/2, top+(m.rowH-m.lineH)/2))
		}
	}
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) Destroy()                     {}
