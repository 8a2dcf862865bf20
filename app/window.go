// Package app is Sockdesk's Fyne desktop UI. It is built by functions that take a
// fyne.App, so tests drive the real widgets with fyne.io/fyne/v2/test.
package app

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/app/i18n"
)

// sessionKind is one kind of session a person can open. name is English; the
// chooser shows it through tr.
type sessionKind struct {
	name string
	open func(env) panel
}

var sessionKinds = []sessionKind{
	{"UDP", func(e env) panel { return newUDPPanel(e) }},
	{"TCP client", func(e env) panel { return newTCPClientPanel(e) }},
	{"TCP server", func(e env) panel { return newTCPServerPanel(e) }},
	{"TCP relay", func(e env) panel { return newRelayPanel(e) }},
	{"Web trace", func(e env) panel { return newTracePanel(e) }},
}

// mainWindow holds sessions as tabs. A new tab starts as a chooser of the session
// kind; picking one turns it into that session.
type mainWindow struct {
	env
	tabs     *container.DocTabs
	panels   map[*container.TabItem]panel
	settings *settingsDialog // the last Settings dialog shown
}

// NewMainWindow builds the main window with one UDP session open, in the language
// saved in the preferences (the system's by default).
func NewMainWindow(a fyne.App) fyne.Window {
	if uiProbe != nil {
		// Fyne calls this once the window is shown and its event loop about to run.
		a.Lifecycle().SetOnStarted(func() { uiProbe.mark("started", "") })
	}
	i18n.UsePreference(a)
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
	m.win.Canvas().AddShortcut(newSessionShortcut, func(fyne.Shortcut) { m.newSession() })
	m.win.SetMainMenu(m.mainMenu())
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

// newSessionShortcut is Ctrl+N (Cmd+N on macOS): a new tab.
var newSessionShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}

// newSession opens a chooser tab and brings it to the front.
func (m *mainWindow) newSession() { m.tabs.Select(m.addChooserTab()) }

// mainMenu is the window's menu: File with New session, Settings… and Quit. (On
// macOS Fyne moves a "Settings…" item into the application menu only when it is
// labelled in English; in Chinese it stays under File, where it works the same.)
func (m *mainWindow) mainMenu() *fyne.MainMenu {
	newItem := fyne.NewMenuItem(tr("New session"), m.newSession)
	newItem.Shortcut = newSessionShortcut
	settings := fyne.NewMenuItem(tr("Settings…"), m.showSettings)
	// Fyne gives an IsQuit item with no action its own Quit; we only name it, so
	// it speaks the chosen language rather than the system's.
	quit := fyne.NewMenuItem(tr("Quit"), nil)
	quit.IsQuit = true
	return fyne.NewMainMenu(fyne.NewMenu(tr("File"), newItem, fyne.NewMenuItemSeparator(), settings, fyne.NewMenuItemSeparator(), quit), m.helpMenu())
}

func (m *mainWindow) addChooserTab() *container.TabItem {
	t := m.newChooserTab()
	m.tabs.Append(t)
	return t
}

// newChooserTab makes a "New session" tab with one button per kind.
func (m *mainWindow) newChooserTab() *container.TabItem {
	tab := container.NewTabItem("", nil)
	m.fillChooserTab(tab)
	return tab
}

// fillChooserTab (re)writes a chooser tab in the current language.
func (m *mainWindow) fillChooserTab(tab *container.TabItem) {
	tab.Text = tr("New session")
	buttons := container.NewVBox(widget.NewLabelWithStyle(tr("Open a session"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	for _, k := range sessionKinds {
		b := widget.NewButton(tr(k.name), func() { m.openSession(tab, k) })
		b.Importance = widget.HighImportance
		buttons.Add(b)
	}
	buttons.Add(widget.NewLabelWithStyle(trf("%s opens another tab", newSessionShortcutName()), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	tab.Content = container.NewCenter(buttons)
}

// newSessionShortcutName is how the new-tab shortcut is written on this system.
func newSessionShortcutName() string {
	if runtime.GOOS == "darwin" {
		return "⌘+N"
	}
	return "Ctrl+N"
}

// relabel shows what can change language without rebuilding a session: the menu,
// the chooser tabs and the tabs' titles. A running session keeps its widgets (and
// so its words) until it is closed: rebuilding it would end the session.
func (m *mainWindow) relabel() {
	m.win.SetMainMenu(m.mainMenu())
	for _, tab := range m.tabs.Items {
		if p := m.panels[tab]; p != nil {
			tab.Text = p.Title()
		} else {
			m.fillChooserTab(tab)
		}
	}
	m.tabs.Refresh()
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
