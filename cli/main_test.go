package cli

import (
	"os"
	"testing"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"go.uber.org/goleak"
)

// TestMain fails the suite if any goroutine outlives the tests: every command must
// stop what it started before Run returns. The end-to-end tests' build directory is
// removed afterwards.
//
// A test may start this binary again as a port holder (loopbacktest.PortHolder).
func TestMain(m *testing.M) {
	loopbacktest.HoldPortsIfAsked()
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) {
		if binDir != "" {
			os.RemoveAll(binDir)
		}
	}))
}
