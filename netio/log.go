package netio

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// LogFormat is how a log file writes events.
type LogFormat int

const (
	LogText LogFormat = iota // one readable line per event (FormatLine with the date)
	LogJSON                  // one JSON object per line (Event.MarshalJSON)
)

// ParseLogFormat reads "text" or "json".
func ParseLogFormat(s string) (LogFormat, error) {
	switch s {
	case "text", "":
		return LogText, nil
	case "json":
		return LogJSON, nil
	}
	return 0, fmt.Errorf("unknown log format %q (known: text, json)", s)
}

// logFlushEvery is how stale the file may get while events keep coming: often enough
// for `tail -f`, rare enough that writes are batched.
const logFlushEvery = 200 * time.Millisecond

// LogFile is a Sink that appends every event to a file. It buffers writes, flushes
// them every logFlushEvery and on Close. The first write error is kept (Err) and
// later events are dropped from the file, never blocking the sockets.
type LogFile struct {
	format LogFormat
	f      *os.File

	mu  sync.Mutex
	w   *bufio.Writer
	err error

	stop      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// OpenLog opens (creating or appending to) path for logging.
func OpenLog(path string, format LogFormat) (*LogFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("netio: open log: %w", err)
	}
	l := &LogFile{format: format, f: f, w: bufio.NewWriterSize(f, 256<<10), stop: make(chan struct{})}
	l.wg.Add(1)
	go l.flushLoop()
	return l, nil
}

// Emit writes e to the file.
func (l *LogFile) Emit(e Event) {
	var line []byte
	if l.format == LogJSON {
		line, _ = json.Marshal(e)
	} else {
		line = []byte(FormatLine(e, true))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return
	}
	_, err := l.w.Write(line)
	if err == nil {
		err = l.w.WriteByte('\n')
	}
	l.fail(err)
}

// fail keeps the first error; the caller holds mu.
func (l *LogFile) fail(err error) {
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("netio: write log %s: %w", l.f.Name(), err)
	}
}

func (l *LogFile) flushLoop() {
	defer l.wg.Done()
	t := time.NewTicker(logFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			l.Flush()
		case <-l.stop:
			return
		}
	}
}

// Flush writes what is buffered to the file.
func (l *LogFile) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.fail(l.w.Flush())
	}
	return l.err
}

// Err is the first error writing the file, or nil.
func (l *LogFile) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Close flushes and closes the file; it returns the first error seen. Close the
// endpoints that feed the log first, so nothing arrives after.
func (l *LogFile) Close() error {
	l.closeOnce.Do(func() {
		close(l.stop)
		l.wg.Wait()
		err := l.Flush()
		l.mu.Lock()
		if cerr := l.f.Close(); err == nil && cerr != nil {
			l.fail(cerr)
		}
		if l.err == nil {
			l.err = errLogClosed
		}
		l.mu.Unlock()
	})
	if errors.Is(l.Err(), errLogClosed) {
		return nil
	}
	return l.Err()
}

// errLogClosed stops writes after Close without being reported as a failure.
var errLogClosed = errors.New("log closed")
