package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/gen"
	"github.com/sockdesk/sockdesk/netio/payload"
	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// generatorTick is how often a running generator's progress bar and rate move.
const generatorTick = 100 * time.Millisecond

// generatorBox is the traffic generator of a UDP or TCP client session: the send
// box's message (with an optional {counter}) sent again and again at a rate, for a
// count or a duration, with a progress bar and the achieved rate.
type generatorBox struct {
	env     env
	prefs   prefs
	send    *sendBox                // where the message comes from
	charset func() *charset.Charset // the session's charset
	// run drives the generator over the session's endpoint, on the generator's
	// goroutine; it fails when the session is not open.
	run func(ctx context.Context, g *gen.Generator) (gen.Progress, error)

	rate     *widget.Entry
	unit     *widget.Select
	size     *widget.Entry
	count    *widget.Entry
	duration *widget.Entry
	startBtn *widget.Button
	progress *widget.ProgressBar
	result   *widget.Label
	unitBox  *fyne.Container
	form     *fieldForm
	obj      fyne.CanvasObject

	// onRunning, if set, hears when a run starts and ends (the drawer marks the tab).
	onRunning func(bool)
	last      func() string // how the last run ended, in the UI language; nil before one

	// UI goroutine only.
	cancel  context.CancelFunc
	running bool
	closed  bool
	wg      sync.WaitGroup // the run and its progress ticker
}

func newGeneratorBox(e env, p prefs, send *sendBox, charset func() *charset.Charset,
	run func(context.Context, *gen.Generator) (gen.Progress, error)) *generatorBox {
	b := &generatorBox{env: e, prefs: p, send: send, charset: charset, run: run}
	b.rate = widget.NewEntry()
	b.rate.SetText(p.get("gen.rate", "1000"))
	b.unit = widget.NewSelect([]string{"", ""}, nil)
	b.unit.SetSelectedIndex(0)
	b.size = widget.NewEntry()
	b.size.SetText(p.get("gen.size", "0"))
	b.count = widget.NewEntry()
	b.count.SetText(p.get("gen.count", "10000"))
	b.duration = widget.NewEntry()
	b.duration.SetText(p.get("gen.duration", "0"))
	b.startBtn = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), b.toggle)
	b.startBtn.Importance = widget.HighImportance
	b.progress = widget.NewProgressBar()
	b.result = widget.NewLabel("")
	b.result.Wrapping = fyne.TextWrapWord
	b.form = newFieldForm()
	b.unitBox = container.NewStack()
	for _, f := range []struct {
		name  func() string
		entry *widget.Entry
		input fyne.CanvasObject
	}{
		{func() string { return tr("Rate") }, b.rate, container.NewBorder(nil, nil, nil, b.unitBox, fit.Width(b.rate, 90))},
		{func() string { return tr("Size") }, b.size, b.size},
		{func() string { return tr("Count") }, b.count, b.count},
		{func() string { return tr("Duration (s)") }, b.duration, b.duration},
	} {
		row := b.form.field(f.name, f.input, 1)
		f.entry.OnChanged = func(string) { row.setError(nil) }
	}
	b.form.wide(b.startBtn)
	b.obj = container.NewVBox(b.form.Object(), b.progress, b.result)
	b.relabel()
	return b
}

// Object is the generator tool's content.
func (b *generatorBox) Object() fyne.CanvasObject { return b.obj }

// relabel writes the box's words in the UI language.
func (b *generatorBox) relabel() {
	setOptions(b.unit, []string{tr("msg/s"), tr("bytes/s")})
	b.unitBox.Objects = []fyne.CanvasObject{fit.Options(b.unit)}
	b.unitBox.Refresh()
	if b.running {
		b.startBtn.SetText(tr("Stop"))
	} else {
		b.startBtn.SetText(tr("Start"))
		b.result.SetText(b.resultText())
	}
	b.form.relabel()
}

// resultText is what the box says when not running: how it works, or how the last
// run ended.
func (b *generatorBox) resultText() string {
	if b.last != nil {
		return b.last()
	}
	return tr("The message in the send box, {counter} replaced by 1, 2, 3, …; rate 0 = as fast as possible.")
}

// keepIn registers the box's fields with a session's saved settings.
func (b *generatorBox) keepIn(s *session) {
	s.keepEntry("gen.rate", b.rate)
	s.keepIndex("gen.unit", b.unit, []string{"msg", "bytes"})
	s.keepEntry("gen.size", b.size)
	s.keepEntry("gen.count", b.count)
	s.keepEntry("gen.duration", b.duration)
}

func (b *generatorBox) toggle() {
	if b.running {
		b.cancel() // the run ends and reports what it sent
		return
	}
	b.start()
}

// options reads the fields and the send box; a bad one is an error naming it.
func (b *generatorBox) options() (gen.Options, error) {
	var o gen.Options
	text, mode := b.send.entry.Text, b.send.currentMode()
	var msg *payload.Template
	var err error
	if text != "" { // an empty message is padding to Size
		if msg, err = b.send.buildMessage(text, mode); err != nil {
			return o, &fieldError{tr("Message"), err}
		}
	}
	o.Message = msg
	o.Checksum, o.ChecksumOrder = b.send.currentChecksum()
	if o.Rate, err = strconv.ParseFloat(strings.TrimSpace(b.rate.Text), 64); err != nil || o.Rate < 0 {
		return o, &fieldError{tr("Rate"), fmt.Errorf(tr("%q is not a rate (0 = as fast as possible)"), b.rate.Text)}
	}
	if b.unit.SelectedIndex() == 1 {
		o.Unit = gen.PerByte
	}
	if o.Size, err = strconv.Atoi(strings.TrimSpace(b.size.Text)); err != nil || o.Size < 0 {
		return o, &fieldError{tr("Size"), fmt.Errorf(tr("%q is not a size in bytes (0 = the message as it is)"), b.size.Text)}
	}
	if o.Count, err = strconv.ParseUint(strings.TrimSpace(b.count.Text), 10, 64); err != nil {
		return o, &fieldError{tr("Count"), fmt.Errorf(tr("%q is not a number of messages"), b.count.Text)}
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(b.duration.Text), 64)
	if err != nil || secs < 0 {
		return o, &fieldError{tr("Duration (s)"), fmt.Errorf(tr("%q is not a number of seconds"), b.duration.Text)}
	}
	o.Duration = time.Duration(secs * float64(time.Second))
	return o, nil
}

// start checks the fields and runs the generator on its own goroutine, with a
// second one moving the progress bar until it ends.
func (b *generatorBox) start() {
	opts, err := b.options()
	var g *gen.Generator
	if err == nil {
		g, err = gen.New(opts)
	}
	if err != nil {
		var ge *gen.Error
		if errors.As(err, &ge) {
			err = &fieldError{genFieldLabel(ge.Field), errors.New(ge.Reason)}
		}
		b.last = nil
		if !b.form.showError(err) {
			b.last = func() string { return "⚠ " + errorText(err) }
		}
		b.result.SetText(b.resultText())
		return
	}
	b.form.clearErrors()
	b.prefs.set("gen.rate", b.rate.Text)
	b.prefs.set("gen.size", b.size.Text)
	b.prefs.set("gen.count", b.count.Text)
	b.prefs.set("gen.duration", b.duration.Text)
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel, b.running = cancel, true
	b.startBtn.SetText(tr("Stop"))
	b.startBtn.SetIcon(theme.MediaStopIcon())
	if b.onRunning != nil {
		b.onRunning(true)
	}
	b.progress.SetValue(0)
	b.result.SetText(tr("Sending…"))
	done := make(chan struct{})
	b.wg.Add(2)
	go func() {
		defer b.wg.Done()
		defer close(done)
		prog, err := b.run(ctx, g)
		b.env.ui.Do(func() { b.finish(prog, err) })
	}()
	go func() {
		defer b.wg.Done()
		t := time.NewTicker(generatorTick)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p := g.Progress()
				b.env.ui.Do(func() { b.show(p) })
			}
		}
	}()
}

// genFieldLabel is the field a generator option error is about, as the form says it.
func genFieldLabel(field string) string {
	switch field {
	case "rate":
		return tr("Rate")
	case "size":
		return tr("Size")
	case "count":
		return tr("Count")
	case "duration":
		return tr("Duration (s)")
	}
	return tr("Message")
}

// show moves the progress bar and the rate (UI goroutine).
func (b *generatorBox) show(p gen.Progress) {
	if b.closed || !b.running {
		return
	}
	b.progress.SetValue(p.Fraction)
	b.result.SetText(trf("Sending: %d messages, %s, %.0f msg/s, %s/s", p.Messages, formatBytes(float64(p.Bytes)), p.MsgRate(), formatBytes(p.ByteRate())))
}

// finish shows how the run ended (UI goroutine).
func (b *generatorBox) finish(p gen.Progress, err error) {
	b.running = false
	b.cancel()
	if b.closed {
		return
	}
	b.startBtn.SetText(tr("Start"))
	b.startBtn.SetIcon(theme.MediaPlayIcon())
	if b.onRunning != nil {
		b.onRunning(false)
	}
	if p.End == gen.EndCount || p.End == gen.EndDuration {
		b.progress.SetValue(1)
	}
	b.last = func() string {
		summary := trf("Sent %d messages, %s in %s: %.0f msg/s, %s/s", p.Messages, formatBytes(float64(p.Bytes)),
			webtrace.FormatDuration(p.Elapsed), p.MsgRate(), formatBytes(p.ByteRate()))
		switch {
		case err != nil && !errors.Is(err, context.Canceled):
			summary += " · ⚠ " + errorText(err)
		case p.End == gen.EndCanceled:
			summary += " · " + tr("stopped")
		}
		return summary
	}
	b.result.SetText(b.resultText())
}

// Stop ends a run and waits for its goroutines; the panel closes its endpoint
// first so a blocked send returns at once.
func (b *generatorBox) Stop() {
	b.closed = true
	if b.cancel != nil {
		b.cancel()
	}
	b.wg.Wait()
}
