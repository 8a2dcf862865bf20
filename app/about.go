package app

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/internal/version"
)

// websiteURL is where Sockdesk lives (FyneApp.toml's Website).
const websiteURL = "https://github.com/sockdesk/sockdesk"

// aboutDialog says which Sockdesk this is: version, commit and the commit's date,
// as `sockdesk --version` does, with a button that copies that line for a bug
// report. Its widgets are kept so tests can read and tap them.
type aboutDialog struct {
	dlg                   *dialog.CustomDialog
	version, commit, date *widget.Label
	copy                  *widget.Button
}

// helpMenu is the Help menu: About Sockdesk.
func (m *mainWindow) helpMenu() *fyne.Menu {
	return fyne.NewMenu(tr("Help"), fyne.NewMenuItem(tr("About Sockdesk"), m.showAbout))
}

// showAbout opens the About dialog.
func (m *mainWindow) showAbout() { newAboutDialog(m.env, version.Get()).dlg.Show() }

func newAboutDialog(e env, info version.Info) *aboutDialog {
	orUnknown := func(s string) string {
		if s == "" {
			return tr("unknown")
		}
		return s
	}
	d := &aboutDialog{
		version: widget.NewLabel(info.Version),
		commit:  widget.NewLabel(orUnknown(version.ShortCommit(info.Commit))),
		date:    widget.NewLabel(orUnknown(info.Date)),
	}
	d.copy = widget.NewButton(tr("Copy"), func() { e.app.Clipboard().SetContent(info.String()) })
	site, _ := url.Parse(websiteURL)
	form := widget.NewForm(
		widget.NewFormItem(tr("Version"), d.version),
		widget.NewFormItem(tr("Commit"), d.commit),
		widget.NewFormItem(tr("Commit date"), d.date),
		widget.NewFormItem(tr("Website"), widget.NewHyperlink(websiteURL, site)),
	)
	d.dlg = dialog.NewCustomWithoutButtons(tr("About Sockdesk"), container.NewPadded(form), e.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.copy, widget.NewButton(tr("Close"), d.dlg.Hide)})
	return d
}
