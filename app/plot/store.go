package plot

import (
	"sort"
	"sync"
	"sync/atomic"
)

// series is one named line's history: a ring of points, oldest first, with times
// that never go backwards. Producers append under mu; the UI goroutine reads
// under mu.
type series struct {
	key string

	mu    sync.Mutex
	t     []int64   // unix nanoseconds
	v     []float64 // values, finite
	head  int       // index of the oldest point once the ring is full
	total uint64    // points ever added: point number total-1 is the newest
}

// add appends a point, overwriting the oldest when the ring is full. A time
// earlier than the newest point's is taken as the newest's, so times stay sorted.
func (s *series) add(t int64, v float64, capacity int) {
	s.mu.Lock()
	if n := len(s.t); n > 0 {
		if last := s.t[s.index(n-1)]; t < last {
			t = last
		}
	}
	if len(s.t) < capacity {
		if len(s.t) == cap(s.t) {
			s.grow(capacity)
		}
		s.t = append(s.t, t)
		s.v = append(s.v, v)
	} else {
		s.t[s.head], s.v[s.head] = t, v
		s.head = (s.head + 1) % len(s.t)
	}
	s.total++
	s.mu.Unlock()
}

// grow doubles the ring's room, never past capacity, so a full ring holds
// exactly capacity points and a short series costs little. Callers hold mu.
func (s *series) grow(capacity int) {
	n := min(max(2*cap(s.t), 256), capacity)
	t, v := make([]int64, len(s.t), n), make([]float64, len(s.v), n)
	copy(t, s.t)
	copy(v, s.v)
	s.t, s.v = t, v
}

// index is the slice index of the i-th oldest point. Callers hold mu.
func (s *series) index(i int) int {
	i += s.head
	if i >= len(s.t) {
		i -= len(s.t)
	}
	return i
}

// at is the i-th oldest point. Callers hold mu.
func (s *series) at(i int) (int64, float64) {
	j := s.index(i)
	return s.t[j], s.v[j]
}

// segment is a run of points contiguous in memory.
type segment struct {
	t []int64
	v []float64
}

// segments are the points from position i (oldest = 0) to the newest, as at
// most two runs. Callers hold mu.
func (s *series) segments(i int) [2]segment {
	if i >= len(s.t) {
		return [2]segment{}
	}
	j := s.index(i)
	if j >= s.head && s.head > 0 || s.head == 0 {
		// From j to the end of the slice, then the start of the slice up to head.
		if s.head == 0 {
			return [2]segment{{s.t[j:], s.v[j:]}}
		}
		return [2]segment{{s.t[j:], s.v[j:]}, {s.t[:s.head], s.v[:s.head]}}
	}
	return [2]segment{{s.t[j:s.head], s.v[j:s.head]}}
}

// search is the position (oldest = 0) of the first point at or after t. Callers hold mu.
func (s *series) search(t int64) int {
	return sort.Search(len(s.t), func(i int) bool { return s.t[s.index(i)] >= t })
}

// store holds every series, found by key. Add may be called from any goroutine.
type store struct {
	capacity  int // points per series
	maxSeries int

	mu      sync.RWMutex
	byKey   map[string]*series
	ordered []*series // in order of first point

	dropped atomic.Uint64 // points of series over maxSeries
}

func newStore(capacity, maxSeries int) *store {
	return &store{capacity: capacity, maxSeries: maxSeries, byKey: map[string]*series{}}
}

func (st *store) add(key string, t int64, v float64) {
	st.mu.RLock()
	s := st.byKey[key]
	st.mu.RUnlock()
	if s == nil {
		if s = st.create(key); s == nil {
			st.dropped.Add(1)
			return
		}
	}
	s.add(t, v, st.capacity)
}

func (st *store) create(key string) *series {
	st.mu.Lock()
	defer st.mu.Unlock()
	if s := st.byKey[key]; s != nil {
		return s
	}
	if len(st.ordered) >= st.maxSeries {
		return nil
	}
	s := &series{key: key}
	st.byKey[key] = s
	st.ordered = append(st.ordered, s)
	return s
}

// all is every series in order of first point.
func (st *store) all() []*series {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return append([]*series(nil), st.ordered...)
}

func (st *store) clear() {
	st.mu.Lock()
	st.byKey = map[string]*series{}
	st.ordered = nil
	st.mu.Unlock()
	st.dropped.Store(0)
}
