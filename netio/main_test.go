package netio

import (
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// Every test in netio runs under goleak: a goroutine left behind fails the suite.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// collector is a Sink that keeps every event for a test to look at.
type collector struct {
	mu     sync.Mutex
	events []Event
}

func (c *collector) Emit(e Event) {
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
}

func (c *collector) snapshot() []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Event(nil), c.events...)
}

// waitTimeout bounds how long a test waits for the network to deliver; loopback
// delivers in microseconds, so this only matters when something is broken.
const waitTimeout = 5 * time.Second

// waitFor polls until match finds enough events, and fails the test otherwise.
func (c *collector) waitFor(t *testing.T, what string, match func(Event) bool, n int) []Event {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		var got []Event
		for _, e := range c.snapshot() {
			if match(e) {
				got = append(got, e)
			}
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %d %s, got %d; all events: %v", waitTimeout, n, what, len(got), describe(c.snapshot()))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func describe(evs []Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = FormatLine(e, false)
	}
	return out
}

func kind(k EventKind) func(Event) bool {
	return func(e Event) bool { return e.Kind == k }
}

func kindFrom(k EventKind, peer string) func(Event) bool {
	return func(e Event) bool { return e.Kind == k && e.Peer == peer }
}
