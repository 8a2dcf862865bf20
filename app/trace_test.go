package app

import (
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
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *widget.Card:
			b.WriteString(w.Title + "\n" + w.Subtitle + "\n")
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
