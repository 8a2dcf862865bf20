// Package i18n is the UI's translation: every string a person reads goes through
// T (or Tf), keyed by its English text, into English or Simplified Chinese. By
// default the language follows the system locale as Fyne's lang package reads it
// (Simplified Chinese for a Chinese locale, English otherwise; Fyne translates its
// own dialogs by the same locale); a language chosen in Settings overrides it for
// our strings. Every UI package uses it; they are safe for use from any goroutine.
//
// Our catalogs are looked up directly rather than through lang.L: for a system
// language Fyne knows but we do not (German, say), lang.L would log a
// "Translation failure" for every string before falling back to English.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/language"

	"github.com/sockdesk/sockdesk/resources"
)

// PrefKey is the preference that holds the chosen language: "" (follow the
// system), "en" or "zh-Hans".
const PrefKey = "language"

// Language is one choice in Settings: its code and its own name.
type Language struct{ Code, Name string }

// Languages are the choices in Settings, in display order.
var Languages = []Language{
	{"", "System"},
	{"en", "English"},
	{"zh-Hans", "简体中文"},
}

var (
	once       sync.Once
	catalogs   map[string]map[string]string // language code -> English -> translation
	mu         sync.RWMutex
	chosenLang string // "" follows the system
	systemLang string // our catalog closest to the system locale
)

// load registers the embedded translations with Fyne's lang package and keeps
// them for explicit choices. It runs once.
func load() {
	once.Do(func() {
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
		systemLang = Closest(string(lang.SystemLocale()))
	})
}

// Closest is the language of ours ("en" or "zh-Hans") that best fits a locale
// such as "zh-CN" or "en-US"; English when none fits.
func Closest(locale string) string {
	tag, err := language.Parse(locale)
	if err != nil {
		return "en"
	}
	var codes []string
	var tags []language.Tag
	for _, l := range Languages {
		if l.Code != "" {
			codes = append(codes, l.Code)
			tags = append(tags, language.Make(l.Code))
		}
	}
	_, i, conf := language.NewMatcher(tags).Match(tag)
	if conf == language.No {
		return "en"
	}
	return codes[i]
}

// System is the language "System" comes to on this machine.
func System() string {
	load()
	return systemLang
}

// Chosen is the language chosen ("" = the system's).
func Chosen() string {
	load()
	mu.RLock()
	defer mu.RUnlock()
	return chosenLang
}

// Current is the language T speaks now: the chosen one, or the system's.
func Current() string {
	load()
	mu.RLock()
	defer mu.RUnlock()
	if chosenLang != "" {
		return chosenLang
	}
	return systemLang
}

// Set makes T speak code ("" = the system's language).
func Set(code string) {
	load()
	mu.Lock()
	chosenLang = code
	mu.Unlock()
}

// UsePreference applies the language saved in a's preferences.
func UsePreference(a fyne.App) {
	Set(a.Preferences().String(PrefKey))
}

// T translates UI text; text with no translation stays English.
func T(english string) string {
	if t, ok := catalogs[Current()][english]; ok && t != "" {
		return t
	}
	return english
}

// Tf translates a format string, then fills it in.
func Tf(english string, args ...any) string {
	return fmt.Sprintf(T(english), args...)
}

// GroupDigits writes n with thousands separators: 12,345,678.
func GroupDigits(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
