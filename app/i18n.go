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
	"golang.org/x/text/language"

	"github.com/sockdesk/sockdesk/resources"
)

// The UI speaks English and Simplified Chinese. Every string a person reads goes
// through tr (or trf), keyed by its English text. By default the language follows
// the system locale as Fyne's lang package reads it (Simplified Chinese for a
// Chinese locale, English otherwise; Fyne translates its own dialogs by the same
// locale); a language chosen in Settings overrides it for our strings.
//
// Our catalogs are looked up directly rather than through lang.L: for a system
// language Fyne knows but we do not (German, say), lang.L would log a
// "Translation failure" for every string before falling back to English.

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
	chosenLang string                       // "" follows the system
	systemLang string                       // our catalog closest to the system locale
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
		systemLang = closestLanguage(string(lang.SystemLocale()))
	})
}

// closestLanguage is the language of ours ("en" or "zh-Hans") that best fits a
// locale such as "zh-CN" or "en-US"; English when none fits.
func closestLanguage(locale string) string {
	tag, err := language.Parse(locale)
	if err != nil {
		return "en"
	}
	var codes []string
	var tags []language.Tag
	for _, l := range languages {
		if l.code != "" {
			codes = append(codes, l.code)
			tags = append(tags, language.Make(l.code))
		}
	}
	_, i, conf := language.NewMatcher(tags).Match(tag)
	if conf == language.No {
		return "en"
	}
	return codes[i]
}

// currentLanguage is the language tr speaks now: the chosen one, or the system's.
func currentLanguage() string {
	loadTranslations()
	i18nMu.RLock()
	defer i18nMu.RUnlock()
	if chosenLang != "" {
		return chosenLang
	}
	return systemLang
}

// setLanguage makes tr use code ("" = the system's language).
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

// tr translates UI text; text with no translation stays English.
func tr(english string) string {
	if t, ok := catalogs[currentLanguage()][english]; ok && t != "" {
		return t
	}
	return english
}

// trf translates a format string, then fills it in.
func trf(english string, args ...any) string {
	return fmt.Sprintf(tr(english), args...)
}
