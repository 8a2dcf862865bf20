package eventlog

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

// RecordOptions says how a Record buffers and how promptly it writes.
type RecordOptions struct {
	// Format appends one event's line, newline included.
	Format func(dst []byte, e netio.Event) []byte
	// Delay is how long a line may wait for more before it is written: 0
	// writes whatever is buffered as soon as the writer is free (a pipe read
	// line by line); a log file waits a little to write in fewer calls. With a
	// Delay, what is buffered is written at each tick (see Tick).
	Delay time.Duration
	// ChunkSize and Chunks bound the buffer: at most Chunks chunks of about
	// ChunkSize bytes are filled or being written at once (defaults 256 KiB
	// and 64: 16 MiB, what a disk that pauses or a writer that is not given
	// the CPU for a while needs at full rate). When they are all full the next
	// Emit waits for the writer. Chunks are made as they are needed, and those
	// beyond keptChunks are let go once written.
	ChunkSize, Chunks int
	// OnTick, if set, runs on the writer's goroutine every Tick (default:
	// Delay): a log file checks it is still where it was opened.
	OnTick func()
	Tick   time.Duration
	// AfterWrite, if set, runs on the writer's goroutine after each write
	// (another output made current with this one).
	AfterWrite func()
}

// Record is a Sink that writes every event, formatted, to an io.Writer from a
// goroutine of its own. Emit formats the line into a buffer of bounded size
// and returns; the writer goroutine writes the buffer out without holding
// Emit's lock. So a slow disk or a slow pipe reader holds up the sockets only
// once the whole buffer is full, and then Emit waits: nothing is dropped while
// the writer works. After a write fails, nothing more is written and later
// events are counted (Lost) without waiting.
type Record struct {
	w         io.Writer
	opts      RecordOptions
	chunkSize int

	mu      sync.Mutex
	room    sync.Cond // Emit waits here for a chunk the writer gave back
	written sync.Cond // Flush waits here for the writer to catch up
	cur     []byte    // the chunk being filled; nil while Emit waits for one
	curN    uint64    // events in cur
	queue   []chunk   // full chunks, oldest first
	free    [][]byte  // chunks written and given back
	spare   int       // chunks that may still be made
	madeAt  time.Time // when the last chunk was made
	emitted uint64    // events formatted, in all
	done    uint64    // events the writer has written
	flushTo uint64    // write everything up to this event now, whatever Delay says
	err     error     // the first write error (or errRecordClosed)
	lost    uint64    // events that did not reach the writer because of err
	onError func(error)
	closing bool

	kick      chan struct{} // wakes the writer; capacity 1
	stopped   chan struct{} // closed when the writer goroutine has returned
	closeOnce sync.Once
}

// chunk is a full buffer and how many events were emitted up to its end.
type chunk struct {
	b    []byte
	upto uint64
}

// keptChunks is how many written chunks a Record keeps for reuse when idle.
const keptChunks = 4

// trimAfter is how long a Record keeps the chunks of a burst after it made the last.
const trimAfter = time.Second

// errRecordClosed stops a Record after Close without being reported as a failure.
var errRecordClosed = errors.New("record closed")

// NewRecord starts a Record writing to w. Close it to write what is left and
// stop its goroutine.
func NewRecord(w io.Writer, opts RecordOptions) *Record {
	r := &Record{w: w, opts: opts, chunkSize: opts.ChunkSize, kick: make(chan struct{}, 1), stopped: make(chan struct{})}
	if r.chunkSize <= 0 {
		r.chunkSize = 256 << 10
	}
	chunks := opts.Chunks
	if chunks < 2 {
		chunks = 64
	}
	r.spare = chunks
	r.room.L, r.written.L = &r.mu, &r.mu
	go r.run()
	return r
}

// OnError arranges for fn to be called once when a write first fails (after
// which nothing more is written), on the writer's goroutine. A failure that
// happened before is reported at once.
func (r *Record) OnError(fn func(error)) {
	r.mu.Lock()
	r.onError = fn
	err := r.err
	r.mu.Unlock()
	if fn != nil && err != nil && !errors.Is(err, errRecordClosed) {
		fn(err)
	}
}

// Emit formats e into the buffer; it waits only when the buffer is full.
func (r *Record) Emit(e netio.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	need := lineEstimate(e)
	if len(r.cur) > 0 && len(r.cur)+need > cap(r.cur) {
		r.handOver()
	}
	for r.cur == nil && r.err == nil {
		switch {
		case len(r.free) > 0:
			r.cur = r.free[len(r.free)-1]
			r.free = r.free[:len(r.free)-1]
		case r.spare > 0:
			r.spare--
			r.madeAt = time.Now()
			r.cur = make([]byte, 0, r.chunkSize)
		default:
			r.room.Wait() // every chunk is full or being written: wait for the writer
		}
	}
	if r.err != nil {
		if !errors.Is(r.err, errRecordClosed) {
			r.lost++
		}
		return
	}
	first := len(r.cur) == 0
	r.cur = r.opts.Format(r.cur, e)
	r.curN++
	r.emitted++
	if first && r.opts.Delay == 0 {
		r.wake()
	}
}

// BorrowsData: an event is formatted into the buffer during Emit; only its line
// is kept.
func (r *Record) BorrowsData() bool { return true }

// lineEstimate is about how long e's line is, so that a line that will not fit
// starts a new chunk instead of growing the one being filled.
func lineEstimate(e netio.Event) int {
	return 192 + len(e.Local) + len(e.Peer) + len(e.Target) + 2*len(e.Data) + len(e.Text) + len(e.Text)/4
}

// handOver queues the chunk being filled for the writer; the caller holds mu.
func (r *Record) handOver() {
	r.queue = append(r.queue, chunk{b: r.cur, upto: r.emitted})
	r.cur, r.curN = nil, 0
	r.wake()
}

func (r *Record) wake() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// run is the writer goroutine: it writes full chunks as they come, and the
// chunk being filled when it is due (at once, after Delay, or when asked).
func (r *Record) run() {
	defer close(r.stopped)
	var tick <-chan time.Time
	every := r.opts.Tick
	if every <= 0 {
		every = r.opts.Delay
	}
	if every > 0 {
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	for {
		r.mu.Lock()
		var c chunk
		switch {
		case len(r.queue) > 0:
			c = r.queue[0]
			r.queue = r.queue[1:]
		case len(r.cur) > 0 && (r.opts.Delay == 0 || r.flushTo > r.done || r.closing):
			r.handOver()
			c = r.queue[0]
			r.queue = r.queue[1:]
		case r.closing:
			r.mu.Unlock()
			return
		}
		if len(r.queue) == 0 {
			r.queue = nil // let the array go; it is reslice-appended
		}
		if c.b == nil && time.Since(r.madeAt) >= trimAfter {
			r.trimFree()
		}
		r.mu.Unlock()
		if c.b != nil {
			r.write(c)
			continue
		}
		select {
		case <-r.kick:
		case <-tick:
			if r.opts.Delay > 0 {
				r.mu.Lock()
				r.flushTo = r.emitted
				r.mu.Unlock()
			}
			if r.opts.OnTick != nil {
				r.opts.OnTick()
			}
		}
	}
}

// write writes one chunk and gives it back for reuse.
func (r *Record) write(c chunk) {
	r.mu.Lock()
	failed := r.err != nil
	r.mu.Unlock()
	var err error
	if !failed {
		_, err = r.w.Write(c.b)
	}
	r.mu.Lock()
	var report func(error)
	if err != nil && r.err == nil {
		r.err = err
		// Everything not yet written is lost: this chunk, the queue, cur.
		r.lost += r.emitted - r.done
		r.queue, r.cur, r.curN = nil, nil, 0
		report = r.onError
	}
	if r.err == nil {
		r.done = c.upto
	}
	// One huge line's chunk does not stay resident; a burst's are reused
	// while it lasts and let go when the writer has caught up (trimFree).
	if cap(c.b) <= 4*r.chunkSize {
		r.free = append(r.free, c.b[:0])
	} else {
		r.spare++
	}
	r.room.Broadcast()
	r.written.Broadcast()
	r.mu.Unlock()
	if report != nil {
		report(err)
	}
	if r.opts.AfterWrite != nil {
		r.opts.AfterWrite()
	}
}

// trimFree lets the chunks given back beyond keptChunks go. The writer calls
// it when it has caught up and no chunk has been made for trimAfter: a fast
// stream, which the writer catches up with between bursts, reuses them, since
// making them again (each zeroed) cost it more than formatting its lines.
// The caller holds mu.
func (r *Record) trimFree() {
	for len(r.free) > keptChunks {
		r.free[len(r.free)-1] = nil
		r.free = r.free[:len(r.free)-1]
		r.spare++
	}
}

// Flush waits until every event emitted before it is written (or writing
// failed) and returns the first write error.
func (r *Record) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	target := r.emitted
	r.flushTo = max(r.flushTo, target)
	r.wake()
	for r.done < target && r.err == nil {
		r.written.Wait()
	}
	return r.failure()
}

// failure is err unless it only says the record is closed; the caller holds mu.
func (r *Record) failure() error {
	if errors.Is(r.err, errRecordClosed) {
		return nil
	}
	return r.err
}

// Err is the first write error, or nil.
func (r *Record) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failure()
}

// Lost counts the events that did not reach the writer because a write
// failed: those still buffered at the failure and every one after it.
func (r *Record) Lost() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lost
}

// Pending is how many events are buffered, not yet written.
func (r *Record) Pending() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return 0
	}
	return r.emitted - r.done
}

// Close writes what is buffered, stops the writer goroutine and returns the
// first write error. Stop what feeds the record first: events emitted after
// Close are ignored. It waits for the writer, however slow; safe to call more
// than once.
func (r *Record) Close() error {
	r.closeOnce.Do(func() {
		r.mu.Lock()
		r.closing = true
		r.mu.Unlock()
		r.wake()
		<-r.stopped
		r.mu.Lock()
		if r.err == nil {
			r.err = errRecordClosed
		}
		r.room.Broadcast()
		r.mu.Unlock()
	})
	return r.Err()
}
