package eventlog

import (
	"testing"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/netio"
	"go.uber.org/goleak"
)

// Every test here runs under goleak: a goroutine left behind fails the suite.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// collector is a sink that keeps every event for a test to look at.
type collector = eventtest.Collector[netio.Event]

func kind(k netio.EventKind) func(netio.Event) bool {
	return func(e netio.Event) bool { return e.Kind == k }
}
