package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// autoCharset is the charset choice that decodes the body as a browser would:
// with the charset the response's Content-Type names, or else the one an HTML
// page declares in a <meta> tag.
const autoCharset = "Auto (Content-Type or <meta>)"

// tracePanel is a web trace session: a URL in, each step of fetching it out, as a
// waterfall chart and as details with a sentence on what the step is.
type tracePanel struct {
	env
	prefs prefs

	url      *widget.Entry
	method   *widget.Select
	headers  *widget.Entry
	timeout  *widget.Entry
	insecure *widget.Check
	follow   *widget.Check
	charset  *widget.Select
	goBtn    *widget.Button
	chart    *waterfall
	diagrams *fyne.Container   // each hop's connection as a sequence diagram, once the trace is done
	details  *fyne.Container   // a stepView per step, in order
	detailsV *container.Scroll // scrolls the details
	status   *widget.Label
	object   fyne.CanvasObject

	// The words relabel writes again (trace_relabel.go).
	form         *widget.Form
	charsetLabel *widget.Label
	charsetBox   *fyne.Container // the charset choice, sized to its options
	said         func() string   // what the status says, in the UI language
	total        time.Duration   // the last trace's total, for its chart

	// UI goroutine only.
	onChanged func()
	steps     []webtrace.Step
	views     []*stepView // the details of steps[i]
	picked    int         // the step picked in the waterfall; -1 for none
	cancel    context.CancelFunc
	running   bool
	closed    bool
	wg        sync.WaitGroup // the trace goroutine
}

func newTracePanel(e env) *tracePanel {
	p := &tracePanel{env: e, prefs: newPrefs(e.app, "trace"), picked: -1}
	p.url = widget.NewEntry()
	p.url.SetPlaceHolder("http://127.0.0.1:8080/")
	p.url.SetText(p.prefs.get("url", ""))
	p.url.OnSubmitted = func(string) { p.toggle() }
	p.method = widget.NewSelect([]string{"GET", "HEAD"}, nil)
	p.method.SetSelected(p.prefs.get("method", "GET"))
	p.headers = widget.NewMultiLineEntry()
	p.headers.SetPlaceHolder(tr("Extra headers, one per line: Name: value"))
	p.headers.SetMinRowsVisible(2)
	p.headers.SetText(p.prefs.get("headers", ""))
	p.timeout = widget.NewEntry()
	p.timeout.SetText(p.prefs.get("timeout", "10"))
	p.insecure = widget.NewCheck(tr("Continue past a bad certificate"), nil)
	p.follow = widget.NewCheck(tr("Follow redirects"), nil)
	names := []string{tr(autoCharset)}
	for _, cs := range charset.All() {
		names = append(names, cs.Name())
	}
	p.charset = widget.NewSelect(names, nil)
	p.charset.SetSelectedIndex(0)
	p.goBtn = widget.NewButton(tr("Go"), p.toggle)
	p.goBtn.Importance = widget.HighImportance
	p.chart = newWaterfall(p.pick)
	p.details = container.NewVBox()
	p.detailsV = container.NewVScroll(p.details)
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.setStatus(func() string { return tr("Type a URL and press Go to see each step a browser takes to fetch it.") })

	// The body's charset sits beside the headers, so that no row of the form
	// is wider than a narrow window.
	p.charsetLabel = widget.NewLabel(tr("Body charset"))
	p.charsetBox = container.NewStack(fit.Options(p.charset))
	charsetBox := container.NewVBox(container.NewHBox(p.charsetLabel, p.charsetBox))
	p.form = widget.NewForm(
		widget.NewFormItem(tr("URL"), container.NewBorder(nil, nil, p.method, p.goBtn, p.url)),
		widget.NewFormItem(tr("Headers"), container.NewBorder(nil, nil, nil, charsetBox, p.headers)),
		widget.NewFormItem(tr("Timeout (s)"), container.NewHBox(fit.Width(p.timeout, 70), p.insecure, p.follow)),
	)
	// The waterfall stays in view beside the details, so that picking a step
	// there brings its card here.
	p.diagrams = container.NewVBox()
	results := container.NewHSplit(container.NewVScroll(container.NewVBox(p.chart.Object(), p.diagrams)), p.detailsV)
	results.Offset = 0.4
	p.object = container.NewBorder(container.NewVBox(p.form, p.status, widget.NewSeparator()), nil, nil, nil, results)
	return p
}

func (p *tracePanel) Object() fyne.CanvasObject { return p.object }

func (p *tracePanel) Title() string {
	if p.running {
		return tr("Web trace") + " …"
	}
	return tr("Web trace")
}

func (p *tracePanel) setOnChanged(fn func()) { p.onChanged = fn }

func (p *tracePanel) changed() {
	if p.onChanged != nil {
		p.onChanged()
	}
}

func (p *tracePanel) toggle() {
	if p.running {
		p.cancel() // the trace ends at once and reports what it had
		return
	}
	p.start()
}

// start checks the form and runs the trace on its own goroutine; each step comes
// back through the UI runner as it completes, so the chart grows live.
func (p *tracePanel) start() {
	opts, err := p.options()
	if err != nil {
		p.setStatus(func() string {
			if _, now := p.options(); now != nil {
				err = now // the same problem, worded in the UI language now
			}
			return "⚠ " + err.Error()
		})
		return
	}
	p.prefs.set("url", p.url.Text)
	p.prefs.set("method", p.method.Selected)
	p.prefs.set("headers", p.headers.Text)
	p.prefs.set("timeout", p.timeout.Text)

	p.steps, p.views, p.picked, p.total = nil, nil, -1, 0
	p.chart.clear()
	p.diagrams.RemoveAll()
	p.details.RemoveAll()
	p.detailsV.ScrollToTop()
	p.setStatus(func() string { return trf("Fetching %s …", opts.URL) })
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.running = cancel, true
	p.goBtn.SetText(tr("Stop"))
	p.changed()
	opts.OnStep = func(s webtrace.Step) { p.ui.Do(func() { p.addStep(s) }) }
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		res, err := webtrace.Run(ctx, opts)
		p.ui.Do(func() { p.finish(res, err) })
	}()
}

// options reads the form; a bad field is an error that names it.
func (p *tracePanel) options() (webtrace.Options, error) {
	o := webtrace.Options{
		URL:             strings.TrimSpace(p.url.Text),
		Method:          p.method.Selected,
		Insecure:        p.insecure.Checked,
		FollowRedirects: p.follow.Checked,
	}
	if o.URL == "" {
		return o, &fieldError{tr("URL"), errors.New(tr("enter the address of a page, e.g. http://127.0.0.1:8080/"))}
	}
	h, err := parseHeaderLines(p.headers.Text)
	if err != nil {
		return o, &fieldError{tr("Headers"), err}
	}
	o.Headers = h
	if o.Timeout, err = readTimeout(p.timeout.Text); err != nil {
		return o, err
	}
	if p.charset.SelectedIndex() > 0 {
		if o.Charset, err = charset.Lookup(p.charset.Selected); err != nil {
			return o, &fieldError{tr("Body charset"), err}
		}
	}
	return o, nil
}

// parseHeaderLines reads "Name: value" lines; blank lines are skipped.
func parseHeaderLines(text string) (http.Header, error) {
	h := http.Header{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf(tr("line %d: %q is not \"Name: value\""), i+1, line)
		}
		h.Add(textproto.CanonicalMIMEHeaderKey(name), strings.TrimSpace(value))
	}
	return h, nil
}

// addStep shows one finished step (UI goroutine).
func (p *tracePanel) addStep(s webtrace.Step) {
	if p.closed {
		return
	}
	p.steps = append(p.steps, s)
	p.chart.add(s)
	v := stepCard(s)
	p.views = append(p.views, v)
	p.details.Add(v)
}

// pick marks step i in the waterfall and in the details, and scrolls its
// details to the top of their view (as far as the scroll goes).
func (p *tracePanel) pick(i int) {
	if i < 0 || i >= len(p.views) {
		return
	}
	p.picked = i
	p.chart.mark(i)
	for j, v := range p.views {
		v.setSelected(j == i)
	}
	end := p.details.Size().Height - p.detailsV.Size().Height
	p.detailsV.ScrollToOffset(fyne.NewPos(0, max(0, min(p.views[i].Position().Y, end))))
}

// finish shows the outcome (UI goroutine).
func (p *tracePanel) finish(res *webtrace.Result, err error) {
	p.running = false
	p.cancel()
	if p.closed {
		return
	}
	p.goBtn.SetText(tr("Go"))
	p.changed()
	switch {
	case err != nil:
		p.setStatus(func() string { return "⚠ " + err.Error() })
	case res == nil:
	default:
		p.total = res.Total
		p.chart.setTotal(res.Total)
		p.showDiagrams()
		if f, failed := res.Failure(); failed {
			p.setStatus(func() string { return "⚠ " + stepErrorText(f) })
		} else if res.Redirect != "" {
			p.setStatus(func() string {
				return trf("Redirected to %s (turn on Follow redirects to trace it) · total %s", res.Redirect, webtrace.FormatDuration(res.Total))
			})
		} else {
			p.setStatus(func() string { return trf("Done in %s", webtrace.FormatDuration(res.Total)) })
		}
	}
}

// Close stops a running trace and waits for its goroutine.
func (p *tracePanel) Close() {
	p.closed = true
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
}
