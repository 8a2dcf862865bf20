package app

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// cardTexts gathers every label under the details, for asserting on what a person reads.
func cardTexts(p *tracePanel) string {
	var b strings.Builder
	for _, o := range test.LaidOutObjects(p.details) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

func runTrace(t *testing.T, q *queuedUI, p *tracePanel) {
	t.Helper()
	test.Tap(p.goBtn)
	uiWait(t, q, "the trace to finish", func() bool { return !p.running })
}

func TestTracePanelDrawsEachStepOfAFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=gbk")
		gbk, _ := charset.Lookup("gbk")
		body, _ := gbk.Encode("你好，浏览器\n<b>not markup</b>")
		w.Write(body)
	}))
	defer srv.Close()
	e, q := newTestEnv(t)
	p := newTracePanel(e)
	t.Cleanup(p.Close)
	p.url.SetText(srv.URL + "/page")
	p.headers.SetText("X-Probe: sockdesk")
	runTrace(t, q, p)

	var kinds []string
	for _, s := range p.steps {
		kinds = append(kinds, s.Kind.String())
	}
	if got := strings.Join(kinds, ","); got != "dns,route,connect,request,response,close" {
		t.Fatalf("steps %s; status %q", got, p.status.Text)
	}
	if len(p.chart.rows.Objects) != len(p.steps) {
		t.Errorf("%d chart rows for %d steps", len(p.chart.rows.Objects), len(p.steps))
	}
	// Bars are to scale and in order: each starts where (or after) the one before ends.
	prevEnd := 0.0
	for i := range p.steps {
		from, to := p.chart.barSpan(i)
		if from < prevEnd-1e-9 || to < from || to > 1+1e-9 {
			t.Errorf("bar %d spans %.3f..%.3f after %.3f", i, from, to, prevEnd)
		}
		prevEnd = to
	}
	if !strings.HasPrefix(p.status.Text, "Done in ") {
		t.Errorf("status %q", p.status.Text)
	}
	text := cardTexts(p)
	for _, want := range []string{"200 OK", "X-Probe", "sockdesk", "你好，浏览器", "<b>not markup</b>", webtrace.StepConnect.Explain()} {
		if !strings.Contains(text, want) {
			t.Errorf("details lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, `\n<b>`) {
		t.Errorf("the body is shown twice, once as a one-line detail:\n%s", text)
	}
	if p.prefs.get("url", "") != srv.URL+"/page" {
		t.Error("the URL was not remembered")
	}
}

func TestTracePanelStopsTheChartAtTheFailingStep(t *testing.T) {
	ln, _ := net.Listen("tcp4", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	e, q := newTestEnv(t)
	p := newTracePanel(e)
	t.Cleanup(p.Close)
	p.url.SetText("http://" + addr + "/")
	runTrace(t, q, p)
	last := p.steps[len(p.steps)-1]
	if last.Kind != webtrace.StepConnect || !last.Failed {
		t.Fatalf("last step %s failed=%v", last.Kind, last.Failed)
	}
	if p.status.Text != "⚠ TCP connect: connection refused" {
		t.Errorf("status %q", p.status.Text)
	}
	if !strings.Contains(cardTexts(p), "TCP connect: connection refused") {
		t.Error("the failing step's card does not say why")
	}
}

func TestTracePanelBadInput(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTracePanel(e)
	t.Cleanup(p.Close)
	for _, tc := range []struct{ url, headers, timeout, want string }{
		{"", "", "10", "URL: enter the address of a page"},
		{"http://127.0.0.1:1/", "Good: yes\nno colon here", "10", `Headers: line 2: "no colon here" is not "Name: value"`},
		{"http://127.0.0.1:1/", "", "abc", "Timeout:"},
		{"htp:/x", "", "10", `URL "htp:/x"`},
	} {
		p.url.SetText(tc.url)
		p.headers.SetText(tc.headers)
		p.timeout.SetText(tc.timeout)
		// The form's own checks stop a trace before it starts; the URL is checked by
		// the engine, whose answer comes back at once.
		runTrace(t, q, p)
		if len(p.steps) != 0 {
			t.Fatalf("%+v: steps ran", tc)
		}
		if !strings.Contains(p.status.Text, tc.want) {
			t.Errorf("%+v: status %q", tc, p.status.Text)
		}
	}
}

func TestTracePanelIsASessionKind(t *testing.T) {
	e, _ := newTestEnv(t)
	m := newMainWindow(e)
	defer m.closeAll()
	tab := m.addChooserTab()
	p := m.openSession(tab, sessionKinds[len(sessionKinds)-1])
	if _, ok := p.(*tracePanel); !ok || tab.Text != "Web trace" {
		t.Errorf("last kind opens %T titled %q", p, tab.Text)
	}
	var _ fyne.CanvasObject = p.Object()
}

// traceWindow shows the panel in a window of the default size, 1000×700.
func traceWindow(t *testing.T, e env, p *tracePanel) fyne.Window {
	t.Helper()
	e.win.SetContent(p.Object())
	e.win.Resize(fyne.NewSize(1000, 700))
	return e.win
}

// settle lays the window out again as the real driver does frame by frame,
// until wrapped text has found its height at its width.
func settle(w fyne.Window) {
	size := w.Canvas().Size()
	for range 3 {
		w.Resize(size.AddWidthHeight(0, 1))
		w.Resize(size)
	}
}

func TestTracePanelWrapsToTheWindow(t *testing.T) {
	longName := "X-" + strings.Repeat("Very-Long-Header-Name-", 12) + "End"
	longValue := strings.Repeat("0123456789abcdef", 40)
	longPath := "/" + strings.Repeat("segment-", 50) + "end"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(longName, longValue)
		http.Redirect(w, r, longPath+"/next", http.StatusFound)
	}))
	defer srv.Close()
	for _, lang := range []string{"en", "zh-Hans"} {
		t.Run(lang, func(t *testing.T) {
			useLanguage(t, lang)
			e, q := newTestEnv(t)
			p := newTracePanel(e)
			t.Cleanup(p.Close)
			w := traceWindow(t, e, p)
			p.url.SetText(srv.URL + longPath)
			runTrace(t, q, p)
			settle(w)

			if !strings.Contains(p.status.Text, longPath+"/next") {
				t.Fatalf("status %q", p.status.Text)
			}
			if got := w.Canvas().Size(); got != fyne.NewSize(1000, 700) {
				t.Errorf("the window is %v, want 1000×700", got)
			}
			if min := p.Object().MinSize(); min.Width > 1000 {
				t.Errorf("the panel asks for %v, wider than the window", min.Width)
			}
			// Every text of the details lies inside the details' column.
			column := p.detailsV.Size().Width
			for _, o := range test.LaidOutObjects(p.details) {
				l, ok := o.(*widget.Label)
				if !ok {
					continue
				}
				pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(l).Subtract(fyne.CurrentApp().Driver().AbsolutePositionForObject(p.details))
				if pos.X+l.Size().Width > column+0.5 {
					t.Errorf("%q reaches %v, beyond the column's %v", short(l.Text), pos.X+l.Size().Width, column)
				}
				if l.Size().Height+0.5 < l.MinSize().Height {
					t.Errorf("%q is %v tall, needs %v", short(l.Text), l.Size().Height, l.MinSize().Height)
				}
			}
			// The route sentence is wrapped, not cut.
			route := p.views[1]
			if route.explain.Text != tr(webtrace.StepRoute.Explain()) || route.explain.Size().Height < 1.5*oneLineHeight() {
				t.Errorf("the route sentence takes %v, one line is %v: %q", route.explain.Size(), oneLineHeight(), route.explain.Text)
			}
		})
	}
}

// short is the start of a long text, for a failure message.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func TestTracePanelTappingAStepShowsItsDetails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, strings.Repeat("a line of the body\n", 30))
	}))
	defer srv.Close()
	e, q := newTestEnv(t)
	p := newTracePanel(e)
	t.Cleanup(p.Close)
	w := traceWindow(t, e, p)
	p.url.SetText(srv.URL)
	runTrace(t, q, p)
	settle(w)

	const response = 4 // dns, route, connect, request, response, close
	if p.steps[response].Kind != webtrace.StepResponse {
		t.Fatalf("step %d is %v", response, p.steps[response].Kind)
	}
	inView := func(i int) bool {
		top := p.views[i].Position().Y - p.detailsV.Offset.Y
		return top >= 0 && top < p.detailsV.Size().Height
	}
	if inView(response) || p.detailsV.Offset.Y != 0 {
		t.Fatalf("the response's details are in view before it is picked (offset %v)", p.detailsV.Offset)
	}
	// Tap the bar, where a person clicks it on the canvas.
	d := fyne.CurrentApp().Driver()
	bar := p.chart.marked[response]
	at := d.AbsolutePositionForObject(bar).Add(fyne.NewPos(bar.Size().Width/2, bar.Size().Height/2))
	test.TapCanvas(w.Canvas(), at)
	if p.picked != response {
		t.Fatalf("tapping the response's bar picked %d", p.picked)
	}
	if top := p.views[response].Position().Y; p.detailsV.Offset.Y != top {
		t.Errorf("the details scrolled to %v, the response's card is at %v", p.detailsV.Offset.Y, top)
	}
	for i, v := range p.views {
		if v.selected != (i == response) || p.chart.marked[i].selected != (i == response) {
			t.Errorf("step %d: card marked %v, row marked %v", i, v.selected, p.chart.marked[i].selected)
		}
	}
	// Tap the first step's name: back to the top.
	name := d.AbsolutePositionForObject(p.chart.marked[0]).Add(fyne.NewPos(10, 10))
	test.TapCanvas(w.Canvas(), name)
	if p.picked != 0 || p.detailsV.Offset.Y != 0 || !p.views[0].selected || p.views[response].selected {
		t.Errorf("tapping DNS's name: picked %d, offset %v", p.picked, p.detailsV.Offset)
	}
	// The last card cannot come to the top; it comes into view.
	last := len(p.views) - 1
	test.Tap(p.chart.marked[last])
	if !inView(last) || p.detailsV.Offset.Y != p.details.Size().Height-p.detailsV.Size().Height {
		t.Errorf("the last step is not in view: offset %v", p.detailsV.Offset)
	}
	// A new trace starts with nothing picked.
	runTrace(t, q, p)
	if p.picked != -1 || p.detailsV.Offset.Y != 0 {
		t.Errorf("after a new trace: picked %d, offset %v", p.picked, p.detailsV.Offset)
	}
}
