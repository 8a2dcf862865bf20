package netio

import "sync/atomic"

// Queue is a bounded queue of events for a display: Emit never blocks, and an event
// that finds the queue full is dropped and counted. Put the log file and counters
// before it in a Tee so they see everything a display misses.
type Queue struct {
	ch      chan Event
	dropped atomic.Uint64
}

// NewQueue returns a queue holding up to size events (at least 1).
func NewQueue(size int) *Queue {
	return &Queue{ch: make(chan Event, max(size, 1))}
}

// Emit queues e, or drops it when the queue is full.
func (q *Queue) Emit(e Event) {
	select {
	case q.ch <- e:
	default:
		q.dropped.Add(1)
	}
}

// Events is the channel to drain. It is never closed: consumers stop on their own
// signal, after closing the endpoints that feed the queue.
func (q *Queue) Events() <-chan Event { return q.ch }

// Dropped reports how many events found the queue full.
func (q *Queue) Dropped() uint64 { return q.dropped.Load() }
