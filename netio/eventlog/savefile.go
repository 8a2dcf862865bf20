package eventlog

import (
	"bufio"
	"fmt"
	"os"
	"sync"

	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/netio"
)

// SaveFilter chooses whose received bytes a SaveFile keeps; the zero value keeps
// everyone's.
type SaveFilter struct {
	Client uint64 // a TCP server's client id; 0 = every client
	Peer   string // a peer's host:port; "" = every peer
}

// SaveFile is a sink that writes the raw Data of every received event, in the
// order they arrive, to a file, and nothing else: a file sent to a session and
// saved by it compares equal to the original. Put it in a Tee; it writes on the
// socket goroutine through a buffer, so it sees every event, however slow the
// display.
type SaveFile struct {
	path   string
	filter SaveFilter

	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	n       int64
	err     error // the first write error; writing stops there
	onError func(error)
	closed  bool
}

// CreateSaveFile creates (or truncates) the file at path.
func CreateSaveFile(path string, filter SaveFilter) (*SaveFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, &netio.FileError{Path: path, Err: neterr.StripPath(err)}
	}
	return &SaveFile{path: path, filter: filter, f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// Path is the file written.
func (s *SaveFile) Path() string { return s.path }

// OnError sets fn to be called once, on the goroutine that met it, with the
// first write error (disk full, ...); later bytes are not written.
func (s *SaveFile) OnError(fn func(error)) {
	s.mu.Lock()
	s.onError = fn
	s.mu.Unlock()
}

// Emit writes the Data of a received event that passes the filter.
func (s *SaveFile) Emit(e netio.Event) {
	if e.Kind != netio.EventReceived || len(e.Data) == 0 ||
		s.filter.Client != 0 && e.Client != s.filter.Client ||
		s.filter.Peer != "" && e.Peer != s.filter.Peer {
		return
	}
	s.mu.Lock()
	if s.closed || s.err != nil {
		s.mu.Unlock()
		return
	}
	_, err := s.w.Write(e.Data)
	if err == nil {
		s.n += int64(len(e.Data))
	}
	report := s.fail(err)
	s.mu.Unlock()
	report()
}

// BorrowsData: the bytes are written during Emit.
func (s *SaveFile) BorrowsData() bool { return true }

// fail records the first error and returns the call that reports it, to be made
// after the lock is released. Called with mu held.
func (s *SaveFile) fail(err error) func() {
	if err == nil || s.err != nil {
		return func() {}
	}
	s.err = fmt.Errorf("netio: save to %s: %w", s.path, neterr.StripPath(err))
	fn, failure := s.onError, s.err
	if fn == nil {
		return func() {}
	}
	return func() { fn(failure) }
}

// Written is the number of bytes handed to the file so far.
func (s *SaveFile) Written() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Err is the first write error, or nil.
func (s *SaveFile) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close flushes and closes the file and returns the first error of the whole
// save. Events after Close are ignored. Safe to call more than once.
func (s *SaveFile) Close() error {
	s.mu.Lock()
	if s.closed {
		defer s.mu.Unlock()
		return s.err
	}
	s.closed = true
	report := func() {}
	if s.err == nil {
		report = s.fail(s.w.Flush())
	}
	if cerr := s.f.Close(); cerr != nil && s.err == nil {
		report = s.fail(cerr)
	}
	err := s.err
	s.mu.Unlock()
	report()
	return err
}
