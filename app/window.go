// Package app is Sockdesk's Fyne desktop UI. It is built by functions that take a
// fyne.App, so tests drive the real widgets with fyne.io/fyne/v2/test.
package app

import (
	"path/filepath"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/app/workspace"
)

// sessionKind is one kind of session a person can open. name is English; the
// chooser shows it through tr. id is how a workspace file names it.
type sessionKind struct {
	name string
	id   workspace.Kind
	open func(env) panel
}

var sessionKinds = []sessionKind{
	{"UDP", workspace.UDP, func(e env) panel { return newUDPPanel(e) }},
	{"TCP client", workspace.TCPClient, func(e env) panel { return newTCPClientPanel(e) }},
	{"TCP server", workspace.TCPServer, func(e env) panel { return newTCPServerPanel(e) }},
	{"TCP relay", workspace.TCPRelay, func(e env) panel { return newRelayPanel(e) }},
	{"Web trace", workspace.WebTrace, func(e env) panel { return newTracePanel(e) }},
}

// mainWindow holds sessions as tabs. A new tab starts as a chooser of the session
// kind; picking one turns it into that session.
type mainWindow struct {
	env
	tabs     *container.DocTabs
	panels   map[*container.TabItem]panel
	settings *settingsDialog // the last Settings dialog shown
	quitDlg  dialog.Dialog   // the last "Quit?" question shown
	openDlg  dialog.Dialog   // the last "Open workspace?" question shown
	// workspaceNote is what the last workspace notice said (tests read it).
	workspaceNote string
	// sessionsPath is the file the open sessions are saved to at the end and
	// opened from at the start; "" keeps nothing (a screenshot, most tests).
	sessionsPath string
	ended        bool // shutdown ran: the sessions are saved and closed
}

// sessionsFile is the name of the file, in the app's storage, that brings the
// window's sessions back at the next start.
const sessionsFile = "sessions" + workspace.Ext

// NewMainWindow builds the main window in the language saved in the preferences
// (the system's by default), with the sessions open when it last closed — or one
// UDP session the first time.
func NewMainWindow(a fyne.App) fyne.Window { return newAppWindow(a, "") }

// NewMainWindowWithWorkspace is NewMainWindow opening the workspace file at
// path (sockdesk --workspace FILE) instead of the last run's sessions; if it
// cannot be opened, the window says why over the last run's sessions.
func NewMainWindowWithWorkspace(a fyne.App, path string) fyne.Window { return newAppWindow(a, path) }

func newAppWindow(a fyne.App, workspacePath string) fyne.Window {
	if uiProbe != nil {
		// Fyne calls this once the window is shown and its event loop about to run.
		a.Lifecycle().SetOnStarted(func() { uiProbe.mark("started", "") })
	}
	i18n.UsePreference(a)
	useAtomicSaves()
	e := env{app: a, win: a.NewWindow("Sockdesk"), ui: fyneUI{}}
	root := a.Storage().RootURI()
	if root != nil && root.Scheme() == "file" {
		e.lib = openAppLibrary(a, filepath.Join(root.Path(), libraryFile))
	}
	m := newMainWindow(e)
	if root != nil && root.Scheme() == "file" {
		m.sessionsPath = filepath.Join(root.Path(), sessionsFile)
	}
	if workspacePath == "" || !m.startWithWorkspace(workspacePath) {
		m.restoreSessions()
	}
	return m.win
}

// openAppLibrary opens the app's library at path and moves the send box's old
// saved messages into it, once.
func openAppLibrary(a fyne.App, path string) *libraryStore {
	store := newLibraryStore(path)
	if store.broken == nil {
		if _, err := migrateQuickSends(a.Preferences(), store); err != nil {
			fyne.LogError("moving the saved messages into the library", err)
		}
	}
	return store
}

func newMainWindow(e env) *mainWindow {
	if e.lib == nil {
		e.lib = newLibraryStore("")
	}
	m := &mainWindow{env: e, panels: map[*container.TabItem]panel{}}
	m.tabs = container.NewDocTabs()
	m.tabs.CreateTab = m.newChooserTab
	m.tabs.OnClosed = m.closeTab
	m.win.SetContent(m.tabs)
	m.win.Canvas().AddShortcut(newSessionShortcut, func(fyne.Shortcut) { m.newSession() })
	m.win.SetMainMenu(m.mainMenu())
	m.restoreSize()
	m.win.SetCloseIntercept(m.requestQuit)
	// Quitting the app some other way (the OS) must still save and stop every
	// session's goroutines, before Fyne stops running fyne.Do callbacks.
	m.app.Lifecycle().SetOnStopped(m.shutdown)
	return m
}

// requestQuit is the window's close button and File → Quit: while a session is
// connected or serving it asks first, since quitting ends those connections.
func (m *mainWindow) requestQuit() {
	n := m.busySessions()
	if n == 0 {
		m.quit()
		return
	}
	msg := widget.NewLabel(trf("%d sessions are connected or serving. Quitting closes them.", n))
	if n == 1 {
		msg.SetText(tr("A session is connected or serving. Quitting closes it."))
	}
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(tr("Quit Sockdesk?"), tr("Quit"), tr("Cancel"), msg, func(ok bool) {
		if ok {
			m.quit()
		}
	}, m.win)
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	m.quitDlg = d
	d.Show()
}

// quit saves the window and its sessions, closes them, and ends the app.
func (m *mainWindow) quit() {
	m.shutdown()
	m.win.Close()
	m.app.Quit()
}

// shutdown saves the size and the sessions and closes every session; once. The
// sessions are read first and written after they are closed, so that their pumps
// stop as soon as can be (no batch reaches a Fyne that has stopped).
func (m *mainWindow) shutdown() {
	if m.ended {
		return
	}
	m.ended = true
	m.saveSize()
	w := m.workspace()
	m.closeAll()
	m.saveWorkspace(w)
}

// busySessions counts the sessions that are connected, connecting or serving.
func (m *mainWindow) busySessions() int {
	n := 0
	for _, p := range m.panels {
		if b, ok := p.(interface{ busy() bool }); ok && b.busy() {
			n++
		}
	}
	return n
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
	// Named here, so it speaks the chosen language rather than the system's; it
	// asks first while sessions are connected, as the close button does.
	quit := fyne.NewMenuItem(tr("Quit"), m.requestQuit)
	quit.IsQuit = true
	file := append([]*fyne.MenuItem{newItem, fyne.NewMenuItemSeparator()}, m.workspaceMenuItems()...)
	file = append(file, fyne.NewMenuItemSeparator(), settings, fyne.NewMenuItemSeparator(), quit)
	return fyne.NewMainMenu(fyne.NewMenu(tr("File"), file...), m.helpMenu())
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

// relabel speaks the UI language everywhere at once: the menu, the chooser tabs,
// and every open session, which writes its words again and keeps everything else
// (its connection, its log, what is typed).
func (m *mainWindow) relabel() {
	m.win.SetMainMenu(m.mainMenu())
	for _, tab := range m.tabs.Items {
		if p := m.panels[tab]; p != nil {
			if r, ok := p.(interface{ relabel() }); ok {
				r.relabel()
			}
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
