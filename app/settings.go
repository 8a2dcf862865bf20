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
	items := []*widget.FormItem{
		widget.NewFormItem(tr("Language"), s.language),
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

// applyLanguage saves the language choice and speaks it at once, everywhere:
// the menu, the tabs, and every open session, which stays open.
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
}
