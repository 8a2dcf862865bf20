package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/app/i18n"
)

// settingsDialog is the Settings dialog: for now the UI language. Its widgets are
// kept so tests can choose and submit.
type settingsDialog struct {
	dlg      *dialog.FormDialog
	language *widget.Select // one option per entry of i18n.Languages, in that order
}

// languageChoices are the Language select's options, indexed like i18n.Languages: the
// system's choice says which language it comes to, the others are each named in
// their own language, so a person who cannot read the current one finds theirs.
func languageChoices() []string {
	out := make([]string, len(i18n.Languages))
	for i, l := range i18n.Languages {
		out[i] = l.Name
		if l.Code == "" {
			out[i] = trf("System (%s)", languageName(i18n.System()))
		}
	}
	return out
}

// languageName is a language's name in itself: "English", "简体中文".
func languageName(code string) string {
	for _, l := range i18n.Languages {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

// knownLanguage reports whether code is one of i18n.Languages ("" = the system's).
func knownLanguage(code string) bool {
	for _, l := range i18n.Languages {
		if l.Code == code {
			return true
		}
	}
	return false
}

// showSettings opens the Settings dialog.
func (m *mainWindow) showSettings() {
	saved := m.app.Preferences().String(i18n.PrefKey)
	s := &settingsDialog{language: widget.NewSelect(languageChoices(), nil)}
	s.language.SetSelectedIndex(0)
	for i, l := range i18n.Languages {
		if l.Code == saved {
			s.language.SetSelectedIndex(i)
		}
	}
	note := widget.NewLabel(tr("Open sessions keep their language until Sockdesk restarts."))
	note.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{
		widget.NewFormItem(tr("Language"), s.language),
		widget.NewFormItem("", note),
	}
	s.dlg = dialog.NewForm(tr("Settings"), tr("Apply"), tr("Cancel"), items, func(ok bool) {
		if i := s.language.SelectedIndex(); ok && i >= 0 {
			m.applyLanguage(i18n.Languages[i].Code)
		}
	}, m.win)
	s.dlg.Resize(fyne.NewSize(420, s.dlg.MinSize().Height))
	m.settings = s
	s.dlg.Show()
}

// applyLanguage saves the language choice and speaks it at once where that is
// safe: the menu, the chooser tabs and the tab titles. A session already open
// keeps the words it was built with (rebuilding it would end it), so when one is
// open a note says to restart.
func (m *mainWindow) applyLanguage(code string) {
	if code == m.app.Preferences().String(i18n.PrefKey) {
		return
	}
	m.app.Preferences().SetString(i18n.PrefKey, code)
	before := i18n.Current()
	i18n.Set(code)
	if i18n.Current() == before {
		return
	}
	m.relabel()
	if len(m.panels) > 0 {
		// Our own OK: Fyne's dialogs say theirs in the system's language.
		msg := widget.NewLabel(tr("Restart Sockdesk to see every part in the new language."))
		dialog.NewCustom(tr("Language"), tr("OK"), msg, m.win).Show()
	}
}
