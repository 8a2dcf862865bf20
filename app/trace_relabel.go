package app

import (
	"fyne.io/fyne/v2"

	"github.com/sockdesk/sockdesk/app/fit"
)

// relabel writes the web trace's words again in the UI language, keeping what
// is typed, the choices, and the trace shown (or under way): its chart and its
// details are made again from its steps, with the step picked still picked.
func (p *tracePanel) relabel() {
	p.headers.SetPlaceHolder(tr("Extra headers, one per line: Name: value"))
	p.insecure.Text = tr("Continue past a bad certificate")
	p.insecure.Refresh()
	p.follow.Text = tr("Follow redirects")
	p.follow.Refresh()
	chosen := p.charset.SelectedIndex()
	p.charset.Options[0] = tr(autoCharset)
	p.charset.SetSelectedIndex(chosen)
	p.charsetBox.Objects = []fyne.CanvasObject{fit.Options(p.charset)}
	p.charsetBox.Refresh()
	p.charsetLabel.SetText(tr("Body charset"))
	for i, label := range []string{tr("URL"), tr("Headers"), tr("Timeout (s)")} {
		p.form.Items[i].Text = label
	}
	p.form.Refresh()
	if p.running {
		p.goBtn.SetText(tr("Stop"))
	} else {
		p.goBtn.SetText(tr("Go"))
	}
	p.status.SetText(p.said())
	p.redrawSteps()
	if !p.running {
		p.showDiagrams()
	}
}

// redrawSteps makes the chart's rows and the details' cards again from the
// steps (they are worded as they are made).
func (p *tracePanel) redrawSteps() {
	picked := p.picked
	p.chart.clear()
	p.details.RemoveAll()
	p.views = nil
	for _, s := range p.steps {
		p.chart.add(s)
		v := stepCard(s)
		p.views = append(p.views, v)
		p.details.Add(v)
	}
	if p.total > 0 {
		p.chart.setTotal(p.total)
	}
	if picked >= 0 && picked < len(p.views) {
		p.chart.mark(picked)
		p.views[picked].setSelected(true)
	}
}

// setStatus shows what msg says under the form; it is asked again when the
// language changes.
func (p *tracePanel) setStatus(msg func() string) {
	p.said = msg
	p.status.SetText(msg())
}
