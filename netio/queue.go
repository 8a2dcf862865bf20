package netio

import "sync/atomic"

// Queue is a bounded queue of events for a display: Emit never blocks, and an event
// that finds the queue full is dropped and counted. Put the log file and counters
// before it in a Tee so they see everything a display misses.
//
// A queue bounds the number of events it holds and, if made by NewQueueBytes, also
// their payload bytes: a peer streaming large reads at a slow display fills a queue
// by bytes long before it does by count, and without the byte bound 65,536 reads of
// 64 KiB would be gigabytes held for the screen.
type Queue struct {
	ch       chan Event
	dropped  atomic.Uint64
	maxBytes int64        // 0: no byte bound
	bytes    atomic.Int64 // payload bytes of the events queued (NewQueueBytes only)
}

// NewQueue returns a queue holding up to size events (at least 1).
func NewQueue(size int) *Queue {
	return &Queue{ch: make(chan Event, max(size, 1))}
}

// NewQueueBytes returns a queue holding up to size events whose payloads (Data plus
// Text) add up to at most maxBytes; one event is always let in when the queue is
// empty, however large. Whoever takes an event from Events must call Release with
// it, which gives its bytes back.
func NewQueueBytes(size int, maxBytes int64) *Queue {
	q := NewQueue(size)
	q.maxBytes = max(maxBytes, 1)
	return q
}

// eventBytes is what an event holds in memory beyond its fixed size.
func eventBytes(e Event) int64 { return int64(len(e.Data) + len(e.Text)) }

// Emit queues e, or drops it when the queue is full.
func (q *Queue) Emit(e Event) {
	var n int64
	if q.maxBytes > 0 {
		n = eventBytes(e)
		if held := q.bytes.Add(n); held > q.maxBytes && held != n {
			q.bytes.Add(-n)
			q.dropped.Add(1)
			return
		}
	}
	select {
	case q.ch <- e:
	default:
		q.bytes.Add(-n)
		q.dropped.Add(1)
	}
}

// Release gives back the bytes of an event taken from Events, for a queue made by
// NewQueueBytes; on other queues it does nothing.
func (q *Queue) Release(e Event) {
	if q.maxBytes > 0 {
		q.bytes.Add(-eventBytes(e))
	}
}

// Events is the channel to drain. It is never closed: consumers stop on their own
// signal, after closing the endpoints that feed the queue.
func (q *Queue) Events() <-chan Event { return q.ch }

// Dropped reports how many events found the queue full.
func (q *Queue) Dropped() uint64 { return q.dropped.Load() }

// Bytes reports the payload bytes queued now (NewQueueBytes queues only).
func (q *Queue) Bytes() int64 { return q.bytes.Load() }
