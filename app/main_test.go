package app

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test in app runs under goleak: a pump, send worker or repeat left
// running fails the suite.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
