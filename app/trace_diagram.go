package app

import (
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/seqdiagram"
)

// showDiagrams draws, under the waterfall, each hop's connection as a
// sequence diagram: its handshake, the request and the response, and the
// close in the order the trace saw it (UI goroutine).
func (p *tracePanel) showDiagrams() {
	p.diagrams.RemoveAll()
	for _, d := range seqdiagram.FromTrace(p.steps) {
		v := seqdiagram.New()
		v.Set(d)
		p.diagrams.Add(widget.NewSeparator())
		p.diagrams.Add(v.Object())
	}
}
