package app

import (
	"os"
	"testing"

	"github.com/sockdesk/sockdesk/app/i18n"
	_ "github.com/sockdesk/sockdesk/internal/clocale" // as main does: Fyne quiet under LANG=C.UTF-8
	"go.uber.org/goleak"
)

// Every test in app runs under goleak: a pump, send worker or repeat left
// running fails the suite. The UI speaks English whatever the machine's locale,
// so tests can read its words; a test wanting Chinese switches with useLanguage.
func TestMain(m *testing.M) {
	if os.Getenv(holdPortsEnv) != "" { // started again by portHolder: hold ports instead
		os.Exit(holdPorts())
	}
	i18n.Set("en")
	goleak.VerifyTestMain(m)
}
