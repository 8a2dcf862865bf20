// Package app is Sockdesk's Fyne desktop UI. It is built by functions that take a
// fyne.App, so tests drive the real widgets with fyne.io/fyne/v2/test.
package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// sessionKind is one kind of session a person can open.
type sessionKind struct {
	name string
	open func(env) panel
}

var sessionKinds = []sessionKind{
	{"UDP", func(e env) panel { return newUDPPanel(e) }},
	{"TCP client", func(e env) panel { return newTCPClientPanel(e) }},
	{"TCP server", func(e env) panel { return newTCPServerPanel(e) }},
	{"Web trace", func(e env) panel { return newTracePanel(e) }},
}

// mainWindow holds sessions as tabs. A new tab starts as a chooser of the session
// kind; picking one turns it into that session.
type mainWindow struct {
	env
	tabs   *container.DocTabs
	panels map[*container.TabItem]panel
}

// NewMainWindow builds the main window with one UDP session open.
func NewMainWindow(a fyne.App) fyne.Window {
	m := newMainWindow(env{app: a, win: a.NewWindow("Sockdesk"), ui: fyneUI{}})
	m.openSession(m.newChooserTab(), sessionKinds[0])
	return m.win
}

func newMainWindow(e env) *mainWindow {
	m := &mainWindow{env: e, panels: map[*container.TabItem]panel{}}
	m.tabs = container.NewDocTabs()
	m.tabs.CreateTab = m.newChooserTab
	m.tabs.OnClosed = m.closeTab
	m.win.SetContent(m.tabs)
	m.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		m.tabs.Select(m.addChooserTab())
	})
	m.restoreSize()
	m.win.SetCloseIntercept(func() {
		m.saveSize()
		m.closeAll()
		m.win.Close()
	})
	// Quitting the app some other way (a menu, the OS) must still stop every session's
	// goroutines, and before Fyne stops running fyne.Do callbacks.
	m.app.Lifecycle().SetOnStopped(m.closeAll)
	return m
}

func (m *mainWindow) addChooserTab() *container.TabItem {
	t := m.newChooserTab()
	m.tabs.Append(t)
	return t
}

// newChooserTab makes a "New session" tab with one button per kind.
func (m *mainWindow) newChooserTab() *container.TabItem {
	tab := container.NewTabItem("New session", nil)
	buttons := container.NewVBox(widget.NewLabelWithStyle("Open a session", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	for _, k := range sessionKinds {
		b := widget.NewButton(k.name, func() { m.openSession(tab, k) })
		b.Importance = widget.HighImportance
		buttons.Add(b)
	}
	buttons.Add(widget.NewLabelWithStyle("Ctrl+N opens another tab", fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	tab.Content = container.NewCenter(buttons)
	return tab
}

// openSession turns tab into a session of kind k.
func (m *mainWindow) openSession(tab *container.TabItem, k sessionKind) panel {
	p := k.open(m.env)
	if c, ok := p.(interface{ setOnChanged(func()) }); ok {
		c.setOnChanged(func() {
			tab.Text = p.Title()
			m.tabs.Refresh()
		})
	}
	m.panels[tab] = p
	tab.Text = p.Title()
	tab.Content = p.Object()
	if !m.hasTab(tab) {
		m.tabs.Append(tab)
	}
	m.tabs.Select(tab)
	m.tabs.Refresh()
	return p
}

func (m *mainWindow) hasTab(tab *container.TabItem) bool {
	for _, t := range m.tabs.Items {
		if t == tab {
			return true
		}
	}
	return false
}

func (m *mainWindow) closeTab(tab *container.TabItem) {
	if p := m.panels[tab]; p != nil {
		p.Close()
		delete(m.panels, tab)
	}
}

func (m *mainWindow) closeAll() {
	for tab, p := range m.panels {
		p.Close()
		delete(m.panels, tab)
	}
}

const (
	prefWidth  = "window.width"
	prefHeight = "window.height"
)

func (m *mainWindow) restoreSize() {
	p := m.app.Preferences()
	w := p.FloatWithFallback(prefWidth, 1000)
	h := p.FloatWithFallback(prefHeight, 700)
	m.win.Resize(fyne.NewSize(float32(max(w, 480)), float32(max(h, 360))))
}

func (m *mainWindow) saveSize() {
	size := m.win.Canvas().Size()
	m.app.Preferences().SetFloat(prefWidth, float64(size.Width))
	m.app.Preferences().SetFloat(prefHeight, float64(size.Height))
}
