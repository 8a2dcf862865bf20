package app

import (
	"bytes"
	"strconv"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/plot"
	"github.com/sockdesk/sockdesk/internal/atomicfile"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// toolPlot is the Plot tool's id in the drawer and the workspace.
const toolPlot = "plot"

// plotTickInterval is how often the chart is brought up to date while the Plot
// tool is shown, data or not: the time axis moves with the clock.
const plotTickInterval = 50 * time.Millisecond

// plotPaneWidth is the width the Plot tool's pane is given where the window
// has it: the chart uses what it gets.
const plotPaneWidth = 640

// plotIcon is the Plot tool's tab: a line over axes, in the theme's colours.
var plotIcon = theme.NewThemedResource(fyne.NewStaticResource("plot.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="none" stroke="#000" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M3 3v18h18M6 16l4-6 4 3 5-8"/></svg>`)))

// plotTool is a receiving session's Plot tool: extraction rules (plotRules) and
// a live chart of the values they find (package plot), a series per value name
// and peer, exported as CSV or PNG. Values reach the chart on the socket
// goroutines (chartFeed); the chart is brought up to date on the UI goroutine
// at each batch of the session's pump and, while the tool is shown, on a timer.
type plotTool struct {
	env   env
	chart *plot.Chart
	feed  *chartFeed
	stage *extractStage
	rules *plotRules
	tick  *uiTicker
	shown bool

	clearBtn *widget.Button
	note     *noteLine // how an export went
	obj      fyne.CanvasObject

	// onActive, if set, hears whether rules are in use (the drawer marks the tab).
	onActive func(bool)
}

func newPlotTool(e env, p prefs, stage *extractStage) *plotTool {
	t := &plotTool{env: e, stage: stage, chart: plot.New(tr), note: newNoteLine(1)}
	t.feed = newChartFeed(t.chart)
	t.tick = &uiTicker{ui: e.ui, every: plotTickInterval, fn: t.timerTick}
	t.chart.OnExportCSV = t.exportCSV
	t.chart.OnExportPNG = t.exportPNG
	t.chart.Tick() // shows the export buttons
	t.rules = newPlotRules(p)
	t.rules.onChange = t.use
	t.clearBtn = widget.NewButtonWithIcon("", theme.ContentClearIcon(), t.chart.Clear)
	t.rules.buttons.Add(t.clearBtn)
	top := container.NewVBox(t.rules.Object(), t.note, widget.NewSeparator())
	t.obj = container.NewBorder(top, nil, nil, nil, t.chart)
	t.relabel()
	t.rules.apply()
	return t
}

// addPlotTool gives a receiving session its Plot tool: rules kept in the kind's
// preferences and in the workspace ("plot.rules", "plot.window").
func (s *session) addPlotTool(p prefs) {
	t := newPlotTool(s.env, p, s.extract)
	s.plot = t
	s.addTool(toolPlot, func() string { return tr("Plot") }, plotIcon, t.obj).SetPreferredWidth(plotPaneWidth)
	t.onActive = func(on bool) { s.drawer.SetMarked(toolPlot, on) }
	t.onActive(t.rules.active > 0)
	previous := s.drawer.OnChanged
	s.drawer.OnChanged = func(open string) {
		if previous != nil {
			previous(open)
		}
		t.setShown(open == toolPlot)
	}
	s.wordFns = append(s.wordFns, t.relabel)
	s.keepList(plotRulesKey, t.rules.specs, t.rules.setSpecs)
	s.keep("plot.window", func() string { return t.chart.Window().String() }, func(v string) {
		if d, err := time.ParseDuration(v); err == nil {
			t.chart.SetWindow(d)
		}
	})
}

// use puts the valid rules in use.
func (t *plotTool) use(set *extract.Set) {
	t.stage.use(set, t.feed)
	if t.onActive != nil {
		t.onActive(len(set.Rules()) > 0)
	}
}

// relabel writes the tool's words in the UI language.
func (t *plotTool) relabel() {
	t.rules.relabel()
	t.clearBtn.SetText(tr("Clear chart"))
	t.chart.Relabel()
}

// setShown starts the chart's timer while the tool is shown, and stops it when
// another tool is.
func (t *plotTool) setShown(on bool) {
	if on == t.shown {
		return
	}
	t.shown = on
	if on {
		t.chart.Tick()
		t.tick.start()
	} else {
		t.tick.stop()
	}
}

// timerTick is the timer's tick on the UI goroutine.
func (t *plotTool) timerTick() {
	if uiProbe != nil {
		defer uiProbe.took("plot-tick", time.Now())
	}
	t.chart.Tick()
}

// batch runs in the session pump's batch on the UI goroutine.
func (t *plotTool) batch() {
	if t.shown {
		t.chart.Tick()
		if uiProbe != nil {
			uiProbe.mark("plotted", strconv.FormatUint(t.feed.points.Load(), 10))
		}
	}
}

// stop ends the timer; the session is closing.
func (t *plotTool) stop() { t.tick.stop() }

// exportCSV asks for a file and writes the values shown as CSV to it.
func (t *plotTool) exportCSV() {
	t.askSave("sockdesk-plot-"+time.Now().Format("20060102-150405")+".csv", t.writeCSV)
}

// writeCSV writes the values shown to path, atomically: the series the chart
// has when asked, in the span it shows.
func (t *plotTool) writeCSV(path string) error {
	t.chart.Tick()
	return atomicfile.WriteFunc(path, t.chart.WriteCSV, atomicfile.Options{})
}

// exportPNG takes the picture of the chart as it is now (before a dialog covers
// it), then asks for a file and writes it there.
func (t *plotTool) exportPNG() {
	var buf bytes.Buffer
	if err := t.chart.WritePNG(&buf); err != nil {
		t.showExport("", err)
		return
	}
	data := buf.Bytes()
	t.askSave("sockdesk-plot-"+time.Now().Format("20060102-150405")+".png", func(path string) error {
		return atomicfile.Write(path, data, atomicfile.Options{})
	})
}

// askSave shows a file dialog and writes the chosen file with write: the dialog
// creates the file, write replaces it whole.
func (t *plotTool) askSave(name string, write func(path string) error) {
	if t.env.win == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			if err != nil {
				t.showExport("", err)
			}
			return
		}
		path := w.URI().Path()
		w.Close()
		t.showExport(w.URI().Name(), write(path))
	}, t.env.win)
	d.SetFileName(name)
	d.Show()
}

// showExport says how an export went, under the rules.
func (t *plotTool) showExport(name string, err error) {
	if err != nil {
		t.note.set("⚠ "+trf("Export failed: %s", charset.DisplayText(errorText(err))), noteError)
		return
	}
	t.note.set(trf("Saved %s", charset.DisplayText(name)), noteNews)
}

// uiTicker runs fn on the UI goroutine every interval between start and stop,
// skipping a tick while the last one still waits to run, so a busy UI goroutine
// is never buried under them. start and stop are called on the UI goroutine.
type uiTicker struct {
	ui       uiRunner
	every    time.Duration
	fn       func()
	halt     chan struct{}
	done     chan struct{}
	inFlight atomic.Bool
}

func (t *uiTicker) start() {
	if t.halt != nil {
		return
	}
	t.halt, t.done = make(chan struct{}), make(chan struct{})
	go t.run(t.halt, t.done)
}

func (t *uiTicker) run(halt, done chan struct{}) {
	defer close(done)
	tick := time.NewTicker(t.every)
	defer tick.Stop()
	for {
		select {
		case <-halt:
			return
		case <-tick.C:
		}
		if t.inFlight.Swap(true) {
			continue
		}
		t.ui.Do(func() {
			t.inFlight.Store(false)
			t.fn()
		})
	}
}

// stop ends the ticker and waits for its goroutine. A tick already handed to
// the UI goroutine may still run afterwards.
func (t *uiTicker) stop() {
	if t.halt == nil {
		return
	}
	close(t.halt)
	<-t.done
	t.halt, t.done = nil, nil
}
