package eventlog

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

// Format is how a log file writes events.
type Format int

const (
	FormatText Format = iota // one readable line per event (FormatLine with the date)
	FormatJSON               // one JSON object per line (JSON)
)

// ParseFormat reads "text" or "json".
func ParseFormat(s string) (Format, error) {
	switch s {
	case "text", "":
		return FormatText, nil
	case "json":
		return FormatJSON, nil
	}
	return 0, fmt.Errorf("unknown log format %q (known: text, json)", s)
}

// logFlushEvery is how stale the file may get while events keep coming: often enough
// for `tail -f`, rare enough that writes are batched. It is also how often the log
// checks that its file is still where it was opened.
const logFlushEvery = 200 * time.Millisecond

// ErrMoved is reported (through OnError) when the log file is removed or renamed
// while it is open. Writing goes on into the file as it was opened: on Unix a
// renamed file keeps receiving events under its new name, a removed one receives
// them where nobody can read them any more.
var ErrMoved = errors.New("the file was removed or renamed while logging; events still go to the file as it was opened")

// File is a Sink that appends every event to a file. It buffers writes, flushes
// them every logFlushEvery and on Close. The first write error is kept (Err),
// reported once through OnError as it happens, and later events are dropped from the
// file (counted by Lost), never blocking the sockets.
type File struct {
	format Format
	f      *os.File
	path   string      // absolute, for the moved check
	info   os.FileInfo // the file as opened, nil if it could not be read

	mu      sync.Mutex
	w       *bufio.Writer
	err     error
	pending uint64 // events in w since the last successful flush
	lost    uint64 // events that did not reach the file
	onError func(error)
	moved   bool // ErrMoved was reported

	stop      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// Open opens (creating or appending to) path for logging.
func Open(path string, format Format) (*File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("netio: open log: %w", err)
	}
	l := &File{format: format, f: f, path: path, w: bufio.NewWriterSize(f, 256<<10), stop: make(chan struct{})}
	if abs, err := filepath.Abs(path); err == nil {
		l.path = abs
	}
	l.info, _ = f.Stat()
	l.wg.Add(1)
	go l.flushLoop()
	return l, nil
}

// OnError arranges for fn to be called when writing the file first fails (after
// which nothing more is written), and when the file is removed or renamed while
// open (ErrMoved; writing goes on). Each is reported once, on whichever
// goroutine noticed it (a socket's or the log's own), so fn must not block. A
// failure that happened before OnError is reported at once.
func (l *File) OnError(fn func(error)) {
	l.mu.Lock()
	l.onError = fn
	err := l.err
	l.mu.Unlock()
	if fn != nil && err != nil && !errors.Is(err, errLogClosed) {
		fn(err)
	}
}

// Emit writes e to the file.
func (l *File) Emit(e netio.Event) {
	// The line is built outside the lock (several connections format at once) in
	// a buffer that is reused, not allocated per event.
	bp := lineBuffers.Get().(*lineBuffer)
	line := bp.b[:0]
	if l.format == FormatJSON {
		j, _ := JSON(e)
		line = append(line, j...)
	} else {
		line = bp.f.AppendLine(line, e, true)
	}
	line = append(line, '\n')
	l.mu.Lock()
	if l.err != nil {
		if !errors.Is(l.err, errLogClosed) {
			l.lost++
		}
		l.mu.Unlock()
		putLineBuffer(bp, line)
		return
	}
	_, err := l.w.Write(line)
	l.pending++
	report := l.fail(err)
	l.mu.Unlock()
	putLineBuffer(bp, line)
	report()
}

// lineBuffer is a line being formatted for a log file, with the formatter
// that remembers its last time stamp.
type lineBuffer struct {
	b []byte
	f LineFormatter
}

// lineBuffers hold the lines being formatted for log files.
var lineBuffers = sync.Pool{New: func() any { return &lineBuffer{b: make([]byte, 0, 512)} }}

// putLineBuffer gives line's buffer back to the pool, unless it grew past what a
// 64 KiB read makes: one huge line must not stay resident for ever.
func putLineBuffer(bp *lineBuffer, line []byte) {
	if cap(line) > 256<<10 {
		return
	}
	bp.b = line[:0]
	lineBuffers.Put(bp)
}

// fail keeps the first error; the caller holds mu and, after unlocking, calls what
// fail returns, which tells OnError about a new failure.
func (l *File) fail(err error) func() {
	if err == nil || l.err != nil {
		return func() {}
	}
	// The *PathError would repeat the operation and the name we already give.
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	l.err = fmt.Errorf("netio: write log %s: %w", l.f.Name(), err)
	// What was buffered since the last good flush is not known to be in the file.
	l.lost += l.pending
	l.pending = 0
	fn, failure := l.onError, l.err
	if fn == nil {
		return func() {}
	}
	return func() { fn(failure) }
}

func (l *File) flushLoop() {
	defer l.wg.Done()
	t := time.NewTicker(logFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			l.Flush()
			l.checkMoved()
		case <-l.stop:
			return
		}
	}
}

// checkMoved reports, once, that the path no longer names the file being written.
func (l *File) checkMoved() {
	if l.info == nil || !l.info.Mode().IsRegular() {
		return // a device or pipe (/dev/stdout, a FIFO) is not moved around
	}
	now, err := os.Stat(l.path)
	if err == nil && os.SameFile(now, l.info) {
		return
	}
	l.mu.Lock()
	fn := l.onError
	report := !l.moved && l.err == nil
	l.moved = true
	l.mu.Unlock()
	if report && fn != nil {
		fn(fmt.Errorf("netio: log %s: %w", l.f.Name(), ErrMoved))
	}
}

// Flush writes what is buffered to the file.
func (l *File) Flush() error {
	l.mu.Lock()
	report := func() {}
	if l.err == nil {
		err := l.w.Flush()
		if err == nil {
			l.pending = 0
		}
		report = l.fail(err)
	}
	err := l.err
	l.mu.Unlock()
	report()
	return err
}

// Err is the first error writing the file, or nil.
func (l *File) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if errors.Is(l.err, errLogClosed) {
		return nil
	}
	return l.err
}

// Lost counts the events that did not reach the file because writing it failed:
// those still buffered at the failure and every one after it.
func (l *File) Lost() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

// Close flushes and closes the file; it returns the first error seen. Close the
// endpoints that feed the log first, so nothing arrives after.
func (l *File) Close() error {
	l.closeOnce.Do(func() {
		close(l.stop)
		l.wg.Wait()
		l.Flush()
		l.mu.Lock()
		cerr := l.f.Close()
		report := l.fail(cerr)
		if l.err == nil {
			l.err = errLogClosed
		}
		l.mu.Unlock()
		report()
	})
	return l.Err()
}

// errLogClosed stops writes after Close without being reported as a failure.
var errLogClosed = errors.New("log closed")
