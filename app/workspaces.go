package app

import (
	"errors"
	"io/fs"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/workspace"
)

// Workspaces in the File menu: Save workspace… writes every open session with
// its settings to a .sockdesk file (package workspace, through each session's
// capture), Open workspace… and Recent workspaces open one in place of the
// sessions open now (through restore), and `sockdesk --workspace FILE` starts
// with one. Opening is forgiving: a damaged file or one from a newer version
// opens what it can, and a dialog lists what it could not.

// prefRecentWorkspaces is the preference listing the workspaces last saved or
// opened, newest first.
const prefRecentWorkspaces = "workspace.recent"

// maxRecentWorkspaces is how many the Recent workspaces menu lists.
const maxRecentWorkspaces = 8

// workspaceFilter offers .sockdesk files in the file dialogs.
var workspaceFilter = storage.NewExtensionFileFilter([]string{workspace.Ext})

// workspaceMenuItems are the File menu's workspace entries.
func (m *mainWindow) workspaceMenuItems() []*fyne.MenuItem {
	open := fyne.NewMenuItem(tr("Open workspace…"), m.chooseWorkspace)
	save := fyne.NewMenuItem(tr("Save workspace…"), m.chooseWorkspaceSave)
	recent := fyne.NewMenuItem(tr("Recent workspaces"), nil)
	var items []*fyne.MenuItem
	for _, path := range m.recentWorkspaces() {
		items = append(items, fyne.NewMenuItem(path, func() { m.openWorkspacePath(path) }))
	}
	if len(items) == 0 {
		none := fyne.NewMenuItem(tr("(none yet)"), nil)
		none.Disabled = true
		items = append(items, none)
	}
	recent.ChildMenu = fyne.NewMenu("", items...)
	return []*fyne.MenuItem{open, save, recent}
}

// recentWorkspaces lists the workspaces last saved or opened, newest first.
func (m *mainWindow) recentWorkspaces() []string {
	return slices.Clone(m.app.Preferences().StringList(prefRecentWorkspaces))
}

// rememberWorkspace puts path first in the recent list (or, gone, takes it
// out) and rebuilds the menu.
func (m *mainWindow) rememberWorkspace(path string, keep bool) {
	list := slices.DeleteFunc(m.recentWorkspaces(), func(p string) bool { return p == path })
	if keep {
		list = append([]string{path}, list...)
	}
	if len(list) > maxRecentWorkspaces {
		list = list[:maxRecentWorkspaces]
	}
	m.app.Preferences().SetStringList(prefRecentWorkspaces, list)
	m.win.SetMainMenu(m.mainMenu())
}

// chooseWorkspaceSave asks where to save the workspace.
func (m *mainWindow) chooseWorkspaceSave() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			m.showWorkspaceError(tr("Saving the workspace failed"), err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		m.saveWorkspaceAs(path)
	}, m.win)
	d.SetFileName("workspace" + workspace.Ext)
	d.SetFilter(workspaceFilter)
	d.Show()
}

// saveWorkspaceAs writes every open session with its settings to path,
// atomically, and remembers it.
func (m *mainWindow) saveWorkspaceAs(path string) error {
	if err := m.workspace().Save(path); err != nil {
		m.showWorkspaceError(tr("Saving the workspace failed"), err)
		return err
	}
	m.rememberWorkspace(path, true)
	return nil
}

// chooseWorkspace asks for a workspace to open.
func (m *mainWindow) chooseWorkspace() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			m.showWorkspaceError(tr("Opening the workspace failed"), err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		m.openWorkspacePath(path)
	}, m.win)
	d.SetFilter(workspaceFilter)
	d.Show()
}

// openWorkspacePath opens the workspace at path in place of the sessions open
// now, asking first while one is connected or serving. A file that is not a
// workspace changes nothing and is said; a workspace's parts that cannot open
// are listed once the rest is open.
func (m *mainWindow) openWorkspacePath(path string) {
	w, problems, err := workspace.Load(path)
	if err != nil {
		m.rememberWorkspace(path, !errors.Is(err, fs.ErrNotExist))
		m.showWorkspaceError(tr("Opening the workspace failed"), err)
		return
	}
	if len(w.Sessions) == 0 {
		m.showWorkspaceProblems(path, problems, tr("It has no session this version can open: the sessions open now stay."))
		return
	}
	open := func() {
		m.replaceSessions(w)
		m.rememberWorkspace(path, true)
		if len(problems) > 0 {
			m.showWorkspaceProblems(path, problems, "")
		}
	}
	n := m.busySessions()
	if n == 0 {
		open()
		return
	}
	msg := widget.NewLabel(trf("%d sessions are connected or serving. Opening the workspace closes them.", n))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(tr("Open workspace?"), tr("Open"), tr("Cancel"), msg, func(ok bool) {
		if ok {
			open()
		}
	}, m.win)
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	m.openDlg = d
	d.Show()
}

// replaceSessions closes every tab and opens w's sessions.
func (m *mainWindow) replaceSessions(w *workspace.Workspace) {
	m.closeAll()
	m.tabs.SetItems(nil)
	m.openWorkspace(w)
}

// showWorkspaceError says why a workspace could not be saved or opened.
func (m *mainWindow) showWorkspaceError(title string, err error) {
	m.showWorkspaceNotice(title, capitalize(errorText(err)))
}

// showWorkspaceProblems lists the parts of the workspace at path that did not
// open, each with its JSON path; after says what happened then.
func (m *mainWindow) showWorkspaceProblems(path string, problems []workspace.Problem, after string) {
	lines := []string{trf("Not everything in %s could be opened:", path)}
	for _, p := range problems {
		lines = append(lines, "• "+p.String())
	}
	if after != "" {
		lines = append(lines, after)
	}
	m.showWorkspaceNotice(tr("Workspace opened in part"), strings.Join(lines, "\n"))
}

func (m *mainWindow) showWorkspaceNotice(title, text string) {
	m.workspaceNote = text
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, tr("Close"), container.NewVScroll(label), m.win)
	d.Resize(fyne.NewSize(620, 360))
	d.Show()
}

// startWithWorkspace opens the workspace at path as the window's first
// sessions; false (the error said in a dialog) if it has none to open.
func (m *mainWindow) startWithWorkspace(path string) bool {
	w, problems, err := workspace.Load(path)
	if err != nil {
		m.showWorkspaceError(tr("Opening the workspace failed"), err)
		return false
	}
	if len(w.Sessions) == 0 {
		m.showWorkspaceProblems(path, problems, tr("It has no session this version can open: the sessions of the last run opened instead."))
		return false
	}
	m.openWorkspace(w)
	m.rememberWorkspace(path, true)
	if len(problems) > 0 {
		m.showWorkspaceProblems(path, problems, "")
	}
	return true
}
