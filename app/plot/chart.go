package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

const (
	// MaxPoints is the history kept per series: the newest points, older ones
	// overwritten. A point is 16 bytes (time and value), so a full series holds
	// 1.6 MB.
	MaxPoints = 100_000
	// MaxSeries is how many series a chart keeps: at most 51.2 MB of points.
	// Points of further series are counted (Dropped) and not kept.
	MaxSeries = 32
)

// Windows are the time spans the chart offers, the last of which is shown.
var Windows = []time.Duration{10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour}

var windowLabels = []string{"Last 10 s", "Last 30 s", "Last 1 min", "Last 5 min", "Last 15 min", "Last 1 h"}

// SeriesKey names the series of one value from one peer, as the legend shows it:
// "temp 127.0.0.1:5000", or just the name when there is no peer.
func SeriesKey(name, peer string) string {
	if peer == "" {
		return name
	}
	return name + " " + peer
}

// Chart is a live line chart of many named series. See the package doc for how
// data goes in (Add, any goroutine) and comes out on screen (Tick, UI goroutine).
type Chart struct {
	widget.BaseWidget

	// OnExportCSV and OnExportPNG, when set, add an export button each under the
	// legend (from the next Tick) that calls them: to ask for a file, then
	// WriteCSV or WritePNG into it.
	OnExportCSV func()
	OnExportPNG func()

	tr    func(string) string
	store *store
	now   func() time.Time

	// Everything below belongs to the UI goroutine.
	window           time.Duration
	paused           bool
	pausedEnd        time.Time
	auto             bool
	fixedLo, fixedHi float64
	views            []*seriesView
	frame            frame
	view             viewport
	drawn            signature
	changes          uint64 // bumped by every setting that changes the picture
	hover            hover

	area         *area
	windowSelect *widget.Select
	pauseButton  *widget.Button
	autoCheck    *widget.Check
	minEntry     *widget.Entry
	maxEntry     *widget.Entry
	minLabel     *widget.Label
	maxLabel     *widget.Label
	legendTitle  *widget.Label
	readout      *widget.Label
	pausedLabel  *widget.Label
	legend       *fyne.Container
	droppedLabel *widget.Label
	exportCSV    *widget.Button
	exportPNG    *widget.Button
	body         fyne.CanvasObject // the area and the legend: what WritePNG captures
}

// seriesView is a series as the chart shows it.
type seriesView struct {
	s      *series
	index  int // in order of first point: picks the colour
	on     bool
	cols   columns
	check  *widget.Check
	swatch *canvas.Rectangle
}

// viewport is the time span on screen: columns k0 ... k0+width-1 of dt each.
type viewport struct {
	dt, k0        int64
	width, height int
	scale         float32
}

func (v viewport) start() time.Time { return time.Unix(0, v.k0*v.dt) }
func (v viewport) end() time.Time   { return time.Unix(0, (v.k0+int64(v.width))*v.dt) }

// signature tells whether a tick would draw the same picture as the last one.
type signature struct {
	view    viewport
	lo, hi  float64
	seen    uint64
	changes uint64
}

// New makes a chart whose every visible word goes through tr (the app's
// translation function; nil keeps the English).
func New(tr func(string) string) *Chart {
	if tr == nil {
		tr = func(s string) string { return s }
	}
	c := &Chart{tr: tr, store: newStore(MaxPoints, MaxSeries), now: time.Now, window: Windows[1], auto: true}
	c.ExtendBaseWidget(c)
	c.build()
	return c
}

func (c *Chart) build() {
	labels := make([]string, len(windowLabels))
	for i := range windowLabels {
		labels[i] = c.tr(windowLabels[i])
	}
	// Initial states are set before the callbacks, which expect a built chart.
	c.windowSelect = widget.NewSelect(labels, nil)
	c.windowSelect.SetSelectedIndex(1)
	c.windowSelect.OnChanged = func(string) {
		if i := c.windowSelect.SelectedIndex(); i >= 0 {
			c.SetWindow(Windows[i])
		}
	}
	c.pauseButton = widget.NewButtonWithIcon(c.tr("Pause"), theme.MediaPauseIcon(), func() { c.SetPaused(!c.paused) })
	c.autoCheck = widget.NewCheck(c.tr("Autoscale"), nil)
	c.autoCheck.SetChecked(true)
	c.autoCheck.OnChanged = func(on bool) {
		if on {
			c.SetAutoscale()
		} else {
			c.fixCurrentRange()
		}
	}
	c.minEntry, c.maxEntry = widget.NewEntry(), widget.NewEntry()
	for _, e := range []*widget.Entry{c.minEntry, c.maxEntry} {
		e.OnChanged = func(string) { c.rangeEdited() }
		e.Disable()
	}
	c.readout = widget.NewLabel(c.tr("Point at the chart to read a value"))
	c.readout.Truncation = fyne.TextTruncateEllipsis
	c.pausedLabel = widget.NewLabel("")
	c.pausedLabel.Importance = widget.WarningImportance
	c.droppedLabel = widget.NewLabel("")
	c.droppedLabel.Wrapping = fyne.TextWrapWord
	c.droppedLabel.Hide()
	c.exportCSV = widget.NewButtonWithIcon(c.tr("Export CSV…"), theme.DocumentSaveIcon(), func() { call(c.OnExportCSV) })
	c.exportPNG = widget.NewButtonWithIcon(c.tr("Export PNG…"), theme.FileImageIcon(), func() { call(c.OnExportPNG) })
	c.minLabel, c.maxLabel = widget.NewLabel(c.tr("Min")), widget.NewLabel(c.tr("Max"))
	c.legendTitle = widget.NewLabelWithStyle(c.tr("Series"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.legend = container.NewVBox(c.legendTitle)
	c.area = newArea(c)

	c.exportCSV.Hide()
	c.exportPNG.Hide()
	legend := container.NewVBox(c.legend, c.droppedLabel)
	side := container.NewBorder(nil, container.NewVBox(c.exportCSV, c.exportPNG), nil, nil,
		container.New(&fitWidth{content: legend, min: 160, max: 360}, container.NewVScroll(legend)))
	c.body = container.NewBorder(nil, nil, nil, side, c.area)
}

// syncExportButtons shows the export buttons that have a callback.
func (c *Chart) syncExportButtons() {
	for _, b := range []struct {
		button *widget.Button
		set    bool
	}{{c.exportCSV, c.OnExportCSV != nil}, {c.exportPNG, c.OnExportPNG != nil}} {
		if b.set && !b.button.Visible() {
			b.button.Show()
		} else if !b.set && b.button.Visible() {
			b.button.Hide()
		}
	}
}

func call(f func()) {
	if f != nil {
		f()
	}
}

// CreateRenderer lays the chart out: the controls, a status line, then the plot
// beside its legend and the export buttons. The controls wrap onto a second row
// when the chart is narrow (a session's tool pane), the range's fields staying
// together.
func (c *Chart) CreateRenderer() fyne.WidgetRenderer {
	c.syncExportButtons()
	tools := container.New(layout.NewRowWrapLayout(), c.windowSelect, c.pauseButton, c.autoCheck,
		container.NewHBox(c.minLabel, fixedWidth(c.minEntry, 90), c.maxLabel, fixedWidth(c.maxEntry, 90)))
	status := container.NewBorder(nil, nil, nil, c.pausedLabel, c.readout)
	return widget.NewSimpleRenderer(container.New(controlsOnTop{}, tools, status, c.body))
}

// Add records a point of a series (see SeriesKey). It may be called from any
// goroutine: it only appends under the series' lock, and the chart shows it at
// the next Tick. A value that is NaN or infinite is not a point.
func (c *Chart) Add(series string, t time.Time, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	c.store.add(series, t.UnixNano(), v)
}

// Dropped counts points not kept because their series came after MaxSeries.
func (c *Chart) Dropped() uint64 { return c.store.dropped.Load() }

// Series are the keys of the series, in order of their first point.
func (c *Chart) Series() []string {
	all := c.store.all()
	keys := make([]string, len(all))
	for i, s := range all {
		keys[i] = s.key
	}
	return keys
}

// Clear forgets every series. UI goroutine.
func (c *Chart) Clear() {
	c.store.clear()
	c.views = nil
	c.legend.Objects = c.legend.Objects[:1]
	c.legend.Refresh()
	c.changes++
	c.Tick()
}

// SetWindow shows the last d of time (clamped to 10 s ... 1 h). UI goroutine.
func (c *Chart) SetWindow(d time.Duration) {
	d = min(max(d, Windows[0]), Windows[len(Windows)-1])
	if d == c.window {
		return
	}
	c.window = d
	for i, w := range Windows {
		if w == d && c.windowSelect.SelectedIndex() != i {
			c.windowSelect.SetSelectedIndex(i)
		}
	}
	c.changes++
	c.Tick()
}

// Window is the time span shown.
func (c *Chart) Window() time.Duration { return c.window }

// SetPaused freezes the view (on) or lets it follow the clock again (off). Data
// keeps being recorded while paused. UI goroutine.
func (c *Chart) SetPaused(on bool) {
	if on == c.paused {
		return
	}
	c.paused = on
	if on {
		c.pausedEnd = c.now()
		c.pauseButton.SetText(c.tr("Resume"))
		c.pauseButton.SetIcon(theme.MediaPlayIcon())
		c.pausedLabel.SetText(c.tr("Paused"))
	} else {
		c.pauseButton.SetText(c.tr("Pause"))
		c.pauseButton.SetIcon(theme.MediaPauseIcon())
		c.pausedLabel.SetText("")
	}
	c.changes++
	c.Tick()
}

// Paused tells whether the view is frozen.
func (c *Chart) Paused() bool { return c.paused }

// SetAutoscale fits the value axis to the visible data at every tick. UI goroutine.
func (c *Chart) SetAutoscale() {
	c.auto = true
	c.autoCheck.SetChecked(true)
	c.minEntry.Disable()
	c.maxEntry.Disable()
	c.setRangeError("")
	c.changes++
	c.Tick()
}

// SetRange fixes the value axis to [lo, hi]. UI goroutine.
func (c *Chart) SetRange(lo, hi float64) error {
	if err := checkRange(lo, hi); err != nil {
		return err
	}
	c.auto, c.fixedLo, c.fixedHi = false, lo, hi
	c.autoCheck.SetChecked(false)
	c.minEntry.Enable()
	c.maxEntry.Enable()
	c.setEntry(c.minEntry, lo)
	c.setEntry(c.maxEntry, hi)
	c.setRangeError("")
	c.changes++
	c.Tick()
	return nil
}

func checkRange(lo, hi float64) error {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || !(lo < hi) {
		return fmt.Errorf("value range %g to %g: the minimum must be a number below the maximum", lo, hi)
	}
	return nil
}

// Range is the value axis: fixed, or as autoscale last made it.
func (c *Chart) Range() (lo, hi float64, auto bool) { return c.frame.lo, c.frame.hi, c.auto }

// setEntry shows v in an entry without taking it as the user's edit.
func (c *Chart) setEntry(e *widget.Entry, v float64) {
	onChanged := e.OnChanged
	e.OnChanged = nil
	e.SetText(strconv.FormatFloat(v, 'g', -1, 64))
	e.OnChanged = onChanged
}

// fixCurrentRange is the autoscale check turned off: the range stays where
// autoscale left it, for the user to edit.
func (c *Chart) fixCurrentRange() {
	if !c.auto {
		return
	}
	lo, hi := c.frame.lo, c.frame.hi
	if checkRange(lo, hi) != nil {
		lo, hi = 0, 1
	}
	c.SetRange(lo, hi)
}

// rangeEdited takes the typed min and max; a bad one is named in the status line
// and the range stays as it was.
func (c *Chart) rangeEdited() {
	lo, errLo := strconv.ParseFloat(c.minEntry.Text, 64)
	hi, errHi := strconv.ParseFloat(c.maxEntry.Text, 64)
	switch {
	case errLo != nil:
		c.setRangeError(fmt.Sprintf(c.tr("Min: %q is not a number"), c.minEntry.Text))
	case errHi != nil:
		c.setRangeError(fmt.Sprintf(c.tr("Max: %q is not a number"), c.maxEntry.Text))
	case checkRange(lo, hi) != nil:
		c.setRangeError(c.tr("Min must be less than Max"))
	default:
		c.setRangeError("")
		c.fixedLo, c.fixedHi = lo, hi
		c.changes++
		c.Tick()
	}
}

// setRangeError shows a range error where the hover readout goes (the line under
// the controls), or takes it away.
func (c *Chart) setRangeError(msg string) {
	c.hover.err = msg
	c.showReadout()
}

// SetSeriesVisible shows or hides a series, as its legend entry does. UI goroutine.
func (c *Chart) SetSeriesVisible(key string, on bool) {
	c.syncSeries()
	for _, v := range c.views {
		if v.s.key == key {
			v.check.SetChecked(on)
		}
	}
}

// SeriesVisible tells whether a series is shown.
func (c *Chart) SeriesVisible(key string) bool {
	for _, v := range c.views {
		if v.s.key == key {
			return v.on
		}
	}
	return false
}

// syncSeries gives every new series its legend entry.
func (c *Chart) syncSeries() {
	all := c.store.all()
	if len(all) > len(c.views) {
		defer c.body.Refresh() // the legend may have grown wider: lay the plot and it out again
	}
	for i := len(c.views); i < len(all); i++ {
		v := &seriesView{s: all[i], index: i, on: true}
		v.swatch = canvas.NewRectangle(c.seriesColor(i))
		v.swatch.SetMinSize(fyne.NewSquareSize(12))
		v.swatch.CornerRadius = 2
		v.check = widget.NewCheck(v.s.key, nil)
		v.check.SetChecked(true)
		v.check.OnChanged = func(on bool) {
			if on != v.on {
				v.on = on
				v.cols.valid = false // not kept up while hidden
				c.changes++
				c.redraw()
			}
		}
		c.views = append(c.views, v)
		c.legend.Add(container.NewHBox(container.NewCenter(v.swatch), v.check))
	}
	if n := c.Dropped(); n > 0 {
		c.droppedLabel.SetText(fmt.Sprintf(c.tr("%d values not drawn: more than %d series"), n, MaxSeries))
		c.droppedLabel.Show()
	} else if c.droppedLabel.Visible() {
		c.droppedLabel.Hide()
	}
}

func (c *Chart) seriesColor(i int) color.Color {
	return seriesColor(i, theme.CurrentForWidget(c), fyne.CurrentApp().Settings().ThemeVariant())
}
