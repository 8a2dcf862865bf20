package cli

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the suite if any goroutine outlives the tests: every command must
// stop what it started before Run returns. The end-to-end tests' build directory is
// removed afterwards.
//
// A test may start this binary again as a helper process (portholder_test.go).
func TestMain(m *testing.M) {
	if os.Getenv(holdPortsEnv) != "" {
		os.Exit(holdPorts())
	}
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) {
		if binDir != "" {
			os.RemoveAll(binDir)
		}
	}))
}
