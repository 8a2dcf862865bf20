package netio

import (
	"fmt"
	"testing"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"go.uber.org/goleak"
)

// Every test in netio runs under goleak: a goroutine left behind fails the suite.
// A test may start this binary again as a port holder (loopbacktest.PortHolder).
func TestMain(m *testing.M) {
	loopbacktest.HoldPortsIfAsked()
	goleak.VerifyTestMain(m)
}

// collector is a Sink that keeps every event for a test to look at.
type collector = eventtest.Collector[Event]

func kind(k EventKind) func(Event) bool {
	return func(e Event) bool { return e.Kind == k }
}

func kindFrom(k EventKind, peer string) func(Event) bool {
	return func(e Event) bool { return e.Kind == k && e.Peer == peer }
}

// show describes an event for a failing test's message.
func show(e Event) string {
	return fmt.Sprintf("%s %s local=%s peer=%s client=%d text=%q reason=%q err=%v", e.Kind, e.Proto, e.Local, e.Peer, e.Client, e.Text, e.Reason, e.Err)
}
