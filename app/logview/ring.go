package logview

// ring is a capped buffer that keeps the newest items: pushing onto a full ring
// evicts the oldest and counts it, so a log view's memory stays bounded however
// long a session runs.
type ring[T any] struct {
	buf     []T
	start   int // index of the oldest item
	n       int
	evicted uint64
}

func newRing[T any](capacity int) *ring[T] {
	return &ring[T]{buf: make([]T, max(capacity, 1))}
}

func (r *ring[T]) push(v T) {
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = v
		r.n++
		return
	}
	r.buf[r.start] = v
	r.start = (r.start + 1) % len(r.buf)
	r.evicted++
}

// dropOldest removes the oldest item, counting it as evicted.
func (r *ring[T]) dropOldest() (T, bool) {
	var zero T
	if r.n == 0 {
		return zero, false
	}
	old := r.buf[r.start]
	r.buf[r.start] = zero
	r.start = (r.start + 1) % len(r.buf)
	r.n--
	r.evicted++
	return old, true
}

// at returns the i-th oldest item, 0 <= i < len().
func (r *ring[T]) at(i int) T { return r.buf[(r.start+i)%len(r.buf)] }

func (r *ring[T]) len() int { return r.n }

// clear empties the ring; the eviction count restarts too.
func (r *ring[T]) clear() {
	clear(r.buf)
	r.start, r.n, r.evicted = 0, 0, 0
}
