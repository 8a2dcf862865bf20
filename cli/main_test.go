package cli

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the suite if any goroutine outlives the tests: every command must
// stop what it started before Run returns. The end-to-end tests' build directory is
// removed afterwards.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) {
		if binDir != "" {
			os.RemoveAll(binDir)
		}
	}))
}
