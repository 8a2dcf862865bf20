package plot

import (
	"image"
	"image/color"
	"math"
)

// frame is what one redraw shows, made by Tick and drawn by the raster on the
// UI goroutine: the columns of the visible series, the value range, the grid.
type frame struct {
	width, height int     // pixels the columns were made for
	lo, hi        float64 // values at the bottom and top edge
	lines         []line
	yGrid         []float64 // values with a grid line
	xGrid         []int     // columns with a grid line
	background    color.NRGBA
	grid          color.NRGBA
	lineWidth     int
}

type line struct {
	cols  *columns
	color color.NRGBA
	index int // the series' place, which picks its colour
}

// canvas is an image being drawn into, with the frame's mapping to pixels.
type canvasImage struct {
	img        *image.NRGBA
	w, h       int
	xScale     float64 // image pixels per column
	lo, hi     float64
	lineWidth  int
	lineColour [4]uint8
}

// draw paints the frame into img (reused when its size fits) and returns it.
// Column x of the frame is drawn at image column x*w/width, so an image of
// another size than the frame's (a resize not yet ticked) still shows it whole.
func (f *frame) draw(img *image.NRGBA, w, h int) *image.NRGBA {
	if img == nil || img.Rect.Dx() != w || img.Rect.Dy() != h {
		img = image.NewNRGBA(image.Rect(0, 0, w, h))
	}
	fill(img.Pix, f.background)
	if f.width < 1 || w < 1 || h < 1 || !(f.hi > f.lo) {
		return img
	}
	c := canvasImage{img: img, w: w, h: h, xScale: float64(w) / float64(f.width), lo: f.lo, hi: f.hi, lineWidth: max(f.lineWidth, 1)}
	c.setColour(f.grid)
	c.hspan(0, w-1, 0)
	c.hspan(0, w-1, h-1)
	c.vspanPixels(0, 0, h-1, 1)
	c.vspanPixels(w-1, 0, h-1, 1)
	for _, v := range f.yGrid {
		y := int(math.Round(c.y(v)))
		c.hspan(0, w-1, y)
	}
	for _, x := range f.xGrid {
		c.vspanPixels(c.x(x), 0, h-1, 1)
	}
	for _, l := range f.lines {
		c.setColour(l.color)
		c.series(l.cols, f.width)
	}
	return img
}

// fill paints every pixel col: one pixel written, then doubled by copying.
func fill(pix []byte, col color.NRGBA) {
	if len(pix) < 4 {
		return
	}
	pix[0], pix[1], pix[2], pix[3] = col.R, col.G, col.B, col.A
	for n := 4; n < len(pix); n *= 2 {
		copy(pix[n:], pix[:n])
	}
}

func (c *canvasImage) setColour(col color.NRGBA) {
	c.lineColour = [4]uint8{col.R, col.G, col.B, col.A}
}

// x is the image column of frame column k.
func (c *canvasImage) x(k int) int { return int(float64(k) * c.xScale) }

// y is the image row of value v (fractional, not clipped).
func (c *canvasImage) y(v float64) float64 {
	return (c.hi - v) / (c.hi - c.lo) * float64(c.h-1)
}

// series draws one series: each column's span from least to greatest value, and
// the line from each column's last value to the next column's first.
func (c *canvasImage) series(cols *columns, width int) {
	px, py, have := 0.0, 0.0, false
	if b := cols.before; b.ok {
		px, py, have = float64(b.t/cols.dt-cols.k0)*c.xScale, c.y(b.v), true
	}
	for k, b := range cols.buckets[:min(width, len(cols.buckets))] {
		if b.n == 0 {
			continue
		}
		x := float64(c.x(k))
		if have {
			c.segment(px, py, x, c.y(b.first))
		}
		c.vspan(int(x), c.y(b.min), c.y(b.max))
		px, py, have = x, c.y(b.last), true
	}
}

// segment draws a line from (x0, y0) to (x1, y1), x0 <= x1, one column at a time:
// in each column the span the line crosses, so steep lines have no gaps.
func (c *canvasImage) segment(x0, y0, x1, y1 float64) {
	if x1 <= x0 {
		c.vspan(int(x1), y0, y1)
		return
	}
	slope := (y1 - y0) / (x1 - x0)
	from, to := max(int(x0), 0), min(int(x1), c.w-1)
	for x := from; x <= to; x++ {
		xa, xb := max(float64(x)-0.5, x0), min(float64(x)+0.5, x1)
		c.vspan(x, y0+(xa-x0)*slope, y0+(xb-x0)*slope)
	}
}

// vspan fills column x from row ya to row yb with the line's width.
func (c *canvasImage) vspan(x int, ya, yb float64) {
	if ya > yb {
		ya, yb = yb, ya
	}
	half := float64(c.lineWidth-1) / 2
	top := int(math.Round(clampRow(ya-half, c.h)))
	bottom := int(math.Round(clampRow(yb+half, c.h)))
	c.vspanPixels(x-(c.lineWidth-1)/2, top, bottom, c.lineWidth)
}

// clampRow keeps a row near the image, so a value far off scale costs nothing.
func clampRow(y float64, h int) float64 {
	return min(max(y, -1), float64(h))
}

func (c *canvasImage) vspanPixels(x, top, bottom, width int) {
	top, bottom = max(top, 0), min(bottom, c.h-1)
	for dx := range width {
		xx := x + dx
		if xx < 0 || xx >= c.w {
			continue
		}
		for y := top; y <= bottom; y++ {
			c.set(y*c.img.Stride + xx*4)
		}
	}
}

func (c *canvasImage) hspan(x0, x1, y int) {
	if y < 0 || y >= c.h {
		return
	}
	for x := max(x0, 0); x <= min(x1, c.w-1); x++ {
		c.set(y*c.img.Stride + x*4)
	}
}

// set paints the pixel at offset i of the image.
func (c *canvasImage) set(i int) {
	p := c.img.Pix[i : i+4 : i+4]
	p[0], p[1], p[2], p[3] = c.lineColour[0], c.lineColour[1], c.lineColour[2], c.lineColour[3]
}
