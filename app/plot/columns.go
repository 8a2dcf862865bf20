package plot

// bucket is what a pixel column shows of one series: the least and greatest value
// of the points that fall in it, and its first and last value to join the line to
// its neighbours. n == 0 is an empty column.
type bucket struct {
	min, max, first, last float64
	lastT                 int64 // the last point's time, for the entry point once the column leaves the view
	n                     uint32
}

// foldRun adds the values of a run of points, the last of which is at lastT.
func (b *bucket) foldRun(lastT int64, vs []float64) {
	lo, hi := vs[0], vs[0]
	for _, v := range vs[1:] {
		// Plain comparisons: values are never NaN, so the builtins' NaN care is not needed.
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if b.n == 0 {
		b.min, b.max, b.first = lo, hi, vs[0]
	} else {
		b.min, b.max = min(b.min, lo), max(b.max, hi)
	}
	b.last, b.lastT = vs[len(vs)-1], lastT
	b.n += uint32(len(vs))
}

func (b *bucket) fold(t int64, v float64) {
	if b.n == 0 {
		b.min, b.max, b.first = v, v, v
	} else {
		b.min, b.max = min(b.min, v), max(b.max, v)
	}
	b.last, b.lastT = v, t
	b.n++
}

// entry is the last point before the first column: where the line comes in from
// the left edge.
type entry struct {
	t  int64 // nanoseconds
	v  float64
	ok bool
}

// columns decimates one series to at most one bucket per pixel column. Columns
// are numbered from the epoch (column k holds times [k*dt, (k+1)*dt)), so as the
// view scrolls the buckets already made stay right: each tick shifts out the
// columns that left the view and folds in only the points added since the last
// one. Only the UI goroutine uses it.
type columns struct {
	dt      int64    // nanoseconds per column
	k0      int64    // column number of buckets[0]
	buckets []bucket // columns k0 ... k0+len-1; the view is the first `width` of them
	seen    uint64   // series.total already folded in
	trimmed int64    // columns before this one hold no overwritten points
	limit   int64    // points after this time are not folded in yet
	before  entry
	valid   bool
}

// update makes the buckets those of columns [k0, k0+n) with dt nanoseconds each,
// folding in what the series gained since the last update up to time limit
// (later points wait: a paused view shows nothing after the pause).
func (c *columns) update(s *series, k0 int64, n int, dt, limit int64) {
	if !c.valid || c.dt != dt || len(c.buckets) != n || k0 < c.k0 || limit != c.limit {
		c.rebuild(s, k0, n, dt, limit)
		return
	}
	c.shift(k0)
	s.mu.Lock()
	added := s.total - c.seen
	if added > uint64(len(s.t)) { // points came and went unseen
		s.mu.Unlock()
		c.rebuild(s, k0, n, dt, limit)
		return
	}
	c.fold(s, len(s.t)-int(added))
	c.trim(s)
	s.mu.Unlock()
}

// trim forgets what the ring has overwritten, so the plot shows the points the
// series holds, as the hover and the export see them: the columns before its
// oldest point are emptied, the column of that point is made again from the
// points left in it, and the entry point is looked up again. Callers hold s.mu.
func (c *columns) trim(s *series) {
	if s.total == uint64(len(s.t)) || len(s.t) == 0 {
		return // nothing overwritten
	}
	oldest, _ := s.at(0)
	kOld := oldest / c.dt
	if kOld <= c.k0 && (!c.before.ok || c.before.t >= oldest) {
		return // the view and its entry point are older than any overwritten point
	}
	end := c.k0 + int64(len(c.buckets))
	for k := max(c.k0, c.trimmed); k < min(kOld, end); k++ {
		c.buckets[k-c.k0] = bucket{}
	}
	c.trimmed = max(c.trimmed, kOld)
	if kOld >= c.k0 && kOld < end {
		b := bucket{}
		for i := 0; i < len(s.t); i++ {
			t, v := s.at(i)
			if t/c.dt != kOld {
				break
			}
			b.fold(t, v)
		}
		c.buckets[kOld-c.k0] = b
	}
	c.before = entry{}
	if first := s.search(c.k0 * c.dt); first > 0 {
		t, v := s.at(first - 1)
		c.before = entry{t: t, v: v, ok: true}
	}
}

// rebuild makes the buckets afresh from the points in view.
func (c *columns) rebuild(s *series, k0 int64, n int, dt, limit int64) {
	c.dt, c.k0, c.valid, c.trimmed, c.limit = dt, k0, true, k0, limit
	if cap(c.buckets) >= n {
		c.buckets = c.buckets[:n]
		clear(c.buckets)
	} else {
		c.buckets = make([]bucket, n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	first := s.search(k0 * dt)
	c.before = entry{}
	if first > 0 {
		t, v := s.at(first - 1)
		c.before = entry{t: t, v: v, ok: true}
	}
	c.seen = s.total - uint64(len(s.t)-first)
	c.fold(s, first)
}

// fold adds the points from position i (oldest = 0) on. It stops at a point
// beyond the last bucket or the limit, leaving it and those after it for a
// later update, when the view has moved on to them. Callers hold s.mu.
func (c *columns) fold(s *series, i int) {
	end := c.k0 + int64(len(c.buckets))
	for _, seg := range s.segments(i) {
		ts, vs := seg.t, seg.v
		for j := 0; j < len(ts); {
			t := ts[j]
			k := t / c.dt
			if k >= end || t > c.limit {
				return
			}
			// Times are sorted: the points of column k are a run, folded in one go.
			next := (k + 1) * c.dt
			if c.limit < next {
				next = c.limit + 1
			}
			r := j + 1
			for r < len(ts) && ts[r] < next {
				r++
			}
			if k < c.k0 {
				c.before = entry{t: ts[r-1], v: vs[r-1], ok: true}
			} else {
				c.buckets[k-c.k0].foldRun(ts[r-1], vs[j:r])
			}
			c.seen += uint64(r - j)
			j = r
		}
	}
}

// shift moves the first bucket to column k0, dropping those before it.
func (c *columns) shift(k0 int64) {
	d := k0 - c.k0
	if d == 0 {
		return
	}
	drop := int(min(d, int64(len(c.buckets))))
	for i := drop - 1; i >= 0; i-- {
		if b := c.buckets[i]; b.n > 0 {
			c.before = entry{t: b.lastT, v: b.last, ok: true}
			break
		}
	}
	n := copy(c.buckets, c.buckets[drop:])
	clear(c.buckets[n:])
	c.k0 = k0
}

// valueRange is the least and greatest value in the first width buckets.
func (c *columns) valueRange(width int) (lo, hi float64, ok bool) {
	for _, b := range c.buckets[:min(width, len(c.buckets))] {
		if b.n == 0 {
			continue
		}
		if !ok {
			lo, hi, ok = b.min, b.max, true
			continue
		}
		lo, hi = min(lo, b.min), max(hi, b.max)
	}
	return lo, hi, ok
}
