package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/i18n"
)

// A language switch reaches a web trace that is open, with a trace done: its
// form, its button, its status, its chart and its details speak the new
// language, and what was typed, chosen and picked stays.
func TestTracePanelRelabels(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("hello"))
	}))
	defer srv.Close()
	useLanguage(t, "en")
	e, q := newTestEnv(t)
	m := newMainWindow(e)
	t.Cleanup(m.closeAll)
	p := m.openSession(m.newChooserTab(), kindNamed(t, "Web trace")).(*tracePanel)
	p.url.SetText(srv.URL + "/page")
	p.headers.SetText("X-Probe: 1")
	p.charset.SetSelectedIndex(0)
	runTrace(t, q, p)
	if !strings.HasPrefix(p.status.Text, "Done in ") {
		t.Fatalf("status %q", p.status.Text)
	}
	p.pick(2)
	steps := len(p.steps)

	m.applyLanguage("zh-Hans")
	t.Cleanup(func() { i18n.Set("en") })

	for _, c := range []struct{ what, got, want string }{
		{"button", p.goBtn.Text, "开始"},
		{"follow", p.follow.Text, "跟随重定向"},
		{"insecure", p.insecure.Text, "忽略证书错误"},
		{"headers placeholder", p.headers.PlaceHolder, "附加请求头，每行一个：Name: value"},
		{"form label", p.form.Items[1].Text, "请求头"},
		{"timeout label", p.form.Items[2].Text, "超时（秒）"},
		{"charset label", p.charsetLabel.Text, "正文编码"},
		{"charset choice", p.charset.Selected, "自动（按 Content-Type 或 <meta>）"},
		{"tab", m.tabs.Items[0].Text, "网页追踪"},
	} {
		if c.got != c.want {
			t.Errorf("%s says %q, want %q", c.what, c.got, c.want)
		}
	}
	if !strings.HasPrefix(p.status.Text, "完成，用时 ") {
		t.Errorf("status %q", p.status.Text)
	}
	if len(p.views) != steps || len(p.chart.marked) != steps {
		t.Fatalf("%d cards and %d chart rows for %d steps", len(p.views), len(p.chart.marked), steps)
	}
	if got := p.views[2].title.Text; !strings.HasPrefix(got, "TCP 连接") {
		t.Errorf("the connect card says %q", got)
	}
	var rowTexts []string
	for _, o := range test.LaidOutObjects(p.chart.rows) {
		if l, ok := o.(*widget.Label); ok {
			rowTexts = append(rowTexts, l.Text)
		}
	}
	if !strings.Contains(strings.Join(rowTexts, "|"), "TCP 连接") || !strings.HasPrefix(p.chart.axis.Text, "总计") {
		t.Errorf("the chart says %q, axis %q", rowTexts, p.chart.axis.Text)
	}
	if p.picked != 2 || !p.views[2].selected || !p.chart.marked[2].selected || p.views[0].selected {
		t.Errorf("the picked step is not kept: picked %d", p.picked)
	}
	if p.url.Text != srv.URL+"/page" || p.headers.Text != "X-Probe: 1" || p.charset.SelectedIndex() != 0 {
		t.Error("the switch changed what was typed or chosen")
	}

	// A problem with the form is worded again too.
	p.url.SetText("")
	test.Tap(p.goBtn)
	m.applyLanguage("en")
	if !strings.Contains(p.status.Text, "enter the address of a page") {
		t.Errorf("the form's problem in English: %q", p.status.Text)
	}
}
