// Package eventtest holds the event collector that the engine's tests share: a
// sink that keeps everything emitted and waits, with a bound, for what a test
// expects. It is generic over the event type so that netio's own tests can use it
// without an import cycle. Only test files import it.
package eventtest

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// WaitTimeout bounds how long a test waits for the network to deliver; loopback
// delivers in microseconds, so this only matters when something is broken.
const WaitTimeout = 5 * time.Second

// Collector is a sink that keeps every event for a test to look at. The zero
// value is ready to use; it is safe for use from any goroutine.
type Collector[E any] struct {
	mu     sync.Mutex
	events []E
}

// Emit keeps e.
func (c *Collector[E]) Emit(e E) {
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
}

// Events returns a copy of what was emitted so far.
func (c *Collector[E]) Events() []E {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]E(nil), c.events...)
}

// WaitFor polls until match finds at least n events, returns them, and fails the
// test if they have not come within WaitTimeout.
func (c *Collector[E]) WaitFor(t testing.TB, what string, match func(E) bool, n int) []E {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for {
		var got []E
		all := c.Events()
		for _, e := range all {
			if match(e) {
				got = append(got, e)
			}
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %d %s, got %d; all events:\n%s", WaitTimeout, n, what, len(got), Describe(all))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// Describe lists events one per line, for a failing test's message.
func Describe[E any](evs []E) string {
	s := ""
	for _, e := range evs {
		s += fmt.Sprintf("  %+v\n", e)
	}
	return s
}
