package seqdiagram

import (
	"testing"

	"github.com/sockdesk/sockdesk/app/i18n"
	_ "github.com/sockdesk/sockdesk/internal/clocale" // as main does: Fyne quiet under LANG=C.UTF-8
	"go.uber.org/goleak"
)

// The diagrams speak English whatever the machine's locale, so tests can read
// its words; a test wanting Chinese switches with useLanguage.
func TestMain(m *testing.M) {
	i18n.Set("en")
	goleak.VerifyTestMain(m)
}

// useLanguage switches the UI language for one test.
func useLanguage(t *testing.T, code string) {
	t.Helper()
	prev := i18n.Chosen()
	i18n.Set(code)
	t.Cleanup(func() { i18n.Set(prev) })
}
