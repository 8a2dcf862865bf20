package pcapng

import (
	"testing"

	"go.uber.org/goleak"
)

// The tests run loopback servers in goroutines: none may outlive its test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
