package plot

import (
	"bufio"
	"encoding/csv"
	"errors"
	"image"
	"image/png"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
)

// TimeLayout is how WriteCSV writes times: local time to the millisecond with
// its UTC offset.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// WriteCSV writes the data on screen: the points of the visible series within
// the time shown (all of them, not the decimated columns), as "time" and one
// column per series in legend order, one row per distinct time, a cell empty
// where a series has no point at that time. UI goroutine.
func (c *Chart) WriteCSV(w io.Writer) error {
	from, to := c.shownSpan()
	var cols []exportSeries
	for _, v := range c.views {
		if v.on {
			cols = append(cols, copyPoints(v.s, from, to))
		}
	}
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	record := make([]string, 1+len(cols))
	record[0] = "time"
	for i, s := range cols {
		record[1+i] = spreadsheetSafe(s.key)
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for {
		// The next row is the earliest time among the series' next points.
		next, any := int64(0), false
		for _, s := range cols {
			if s.pos < len(s.t) && (!any || s.t[s.pos] < next) {
				next, any = s.t[s.pos], true
			}
		}
		if !any {
			break
		}
		record[0] = time.Unix(0, next).Format(TimeLayout)
		for i := range cols {
			s := &cols[i]
			record[1+i] = ""
			if s.pos < len(s.t) && s.t[s.pos] == next {
				record[1+i] = strconv.FormatFloat(s.v[s.pos], 'g', -1, 64)
				s.pos++
			}
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// shownSpan is the time on screen, [from, to) in nanoseconds: the view, or the
// chosen window up to now (or the pause) if the chart was never drawn.
func (c *Chart) shownSpan() (from, to int64) {
	if c.view.width > 0 {
		return c.view.k0 * c.view.dt, (c.view.k0 + int64(c.view.width)) * c.view.dt
	}
	end := c.now()
	if c.paused {
		end = c.pausedEnd
	}
	return end.Add(-c.window).UnixNano(), end.UnixNano() + 1
}

type exportSeries struct {
	key string
	t   []int64
	v   []float64
	pos int
}

// copyPoints copies a series' points in [from, to), so the file is written
// without holding up the producers.
func copyPoints(s *series, from, to int64) exportSeries {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, j := s.search(from), s.search(to)
	out := exportSeries{key: s.key, t: make([]int64, 0, j-i), v: make([]float64, 0, j-i)}
	for ; i < j; i++ {
		t, v := s.at(i)
		out.t, out.v = append(out.t, t), append(out.v, v)
	}
	return out
}

// spreadsheetSafe keeps a series name (which comes from received data) from
// being run as a formula when the file is opened in a spreadsheet.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WritePNG writes a picture of the plot and its legend as they are on screen, at
// the screen's pixel size. The chart must be shown in a window. UI goroutine.
func (c *Chart) WritePNG(w io.Writer) error {
	img, err := c.capture()
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// capture is the part of the window's picture that the plot and legend cover.
func (c *Chart) capture() (image.Image, error) {
	d := fyne.CurrentApp().Driver()
	cv := d.CanvasForObject(c.body)
	if cv == nil || !c.Visible() {
		return nil, errors.New("the chart is not shown in a window")
	}
	shot := cv.Capture()
	pos, size, scale := d.AbsolutePositionForObject(c.body), c.body.Size(), cv.Scale()
	r := image.Rect(int(pos.X*scale), int(pos.Y*scale), int((pos.X+size.Width)*scale), int((pos.Y+size.Height)*scale)).Intersect(shot.Bounds())
	if r.Empty() {
		return nil, errors.New("the chart has no size on screen")
	}
	sub, ok := shot.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return nil, errors.New("the window's picture cannot be cropped")
	}
	return sub.SubImage(r), nil
}
