package app

import (
	"testing"

	"github.com/sockdesk/sockdesk/app/i18n"
	_ "github.com/sockdesk/sockdesk/internal/clocale" // as main does: Fyne quiet under LANG=C.UTF-8
	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"go.uber.org/goleak"
)

// Every test in app runs under goleak: a pump, send worker or repeat left
// running fails the suite. The UI speaks English whatever the machine's locale,
// so tests can read its words; a test wanting Chinese switches with useLanguage.
func TestMain(m *testing.M) {
	loopbacktest.HoldPortsIfAsked() // a test may start this binary again as a port holder
	i18n.Set("en")
	goleak.VerifyTestMain(m)
}
