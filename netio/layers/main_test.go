package layers

import (
	"testing"

	"go.uber.org/goleak"
)

// The tests run endpoints (and an HTTP server) on loopback; nothing may
// outlive them.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
