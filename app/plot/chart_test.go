package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/app/tint"
)

// base is the clock of every test: the chart's now, fixed unless a test moves it.
var base = time.Date(2025, 3, 1, 12, 0, 0, 0, time.Local)

type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }

// newTestChart shows a chart in a 1100×720 test window with a fixed clock.
func newTestChart(t testing.TB, tr func(string) string) (*Chart, fyne.Window, *clock) {
	t.Helper()
	test.NewTempApp(t)
	clk := &clock{t: base}
	c := New(tr)
	c.now = clk.now
	w := test.NewTempWindow(t, c)
	w.Resize(fyne.NewSize(1100, 720))
	c.Tick()
	return c, w, clk
}

// variantTheme is Fyne's default theme in one variant, whatever the settings say.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// addWaves gives the chart three series over the 30 s before base, 10 ms apart.
func addWaves(c *Chart) {
	for i := range 3000 {
		ts := base.Add(-30 * time.Second).Add(time.Duration(i) * 10 * time.Millisecond)
		x := float64(i) / 100
		c.Add(SeriesKey("温度", "127.0.0.1:5000"), ts, 23+2*math.Sin(x))
		c.Add(SeriesKey("湿度", "127.0.0.1:5000"), ts, 20+5*math.Cos(x/3))
		c.Add(SeriesKey("temp", "[::1]:6000"), ts, 22+float64(i%200)/100)
	}
}

// plotImage is the plot's raster as the window shows it.
func plotImage(t *testing.T, c *Chart, w fyne.Window) *image.NRGBA {
	t.Helper()
	shot := w.Canvas().Capture()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(c.area)
	p := c.area.plot
	r := image.Rect(int(pos.X+p.Pos.X)+1, int(pos.Y+p.Pos.Y)+1, int(pos.X+p.Pos.X+p.Size.Width)-1, int(pos.Y+p.Pos.Y+p.Size.Height)-1)
	out := image.NewNRGBA(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			out.Set(x, y, shot.At(x, y))
		}
	}
	return out
}

// countColour counts the pixels of exactly colour want.
func countColour(img *image.NRGBA, want color.Color) int {
	w := tint.NRGBA(want)
	n := 0
	for i := 0; i+3 < len(img.Pix); i += 4 {
		if img.Pix[i] == w.R && img.Pix[i+1] == w.G && img.Pix[i+2] == w.B {
			n++
		}
	}
	return n
}

// pointerAt is the window position of the point (t, v) on the plot.
func pointerAt(c *Chart, t time.Time, v float64) fyne.Position {
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(c.area)
	x := c.area.plot.Pos.X + float32(c.view.xOf(t.UnixNano())+0.5)/c.view.scale
	y := c.area.plot.Pos.Y + float32((c.frame.hi-v)/(c.frame.hi-c.frame.lo))*c.area.plot.Size.Height
	return pos.Add(fyne.NewPos(x, y))
}

func TestSeriesToggle(t *testing.T) {
	c, w, _ := newTestChart(t, nil)
	addWaves(c)
	c.Tick()
	if got := strings.Join(c.Series(), " | "); got != "温度 127.0.0.1:5000 | 湿度 127.0.0.1:5000 | temp [::1]:6000" {
		t.Fatalf("series %q", got)
	}
	colour := c.views[1].swatch.FillColor
	before := countColour(plotImage(t, c, w), colour)
	if before < 500 {
		t.Fatalf("the second series has %d pixels of its colour; it is not drawn", before)
	}
	test.Tap(c.views[1].check) // the legend entry
	if c.SeriesVisible("湿度 127.0.0.1:5000") || len(c.frame.lines) != 2 {
		t.Fatalf("after a tap: visible %v, %d lines", c.SeriesVisible("湿度 127.0.0.1:5000"), len(c.frame.lines))
	}
	if n := countColour(plotImage(t, c, w), colour); n != 0 {
		t.Errorf("hidden series still has %d pixels", n)
	}
	c.SetSeriesVisible("湿度 127.0.0.1:5000", true)
	if !c.views[1].check.Checked {
		t.Error("SetSeriesVisible did not tick the legend entry")
	}
	// The value labels of the narrower range took some width: about as many pixels.
	if n := countColour(plotImage(t, c, w), colour); math.Abs(float64(n-before)) > float64(before)/50 {
		t.Errorf("shown again: %d pixels, first %d", n, before)
	}
}

func TestPauseFreezesTheViewButKeepsRecording(t *testing.T) {
	c, w, clk := newTestChart(t, nil)
	addWaves(c)
	c.Tick()
	test.Tap(c.pauseButton)
	if !c.Paused() || c.pauseButton.Text != "Resume" || c.pausedLabel.Text != "Paused" {
		t.Fatalf("paused %v, button %q, label %q", c.Paused(), c.pauseButton.Text, c.pausedLabel.Text)
	}
	frozen := c.view
	shot := plotImage(t, c, w)
	for i := range 500 { // 5 s more data, with the clock
		clk.add(10 * time.Millisecond)
		c.Add("late", clk.now(), 100+float64(i))
		c.Tick()
	}
	if c.view != frozen {
		t.Errorf("the view moved while paused: %+v -> %+v", frozen, c.view)
	}
	if got := plotImage(t, c, w); !bytes.Equal(got.Pix, shot.Pix) {
		t.Error("the picture changed while paused")
	}
	c.store.mu.RLock()
	late := c.store.byKey["late"]
	c.store.mu.RUnlock()
	if late == nil || late.total != 500 {
		t.Fatal("points added while paused were not recorded")
	}
	test.Tap(c.pauseButton)
	if c.Paused() || c.view == frozen || c.pausedLabel.Text != "" {
		t.Fatalf("after resume: paused %v, view %+v", c.Paused(), c.view)
	}
	if _, hi, _ := c.Range(); hi < 599 {
		t.Errorf("after resume the range tops at %g; the late points (up to 599) are not in view", hi)
	}
}

func TestFixedRange(t *testing.T) {
	c, w, _ := newTestChart(t, nil)
	addWaves(c)
	c.Tick()
	if lo, hi, auto := c.Range(); !auto || lo > 15 || hi < 25 || hi-lo > 20 {
		t.Fatalf("autoscale range %g..%g (auto %v), want about 15..25", lo, hi, auto)
	}
	test.Tap(c.autoCheck) // off: the range stays where autoscale left it, editable
	if _, _, auto := c.Range(); auto || c.minEntry.Disabled() {
		t.Fatal("autoscale still on, or Min not editable")
	}
	if err := c.SetRange(0, 100); err != nil {
		t.Fatal(err)
	}
	if lo, hi, _ := c.Range(); lo != 0 || hi != 100 || c.minEntry.Text != "0" || c.maxEntry.Text != "100" {
		t.Fatalf("range %g..%g, entries %q %q", lo, hi, c.minEntry.Text, c.maxEntry.Text)
	}
	var labels []string
	for _, l := range c.area.yLabels {
		if l.Visible() {
			labels = append(labels, l.Text)
		}
	}
	if strings.Join(labels, " ") != "0 10 20 30 40 50 60 70 80 90 100" {
		t.Errorf("value labels %q", labels)
	}

	// Typed: a bad value is named under the controls and changes nothing.
	c.maxEntry.SetText("")
	test.Type(c.maxEntry, "abc")
	if c.readout.Text != `Max: "abc" is not a number` || c.readout.Importance != widget.DangerImportance {
		t.Errorf("readout %q", c.readout.Text)
	}
	if _, hi, _ := c.Range(); hi != 100 {
		t.Errorf("a bad max changed the range to %g", hi)
	}
	c.maxEntry.SetText("-5")
	if c.readout.Text != "Min must be less than Max" {
		t.Errorf("readout %q", c.readout.Text)
	}
	c.maxEntry.SetText("50")
	if lo, hi, _ := c.Range(); lo != 0 || hi != 50 || c.readout.Importance == widget.DangerImportance {
		t.Errorf("range %g..%g, readout %q", lo, hi, c.readout.Text)
	}
	if err := c.SetRange(3, 3); err == nil {
		t.Error("SetRange(3, 3) accepted")
	}

	// Values beyond a fixed range are clipped to the plot, never drawn outside it.
	c.Add("spike", base.Add(-time.Second), 1e9)
	c.Tick()
	_ = plotImage(t, c, w)

	test.Tap(c.autoCheck)
	if lo, hi, auto := c.Range(); !auto || hi < 1e9 || lo > 15 {
		t.Errorf("back to autoscale: %g..%g (auto %v)", lo, hi, auto)
	}
}

func TestHoverShowsTheValueUnderThePointer(t *testing.T) {
	c, w, _ := newTestChart(t, nil)
	c.SetWindow(10 * time.Second)
	for i := range 10 { // one point a second, far apart on screen
		c.Add("temp 127.0.0.1:5000", base.Add(-time.Duration(9-i)*time.Second-500*time.Millisecond), float64(20+i))
		c.Add("hum 127.0.0.1:5000", base.Add(-time.Duration(9-i)*time.Second-500*time.Millisecond), float64(60-i))
	}
	c.Tick()
	at := base.Add(-3500 * time.Millisecond) // the seventh point: temp 26, hum 54
	test.MoveMouse(w.Canvas(), pointerAt(c, at, 26).Add(fyne.NewPos(3, 2)))
	want := at.Format("15:04:05.000") + "  temp 127.0.0.1:5000 = 26"
	if c.readout.Text != want || !c.area.marker.Visible() || !c.area.cursor.Visible() {
		t.Fatalf("readout %q, want %q (marker %v)", c.readout.Text, want, c.area.marker.Visible())
	}
	test.MoveMouse(w.Canvas(), pointerAt(c, at.Add(200*time.Millisecond), 54))
	if want := at.Format("15:04:05.000") + "  hum 127.0.0.1:5000 = 54"; c.readout.Text != want {
		t.Fatalf("readout %q, want %q", c.readout.Text, want)
	}
	test.MoveMouse(w.Canvas(), fyne.NewPos(1, 1)) // onto the controls
	if c.readout.Text != "Point at the chart to read a value" || c.area.marker.Visible() {
		t.Errorf("after leaving: readout %q", c.readout.Text)
	}
}

func TestWindowChoice(t *testing.T) {
	c, _, _ := newTestChart(t, nil)
	c.windowSelect.SetSelectedIndex(len(Windows) - 1)
	if c.Window() != time.Hour {
		t.Fatalf("window %v", c.Window())
	}
	if span := c.view.end().Sub(c.view.start()); span < time.Hour-time.Second || span > time.Hour {
		t.Errorf("the view spans %v", span)
	}
	c.SetWindow(time.Millisecond)
	if c.Window() != 10*time.Second || c.windowSelect.SelectedIndex() != 0 {
		t.Errorf("window %v, choice %d", c.Window(), c.windowSelect.SelectedIndex())
	}
}

func TestEmptyChartSaysSo(t *testing.T) {
	c, _, _ := newTestChart(t, nil)
	if !c.area.empty.Visible() || c.area.empty.Text != "No values yet" {
		t.Fatalf("empty text %q visible %v", c.area.empty.Text, c.area.empty.Visible())
	}
	c.Add("x", base.Add(-time.Second), 1)
	c.Tick()
	if c.area.empty.Visible() {
		t.Error("the empty text stays with data")
	}
}

func TestSeriesLimitAndRing(t *testing.T) {
	c, _, _ := newTestChart(t, nil)
	for i := range MaxSeries + 3 {
		c.Add(SeriesKey("v", string(rune('A'+i))), base, 1)
	}
	c.Add(SeriesKey("v", string(rune('A'+MaxSeries+1))), base, 2)
	c.Tick()
	if len(c.Series()) != MaxSeries || c.Dropped() != 4 {
		t.Fatalf("%d series, %d dropped", len(c.Series()), c.Dropped())
	}
	if !c.droppedLabel.Visible() || c.droppedLabel.Text != "4 values not drawn: more than 32 series" {
		t.Errorf("note %q", c.droppedLabel.Text)
	}

	s := &series{}
	for i := range 25 {
		s.add(int64(100+i), float64(i), 10)
	}
	s.add(50, 99, 10) // earlier than the newest: taken as the newest's time
	if len(s.t) != 10 || s.total != 26 {
		t.Fatalf("ring of %d, total %d", len(s.t), s.total)
	}
	for i := range 10 {
		tm, v := s.at(i)
		wantT, wantV := int64(116+i), float64(16+i)
		if i == 9 {
			wantT, wantV = 124, 99
		}
		if tm != wantT || v != wantV {
			t.Errorf("point %d = %d %g, want %d %g", i, tm, v, wantT, wantV)
		}
	}
	c.Clear()
	if len(c.Series()) != 0 || c.Dropped() != 0 || len(c.legend.Objects) != 1 {
		t.Errorf("after Clear: %d series", len(c.Series()))
	}
}

// Producers add from their goroutines while the UI ticks: the race detector
// watches, and every point arrives.
func TestConcurrentAdd(t *testing.T) {
	c, _, clk := newTestChart(t, nil)
	const producers, each = 4, 5000
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				c.Add(SeriesKey("v", string(rune('a'+p))), base.Add(time.Duration(i)*time.Microsecond), float64(i))
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for ticking := true; ticking; {
		select {
		case <-done:
			ticking = false
		default:
		}
		clk.add(time.Millisecond)
		c.Tick()
	}
	var total uint64
	for _, s := range c.store.all() {
		s.mu.Lock()
		total += s.total
		s.mu.Unlock()
	}
	if total != producers*each {
		t.Errorf("%d points recorded, want %d", total, producers*each)
	}
}

func TestExportCSV(t *testing.T) {
	c, _, _ := newTestChart(t, nil)
	c.SetWindow(10 * time.Second)
	at := func(ms int) time.Time { return base.Add(time.Duration(ms) * time.Millisecond) }
	c.Add("old", at(-20_000), 1) // before the view
	c.Add("temp 127.0.0.1:5000", at(-3000), 23.5)
	c.Add("=cmd", at(-3000), -1e-7)
	c.Add("temp 127.0.0.1:5000", at(-2000), 24)
	c.Add("=cmd", at(-1500), 2)
	c.Add("hidden", at(-1500), 9)
	c.Add("temp 127.0.0.1:5000", at(-1500), 25)
	c.Add("temp 127.0.0.1:5000", at(-1500), 26) // the same time twice: two rows
	c.Tick()
	c.SetSeriesVisible("hidden", false)
	var buf bytes.Buffer
	if err := c.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	f := func(ms int) string { return at(ms).Format(TimeLayout) }
	want := "time,old,temp 127.0.0.1:5000,'=cmd\n" +
		f(-3000) + ",,23.5,-1e-07\n" +
		f(-2000) + ",,24,\n" +
		f(-1500) + ",,25,2\n" +
		f(-1500) + ",,26,\n"
	if buf.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestExportPNG(t *testing.T) {
	c, _, _ := newTestChart(t, nil)
	addWaves(c)
	c.Tick()
	var buf bytes.Buffer
	if err := c.WritePNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	size := c.body.Size()
	if math.Abs(float64(img.Bounds().Dx())-float64(size.Width)) > 1 || math.Abs(float64(img.Bounds().Dy())-float64(size.Height)) > 1 {
		t.Errorf("PNG %v, the plot and legend are %v", img.Bounds(), size)
	}
	if size.Width < 900 || size.Height < 550 {
		t.Errorf("the plot takes %v of a 1100×720 window", size)
	}
	if err := New(nil).WritePNG(&buf); err == nil {
		t.Error("a chart in no window gave a PNG")
	}
}

func TestExportButtonsCallTheOwner(t *testing.T) {
	c, _, _ := newTestChart(t, nil)
	if c.exportCSV.Visible() || c.exportPNG.Visible() {
		t.Fatal("export buttons without a callback")
	}
	var calls []string
	c.OnExportCSV = func() { calls = append(calls, "csv") }
	c.OnExportPNG = func() { calls = append(calls, "png") }
	c.Tick()
	test.Tap(c.exportCSV)
	test.Tap(c.exportPNG)
	if strings.Join(calls, " ") != "csv png" {
		t.Errorf("calls %v", calls)
	}
}

// Every word on screen goes through the owner's translation: with a tr that
// marks what it translated, no unmarked word is left (numbers, times and series
// names are data).
func TestEveryWordIsTranslated(t *testing.T) {
	tr := func(s string) string { return "«" + s + "»" }
	c, w, _ := newTestChart(t, tr)
	c.OnExportCSV, c.OnExportPNG = func() {}, func() {}
	c.Tick()
	words := collectTexts(w.Canvas().Content())
	c.Add("x", base.Add(-time.Second), 1)
	c.SetPaused(true)
	for _, i := range []int{0, 1} {
		c.windowSelect.SetSelectedIndex(i)
	}
	words = append(words, collectTexts(w.Canvas().Content())...)
	words = append(words, c.windowSelect.Options...)
	c.maxEntry.Enable()
	c.maxEntry.SetText("z")
	words = append(words, c.readout.Text)
	for i := range MaxSeries + 1 {
		c.Add(string(rune('a'+i)), base, 1)
	}
	c.Tick()
	words = append(words, c.droppedLabel.Text)
	for _, s := range words {
		if s == "" || s == "x" || s == "z" || s[0] >= '0' && s[0] <= '9' || len(s) == 1 {
			continue // data: a value, a time, a series name
		}
		if !strings.HasPrefix(s, "«") {
			t.Errorf("%q is shown untranslated", s)
		}
	}
}

// collectTexts is every text of labels, buttons, checks and canvas texts under o.
func collectTexts(o fyne.CanvasObject) []string {
	var out []string
	switch x := o.(type) {
	case *widget.Label:
		return []string{x.Text}
	case *widget.Button:
		return []string{x.Text}
	case *widget.Check:
		return []string{x.Text}
	case *widget.Select:
		return []string{x.Selected}
	case *canvas.Text:
		return []string{x.Text}
	case *fyne.Container:
		for _, child := range x.Objects {
			out = append(out, collectTexts(child)...)
		}
		return out
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(x).Objects() {
			out = append(out, collectTexts(child)...)
		}
	}
	return out
}

// TestSamplePicture writes a picture of a chart in the dark and the light theme
// when PLOT_SAMPLE_DIR names a directory, to look at.
func TestSamplePicture(t *testing.T) {
	dir := os.Getenv("PLOT_SAMPLE_DIR")
	if dir == "" {
		t.Skip("set PLOT_SAMPLE_DIR to write sample pictures")
	}
	for name, variant := range map[string]fyne.ThemeVariant{"dark": theme.VariantDark, "light": theme.VariantLight} {
		c, w, _ := newTestChart(t, nil)
		fyne.CurrentApp().Settings().SetTheme(variantTheme{theme.DefaultTheme(), variant})
		c.OnExportCSV, c.OnExportPNG = func() {}, func() {}
		addWaves(c)
		c.Tick()
		test.MoveMouse(w.Canvas(), pointerAt(c, base.Add(-12*time.Second), 23+2*math.Sin(18)))
		var buf bytes.Buffer
		if err := png.Encode(&buf, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+"/plot-sample-"+name+".png", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// On a screen of scale 2 the columns are screen pixels, twice as many as the
// plot's width in Fyne units; the hover and the PNG follow.
func TestHiDPI(t *testing.T) {
	c, w, _ := newTestChart(t, nil)
	w.Canvas().(test.WindowlessCanvas).SetScale(2)
	w.Resize(fyne.NewSize(1100, 720))
	c.SetWindow(10 * time.Second)
	for i := range 10 {
		c.Add("temp", base.Add(-time.Duration(9-i)*time.Second-500*time.Millisecond), float64(20+i))
	}
	c.Tick()
	if got, want := c.view.width, int(c.area.plot.Size.Width*2); got != want {
		t.Fatalf("%d columns, want %d", got, want)
	}
	at := base.Add(-2500 * time.Millisecond)
	test.MoveMouse(w.Canvas(), pointerAt(c, at, 27))
	if want := at.Format("15:04:05.000") + "  temp = 27"; c.readout.Text != want {
		t.Errorf("readout %q, want %q", c.readout.Text, want)
	}
	var buf bytes.Buffer
	if err := c.WritePNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if size := c.body.Size(); math.Abs(float64(img.Bounds().Dx())-float64(size.Width*2)) > 2 {
		t.Errorf("PNG %v for a plot of %v at scale 2", img.Bounds(), size)
	}
}
