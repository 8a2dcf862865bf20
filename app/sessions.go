package app

import (
	"errors"
	"io/fs"

	"fyne.io/fyne/v2"

	"github.com/sockdesk/sockdesk/app/workspace"
)

// The window's sessions outlive it: when it closes, every open session is saved,
// with its settings, to a workspace file in the app's storage (mainWindow.
// sessionsPath), and the next start opens them again, in their order, with the
// same tab in front. Sessions come back closed: the settings return, not the
// connections, so that a start never binds ports or connects by itself.

// keeper is a session whose settings a workspace holds.
type keeper interface {
	capture() workspace.Session
	restore(workspace.Session)
}

// saveWorkspace writes w, the open sessions, to the sessions file.
func (m *mainWindow) saveWorkspace(w *workspace.Workspace) {
	if m.sessionsPath == "" {
		return
	}
	if err := w.Save(m.sessionsPath); err != nil {
		fyne.LogError("saving the open sessions", err)
	}
}

// workspace is the open sessions, in the order of their tabs.
func (m *mainWindow) workspace() *workspace.Workspace {
	w := &workspace.Workspace{}
	for _, tab := range m.tabs.Items {
		p := m.panels[tab]
		if p == nil {
			continue
		}
		ws, ok := capturePanel(p)
		if !ok {
			continue
		}
		if tab == m.tabs.Selected() {
			w.Active = len(w.Sessions)
		}
		w.Sessions = append(w.Sessions, ws)
	}
	return w
}

// capturePanel is p's settings, if it keeps any.
func capturePanel(p panel) (workspace.Session, bool) {
	switch p := p.(type) {
	case keeper:
		return p.capture(), true
	case *tracePanel:
		return captureTrace(p), true
	}
	return workspace.Session{}, false
}

// restoreSessions opens the sessions saved when the window last closed, or one UDP
// session when there are none (the first start, or a file that cannot be read).
func (m *mainWindow) restoreSessions() {
	opened := 0
	if m.sessionsPath != "" {
		w, problems, err := workspace.Load(m.sessionsPath)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			fyne.LogError("opening the sessions of the last run", err)
		default:
			for _, p := range problems {
				fyne.LogError("opening the sessions of the last run: "+p.String(), nil)
			}
			opened = m.openWorkspace(w)
		}
	}
	if opened == 0 {
		m.openSession(m.newChooserTab(), sessionKinds[0])
	}
}

// openWorkspace opens w's sessions, each with its settings, and brings its active
// one to the front; it returns how many it opened.
func (m *mainWindow) openWorkspace(w *workspace.Workspace) int {
	var tabs []int
	for _, ws := range w.Sessions {
		k, ok := kindOf(ws.Kind)
		if !ok {
			continue
		}
		tab := m.newChooserTab()
		p := m.openSession(tab, k)
		switch p := p.(type) {
		case keeper:
			p.restore(ws)
		case *tracePanel:
			restoreTrace(p, ws)
		}
		tab.Text = p.Title()
		tabs = append(tabs, len(m.tabs.Items)-1)
	}
	if w.Active >= 0 && w.Active < len(tabs) {
		m.tabs.SelectIndex(tabs[w.Active])
	}
	m.tabs.Refresh()
	return len(tabs)
}

func kindOf(id workspace.Kind) (sessionKind, bool) {
	for _, k := range sessionKinds {
		if k.id == id {
			return k, true
		}
	}
	return sessionKind{}, false
}

// captureTrace and restoreTrace keep a web trace's request: its URL, method,
// headers and timeout.
func captureTrace(p *tracePanel) workspace.Session {
	return workspace.Session{Kind: workspace.WebTrace, Settings: map[string]string{
		"url": p.url.Text, "method": p.method.Selected, "headers": p.headers.Text, "timeout": p.timeout.Text,
	}}
}

func restoreTrace(p *tracePanel, ws workspace.Session) {
	if v, ok := ws.Settings["url"]; ok {
		p.url.SetText(v)
	}
	if v, ok := ws.Settings["method"]; ok && v != "" {
		p.method.SetSelected(v)
	}
	if v, ok := ws.Settings["headers"]; ok {
		p.headers.SetText(v)
	}
	if v, ok := ws.Settings["timeout"]; ok {
		p.timeout.SetText(v)
	}
}
