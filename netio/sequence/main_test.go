package sequence

import (
	"testing"

	"go.uber.org/goleak"
)

// The runner starts endpoints and timers: a goroutine left behind fails the suite.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
