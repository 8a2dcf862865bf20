package app

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/library/known"
)

// libraryFile is the name of the app's message library in its storage folder
// (on Linux ~/.config/fyne/io.github.sockdesk/library.json): a library file
// as docs/library-format.md describes, which the command line reads too.
const libraryFile = "library.json"

// libraryStore is the app's one message library, shared by every session: the
// Messages tool of each shows its buttons and changes it through the store.
// A change is made to a copy, which is saved (atomically, the previous version
// kept as library.json.bak) and only then becomes the library, so the file
// and what every panel shows never differ; then every panel is told. A file
// that exists but cannot be read is never written over: until it is mended
// (and Reload pressed) the library is empty and refuses changes.
//
// The store lives on the UI goroutine: the library changes nowhere else.
type libraryStore struct {
	path     string // "" keeps the library in memory only (tests, screenshots)
	lib      *library.Library
	broken   error // why the file could not be read; nil if it could
	watchers map[int]func()
	nextID   int
}

// newLibraryStore opens the library at path; a missing file is an empty
// library, created at the first change. path "" keeps it in memory.
func newLibraryStore(path string) *libraryStore {
	s := &libraryStore{path: path, watchers: map[int]func(){}}
	s.load()
	return s
}

func (s *libraryStore) load() {
	s.lib, s.broken = library.New(known.Names), nil
	if s.path == "" {
		return
	}
	lib, err := library.Load(s.path, known.Names)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		s.broken = err
	default:
		s.lib = lib
	}
}

// reload reads the file again, after it was mended, and tells every panel.
func (s *libraryStore) reload() {
	s.load()
	s.notify()
}

// messages is the library's messages, in order.
func (s *libraryStore) messages() []library.Message { return s.lib.Messages() }

// groups lists the groups in use, in the order they first appear.
func (s *libraryStore) groups() []string { return s.lib.Groups() }

// find returns the message with that name (regardless of case).
func (s *libraryStore) find(name string) (library.Message, bool) { return s.lib.Find(name) }

// brokenError is a change refused because the library file could not be read.
type brokenError struct {
	path string
	err  error
}

func (e *brokenError) Error() string {
	return trf("The library %s cannot be read, so nothing is saved to it: %s", e.path, errorText(e.err))
}

func (e *brokenError) Unwrap() error { return e.err }

// change applies fn to a copy of the library, saves the copy, makes it the
// library and tells every panel. If fn or the save fails, nothing changes and
// the error says why.
func (s *libraryStore) change(fn func(*library.Library) error) error {
	if s.broken != nil {
		return &brokenError{s.path, s.broken}
	}
	next := s.lib.Clone()
	if err := fn(next); err != nil {
		return err
	}
	if s.path != "" {
		if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
			return err
		}
		if err := next.Save(s.path); err != nil {
			return err
		}
	}
	s.lib = next
	s.notify()
	return nil
}

// watch calls fn after every change; the function returned stops that.
func (s *libraryStore) watch(fn func()) (unwatch func()) {
	id := s.nextID
	s.nextID++
	s.watchers[id] = fn
	return func() { delete(s.watchers, id) }
}

func (s *libraryStore) notify() {
	for _, fn := range s.watchers {
		fn()
	}
}
