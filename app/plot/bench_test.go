package plot

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// benchChart is a chart in its own 1100×720 test window with a clock the
// benchmark moves, fed as a live session would be.
type benchChart struct {
	c     *Chart
	w     fyne.Window
	clk   *clock
	every time.Duration // time between a series' points
	next  time.Time     // the next point's time
	n     int
}

const (
	benchSeries = 10
	benchPoints = MaxPoints
	benchWindow = time.Minute
)

func newBenchChart(b *testing.B, series int) *benchChart {
	clk := &clock{t: base}
	c := New(nil)
	c.now = clk.now
	w := test.NewWindow(c)
	b.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1100, 720))
	c.SetWindow(benchWindow)
	bc := &benchChart{c: c, w: w, clk: clk, every: benchWindow / benchPoints, next: base.Add(-benchWindow), n: series}
	bc.feedUntil(base)
	c.Tick()
	w.Canvas().Capture()
	return bc
}

// feedUntil adds every series' points up to t: 100,000 points a minute each.
func (bc *benchChart) feedUntil(t time.Time) {
	for ; !bc.next.After(t); bc.next = bc.next.Add(bc.every) {
		x := float64(bc.next.UnixNano()) / 1e9
		for s := range bc.n {
			bc.c.Add(fmt.Sprintf("v%d 127.0.0.1:%d", s, 5000+s), bc.next, float64(s)+math.Sin(x*float64(s+1))+0.1*math.Sin(x*97))
		}
	}
}

// frame is one UI tick 16 ms later, with the points of those 16 ms, and the
// window painted; it returns how long the tick and the paint took.
func (bc *benchChart) frame(rebuild bool) time.Duration {
	bc.clk.add(16 * time.Millisecond)
	bc.feedUntil(bc.clk.t)
	if rebuild { // as after a resize, a change of window or of the visible set
		for _, v := range bc.c.views {
			v.cols.valid = false
		}
	}
	start := time.Now()
	bc.c.Tick()
	bc.w.Canvas().Capture()
	return time.Since(start)
}

func percentile(d []time.Duration, p float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[min(len(s)-1, int(float64(len(s))*p))].Microseconds()) / 1000
}

// BenchmarkPlotRedraw measures a UI tick plus a paint of the whole 1100×720
// window (Fyne's software painter, as headless tests have it), for a chart of
// 10 series × 100,000 points all in view, against the same window with an empty
// chart as the baseline, in the same run. "steady" is a live tick: 16 ms of new
// points folded in, the view scrolled; "rebuild" redoes every column from every
// point, as after a resize. The chart's own share is full minus empty.
func BenchmarkPlotRedraw(b *testing.B) {
	test.NewTempApp(b)
	empty := newBenchChart(b, 0)
	full := newBenchChart(b, benchSeries)
	var emptyTimes, steadyTimes, rebuildTimes []time.Duration
	for b.Loop() {
		emptyTimes = append(emptyTimes, empty.frame(false))
		steadyTimes = append(steadyTimes, full.frame(false))
		rebuildTimes = append(rebuildTimes, full.frame(true))
	}
	b.ReportMetric(percentile(emptyTimes, 0.5), "empty-p50-ms")
	b.ReportMetric(percentile(emptyTimes, 0.99), "empty-p99-ms")
	b.ReportMetric(percentile(steadyTimes, 0.5), "steady-p50-ms")
	b.ReportMetric(percentile(steadyTimes, 0.99), "steady-p99-ms")
	b.ReportMetric(percentile(rebuildTimes, 0.5), "rebuild-p50-ms")
	b.ReportMetric(percentile(rebuildTimes, 0.99), "rebuild-p99-ms")
	b.ReportMetric(percentile(steadyTimes, 0.99)/percentile(emptyTimes, 0.99), "steady/empty-p99")
	if len(full.c.frame.lines) != benchSeries {
		b.Fatalf("%d lines drawn", len(full.c.frame.lines))
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkPlotChartOnly is the chart's own work per frame without Fyne's
// painter: the tick and the raster drawn at the plot's pixel size (what the GL
// driver asks of it before it uploads the texture).
func BenchmarkPlotChartOnly(b *testing.B) {
	test.NewTempApp(b)
	for _, mode := range []string{"steady", "rebuild"} {
		b.Run(mode, func(b *testing.B) {
			full := newBenchChart(b, benchSeries)
			var times []time.Duration
			for b.Loop() {
				full.clk.add(16 * time.Millisecond)
				full.feedUntil(full.clk.t)
				if mode == "rebuild" {
					for _, v := range full.c.views {
						v.cols.valid = false
					}
				}
				start := time.Now()
				full.c.Tick()
				full.c.area.img = full.c.frame.draw(full.c.area.img, full.c.view.width, full.c.view.height)
				times = append(times, time.Since(start))
			}
			b.ReportMetric(percentile(times, 0.5), "p50-ms")
			b.ReportMetric(percentile(times, 0.99), "p99-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}
