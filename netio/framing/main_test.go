package framing

import (
	"testing"

	"go.uber.org/goleak"
)

// The loopback tests start goroutines: one left behind fails the suite.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
