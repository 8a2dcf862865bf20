package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/sockdesk/sockdesk/app/tint"
)

// bruteColumns is the decimation done the obvious way: every point put in its column.
func bruteColumns(s *series, k0 int64, n int, dt int64) []bucket {
	out := make([]bucket, n)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range len(s.t) {
		t, v := s.at(i)
		if k := t / dt; k >= k0 && k < k0+int64(n) {
			out[k-k0].fold(t, v)
		}
	}
	return out
}

func checkBuckets(t *testing.T, what string, got, want []bucket) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d buckets, want %d", what, len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: column %d = %+v, want %+v", what, i, got[i], want[i])
		}
	}
}

// Each column keeps the least and the greatest value of its points (and the
// first and last, to join the line), however many points fall in it.
func TestColumnsKeepMinAndMaxOfEachColumn(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &series{}
	const dt = 1000
	tm := int64(5_000_000)
	for range 50_000 {
		tm += rng.Int64N(200) // 0 to 199 ns apart: many points per column, some empty columns
		s.add(tm, rng.NormFloat64()*10, MaxPoints)
	}
	k0, n := int64(5_000_000/dt), 6000
	var c columns
	c.update(s, k0, n, dt, math.MaxInt64)
	checkBuckets(t, "rebuild", c.buckets, bruteColumns(s, k0, n, dt))
	empty, full := 0, 0
	for _, b := range c.buckets {
		if b.n == 0 {
			empty++
		} else if b.n > 1 && b.min < b.max {
			full++
		}
	}
	if full < 1000 {
		t.Fatalf("the test should put many points in a column: %d columns with a spread, %d empty", full, empty)
	}
}

// As the view scrolls and points keep coming (and the oldest leave the ring),
// the buckets kept up tick by tick are the same as made afresh.
// With a ring of 500 points, shorter than the view, the ticks must also forget
// the points the ring overwrites.
func TestColumnsIncrementalEqualsRebuild(t *testing.T) {
	for _, capacity := range []int{3000, 500} {
		t.Run(fmt.Sprint(capacity), func(t *testing.T) { incrementalEqualsRebuild(t, capacity) })
	}
}

func incrementalEqualsRebuild(t *testing.T, capacity int) {
	rng := rand.New(rand.NewPCG(3, 4))
	const dt, n = 100, 400
	s := &series{}
	var live columns
	tm := int64(1_000_000)
	for tick := range 300 {
		for range rng.IntN(60) {
			tm += rng.Int64N(30)
			s.add(tm, rng.Float64()*100-50, capacity)
		}
		if tick == 150 { // a burst larger than the ring: the ticker must notice it missed points
			for range capacity + 10 {
				tm++
				s.add(tm, rng.Float64(), capacity)
			}
		}
		k0 := tm/dt - n*3/4 // the view ends a little after the newest point, as with a clock
		live.update(s, k0, n, dt, math.MaxInt64)
		if tick%10 == 0 || tick == 151 {
			var fresh columns
			fresh.update(s, k0, n, dt, math.MaxInt64)
			checkBuckets(t, "tick", live.buckets, fresh.buckets)
			checkBuckets(t, "brute", live.buckets, bruteColumns(s, k0, n, dt))
			if live.before != fresh.before {
				t.Fatalf("tick %d: entry point %+v, afresh %+v", tick, live.before, fresh.before)
			}
		}
	}
}

// A point beyond the last bucket (ahead of the view) waits until the view
// reaches it, rather than being lost.
func TestColumnsPointAheadOfTheViewIsKept(t *testing.T) {
	s := &series{}
	var c columns
	s.add(150, 1, 100)
	s.add(5_000, 7, 100) // column 50: beyond buckets 0..9
	c.update(s, 0, 10, 100, math.MaxInt64)
	if c.buckets[1].n != 1 || c.seen != 1 {
		t.Fatalf("first update: %+v, seen %d", c.buckets[:2], c.seen)
	}
	c.update(s, 45, 10, 100, math.MaxInt64)
	if b := c.buckets[50-45]; b.n != 1 || b.max != 7 {
		t.Fatalf("after scrolling to it: %+v", c.buckets)
	}
	if !c.before.ok || c.before.v != 1 || c.before.t != 150 {
		t.Fatalf("entry point %+v, want the point of column 1", c.before)
	}
}

// The drawn column holds both extremes: a column whose points span the whole
// range is painted from the top row to the bottom row.
func TestDrawnColumnSpansMinToMax(t *testing.T) {
	s := &series{}
	const dt = 10
	for i, v := range []float64{5, 5, 0, 10, 5} { // column 3: 0 and 10 among others
		s.add(int64(30+i), v, 100)
	}
	s.add(70, 5, 100)
	var c columns
	c.update(s, 0, 10, dt, math.MaxInt64)
	f := frame{width: 10, height: 50, lo: 0, hi: 10, lines: []line{{cols: &c, color: color.NRGBA{255, 0, 0, 255}}}, lineWidth: 1}
	img := f.draw(nil, 10, 50)
	red := func(x, y int) bool { return img.NRGBAAt(x, y).R == 255 }
	for y := range 50 {
		if !red(3, y) {
			t.Fatalf("column 3 row %d not drawn: the stroke must run from the max to the min", y)
		}
	}
	if red(1, 0) || red(1, 49) || red(8, 0) {
		t.Error("columns without points near them are drawn")
	}
	for x := 3; x <= 7; x++ {
		if !red(x, 24) && !red(x, 25) {
			t.Errorf("the line from column 3 to column 7 misses column %d", x)
		}
	}
	if img.Bounds() != image.Rect(0, 0, 10, 50) {
		t.Errorf("image %v", img.Bounds())
	}
}

// Every series colour stands apart from the background of the light and the dark
// theme.
func TestSeriesColoursContrast(t *testing.T) {
	th := theme.DefaultTheme()
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		bg := tint.Luminance(tint.NRGBA(th.Color(theme.ColorNameBackground, v)))
		for i := range 12 {
			c := seriesColor(i, th, v)
			if d := math.Abs(tint.Luminance(c) - bg); d < 0.29 {
				t.Errorf("variant %d series %d: %v is %.2f from the background", v, i, c, d)
			}
		}
	}
}
