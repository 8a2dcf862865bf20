package app

import "sync"

// queuedUI holds functions until Flush runs them on the caller's goroutine. Tests
// use it: Fyne's test driver runs fyne.Do on the calling goroutine, which would let
// a pump touch widgets while the test reads them; with queuedUI the test goroutine
// is the only UI goroutine, as Fyne's is in the app.
type queuedUI struct {
	mu      sync.Mutex
	pending []func()
}

func (q *queuedUI) Do(fn func()) {
	q.mu.Lock()
	q.pending = append(q.pending, fn)
	q.mu.Unlock()
}

// Flush runs what is queued, including what those functions queue in turn, and
// says how many it ran.
func (q *queuedUI) Flush() int {
	ran := 0
	for {
		q.mu.Lock()
		fns := q.pending
		q.pending = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return ran
		}
		for _, fn := range fns {
			fn()
		}
		ran += len(fns)
	}
}
