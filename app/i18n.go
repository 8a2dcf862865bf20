package app

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"sockdesk/resources"
)

// The UI speaks English and Simplified Chinese. Every string a person reads goes
// through tr (or trf), keyed by its English text. By default Fyne's lang package
// picks the language from the system locale (and translates Fyne's own dialogs
// too); a language chosen in Settings overrides it for our strings.

// prefLanguage holds the chosen language: "" (follow the system), "en" or "zh-Hans".
const prefLanguage = "language"

// languages are the choices in Settings, in display order, with their own names.
var languages = []struct{ code, name string }{
	{"", "System"},
	{"en", "English"},
	{"zh-Hans", "简体中文"},
}

var (
	i18nOnce   sync.Once
	catalogs   map[string]map[string]string // language code -> English -> translation
	chosenLang string                       // "" follows Fyne's choice
	i18nMu     sync.RWMutex
)

// loadTranslations registers the embedded translations with Fyne's lang package
// and keeps them for explicit choices. It runs once.
func loadTranslations() {
	i18nOnce.Do(func() {
		catalogs = map[string]map[string]string{}
		if err := lang.AddTranslationsFS(resources.Translations, "translations"); err != nil {
			fyne.LogError("loading translations", err)
		}
		entries, _ := fs.ReadDir(resources.Translations, "translations")
		for _, e := range entries {
			data, err := fs.ReadFile(resources.Translations, "translations/"+e.Name())
			if err != nil {
				continue
			}
			var m map[string]string
			if json.Unmarshal(data, &m) == nil {
				catalogs[strings.TrimSuffix(path.Base(e.Name()), ".json")] = m
			}
		}
	})
}

// setLanguage makes tr use code ("" = the system's language through Fyne).
func setLanguage(code string) {
	loadTranslations()
	i18nMu.Lock()
	chosenLang = code
	i18nMu.Unlock()
}

// useLanguagePreference applies the language saved in a's preferences.
func useLanguagePreference(a fyne.App) {
	setLanguage(a.Preferences().String(prefLanguage))
}

// tr translates UI text.
func tr(english string) string {
	loadTranslations()
	i18nMu.RLock()
	code := chosenLang
	i18nMu.RUnlock()
	if code == "" {
		return lang.L(english)
	}
	if t, ok := catalogs[code][english]; ok && t != "" {
		return t
	}
	return english
}

// trf translates a format string, then fills it in.
func trf(english string, args ...any) string {
	return fmt.Sprintf(tr(english), args...)
}
