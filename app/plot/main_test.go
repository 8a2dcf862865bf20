package plot

import (
	"testing"

	"go.uber.org/goleak"
)

// The chart starts no goroutine; goleak checks that stays so, and that the
// concurrent-Add tests wait for theirs.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
