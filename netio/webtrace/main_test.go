package webtrace

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the suite if a goroutine outlives the tests: a trace must
// leave nothing running (dials, connections, the transport's readers).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
