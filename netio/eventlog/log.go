package eventlog

import (
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

// FileDelay is how stale a file written as a record (a log, standard output
// redirected to a file) may get while events keep coming: often enough for
// `tail -f`, rare enough that writes are batched. It is also how often a log
// checks that its file is still where it was opened.
const FileDelay = 200 * time.Millisecond

// ErrMoved is reported (through OnError) when the log file is removed or renamed
// while it is open. Writing goes on into the file as it was opened: on Unix a
// renamed file keeps receiving events under its new name, a removed one receives
// them where nobody can read them any more.
var ErrMoved = errors.New("the file was removed or renamed while logging; events still go to the file as it was opened")

// File is a Sink that appends every event to a file. Events are formatted on the
// goroutine that emits them into a buffer of a few MiB, and written from a
// goroutine of the log's own, in large writes, at least every FileDelay and on
// Close: a slow disk holds up the sockets only once that buffer is full, and then
// they wait for it, so the file gets every event. The first write error is kept
// (Err), reported once through OnError as it happens, and later events are dropped
// from the file (counted by Lost) without waiting.
type File struct {
	rec  *Record
	f    *os.File
	path string      // absolute, for the moved check
	info os.FileInfo // the file as opened, nil if it could not be read

	mu      sync.Mutex
	onError func(error)
	moved   bool // ErrMoved was reported
	failed  bool // a write error was reported

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating or appending to) path for logging.
func Open(path string, format Format) (*File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("netio: open log: %w", err)
	}
	l := &File{f: f, path: path}
	if abs, err := filepath.Abs(path); err == nil {
		l.path = abs
	}
	l.info, _ = f.Stat()
	l.rec = NewRecord(f, RecordOptions{Format: LineFormat(format, true), Delay: FileDelay, OnTick: l.checkMoved})
	l.rec.OnError(func(err error) { l.report(l.writeError(err)) })
	return l, nil
}

// LineFormat is the Format of a Record that writes format's lines: JSON objects,
// or FormatLine's text (withDate puts the date in front, as log files want).
func LineFormat(format Format, withDate bool) func([]byte, netio.Event) []byte {
	if format == FormatJSON {
		var f JSONFormatter
		return func(b []byte, e netio.Event) []byte { return append(f.AppendJSON(b, e), '\n') }
	}
	// One formatter per Record: the Record formats one line at a time.
	var f LineFormatter
	return func(b []byte, e netio.Event) []byte { return append(f.AppendLine(b, e, withDate), '\n') }
}

// writeError words a failed write of the log.
func (l *File) writeError(err error) error {
	// The *PathError would repeat the operation and the name we already give.
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("netio: write log %s: %w", l.f.Name(), err)
}

// report tells OnError about the write failure, once.
func (l *File) report(err error) {
	l.mu.Lock()
	fn := l.onError
	first := !l.failed
	l.failed = true
	l.mu.Unlock()
	if first && fn != nil {
		fn(err)
	}
}

// OnError arranges for fn to be called when writing the file first fails (after
// which nothing more is written), and when the file is removed or renamed while
// open (ErrMoved; writing goes on). Each is reported once, on the log's own
// goroutine, so fn must not block for long. A failure that happened before
// OnError is reported at once.
func (l *File) OnError(fn func(error)) {
	l.mu.Lock()
	l.onError = fn
	failed := l.failed
	l.failed = false
	l.mu.Unlock()
	if failed {
		if err := l.rec.Err(); err != nil {
			l.report(l.writeError(err))
		}
	}
}

// Emit writes e to the file.
func (l *File) Emit(e netio.Event) { l.rec.Emit(e) }

// BorrowsData: see Record.
func (l *File) BorrowsData() bool { return true }

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
	report := !l.moved && !l.failed
	l.moved = true
	l.mu.Unlock()
	if report && fn != nil {
		fn(fmt.Errorf("netio: log %s: %w", l.f.Name(), ErrMoved))
	}
}

// Flush waits until every event emitted so far is written to the file.
func (l *File) Flush() error {
	if err := l.rec.Flush(); err != nil {
		return l.writeError(err)
	}
	return nil
}

// Err is the first error writing (or closing) the file, or nil.
func (l *File) Err() error {
	if err := l.rec.Err(); err != nil {
		return l.writeError(err)
	}
	return l.closeErr
}

// Lost counts the events that did not reach the file because writing it failed:
// those still buffered at the failure and every one after it.
func (l *File) Lost() uint64 { return l.rec.Lost() }

// Close writes what is buffered, closes the file and returns the first error
// seen. Close the endpoints that feed the log first, so nothing arrives after.
func (l *File) Close() error {
	l.closeOnce.Do(func() {
		l.rec.Close()
		if err := l.f.Close(); err != nil && l.rec.Err() == nil {
			l.closeErr = l.writeError(err)
			l.report(l.closeErr)
		}
	})
	return l.Err()
}
