package eventlog

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/netio"
)

// errorsSeen collects what a File reports through OnError.
type errorsSeen chan error

func (c errorsSeen) next(t *testing.T, what string) error {
	t.Helper()
	select {
	case err := <-c:
		return err
	case <-time.After(eventtest.WaitTimeout):
		t.Fatalf("no %s reported within %v", what, eventtest.WaitTimeout)
		return nil
	}
}

func (c errorsSeen) none(t *testing.T) {
	t.Helper()
	select {
	case err := <-c:
		t.Fatalf("unexpected report %v", err)
	default:
	}
}

// A disk that fills up while a session runs: the failure is reported once, as it
// happens (not only at Close), the socket goes on receiving, the endpoint's counters
// count everything, and the log counts what it could not write.
func TestLogDiskFullReportedLive(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	logf, err := Open("/dev/full", FormatText)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(errorsSeen, 4)
	logf.OnError(func(err error) { seen <- err })
	col := &collector{}
	listener := netio.NewUDP(netio.UDPConfig{Bind: "127.0.0.1:0", Sink: netio.Tee(logf, col)})
	if err := listener.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	sender, err := net.Dial("udp", listener.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()

	sender.Write([]byte("before"))
	col.WaitFor(t, "the first datagram", kind(netio.EventReceived), 1)
	// The buffered line reaches the disk at the next flush, which fails.
	failure := seen.next(t, "write error")
	if !errors.Is(failure, syscall.ENOSPC) || !strings.Contains(failure.Error(), "write log /dev/full: no space left on device") {
		t.Errorf("reported %v", failure)
	}
	const after = 50
	for i := range after {
		sender.Write([]byte("after"))
		if i%10 == 9 {
			col.WaitFor(t, "datagrams after the failure", kind(netio.EventReceived), i+2)
		}
	}
	col.WaitFor(t, "datagrams after the failure", kind(netio.EventReceived), after+1)
	if st := listener.Stats(); st.MsgsIn != after+1 || st.BytesIn != 6+after*5 {
		t.Errorf("endpoint counters %+v after the log failed", st)
	}
	listener.Close()
	err = logf.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Close = %v, want the disk-full error", err)
	}
	seen.none(t) // reported once only
	// Nothing reached the disk: every event the log was given is counted as lost.
	if lost, given := logf.Lost(), len(col.Events()); lost != uint64(given) {
		t.Errorf("log lost %d events, was given %d", lost, given)
	}
}

// OnError set after the failure still hears of it.
func TestLogOnErrorAfterTheFailure(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	logf, err := Open("/dev/full", FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	logf.Emit(netio.Event{Time: time.Now(), Kind: netio.EventReceived, Data: make([]byte, 300<<10)})
	if err := logf.Flush(); err == nil || logf.Err() == nil {
		t.Fatal("writing to a full disk should fail")
	}
	seen := make(errorsSeen, 1)
	logf.OnError(func(err error) { seen <- err })
	if err := seen.next(t, "earlier failure"); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("got %v", err)
	}
}

// Removing the file while logging: on Linux (and Unix generally) the open file keeps
// working, so writes succeed into a file nobody can see any more. The log notices
// that its path no longer names its file and says so, once, without stopping.
func TestLogFileRemovedWhileLogging(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone.log")
	logf, err := Open(path, FormatText)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(errorsSeen, 4)
	logf.OnError(func(err error) { seen <- err })
	logf.Emit(netio.Event{Time: time.Now(), Kind: netio.EventReceived, Proto: "udp", Data: []byte("one"), Text: "one"})
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := seen.next(t, "removal"); !errors.Is(err, ErrMoved) || !strings.Contains(err.Error(), "gone.log") {
		t.Errorf("reported %v", err)
	}
	for range 100 {
		logf.Emit(netio.Event{Time: time.Now(), Kind: netio.EventReceived, Proto: "udp", Data: []byte("two"), Text: "two"})
	}
	if err := logf.Flush(); err != nil {
		t.Errorf("writing the removed file failed: %v", err)
	}
	if err := logf.Close(); err != nil || logf.Err() != nil || logf.Lost() != 0 {
		t.Errorf("Close = %v, Err = %v, Lost = %d", err, logf.Err(), logf.Lost())
	}
	seen.none(t)
}

// Renaming the file (log rotation without a reopen): the events go on into the
// renamed file, nothing is lost, and the move is reported.
func TestLogFileRenamedWhileLogging(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.log")
	logf, err := Open(path, FormatText)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(errorsSeen, 4)
	logf.OnError(func(err error) { seen <- err })
	logf.Emit(netio.Event{Time: time.Now(), Kind: netio.EventReceived, Proto: "tcp", Data: []byte("before"), Text: "before"})
	moved := filepath.Join(dir, "a.log.1")
	if err := os.Rename(path, moved); err != nil {
		t.Fatal(err)
	}
	if err := seen.next(t, "rename"); !errors.Is(err, ErrMoved) {
		t.Errorf("reported %v", err)
	}
	logf.Emit(netio.Event{Time: time.Now(), Kind: netio.EventReceived, Proto: "tcp", Data: []byte("after"), Text: "after"})
	if err := logf.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(moved)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 2 ||
		!strings.HasSuffix(lines[0], ": before") || !strings.HasSuffix(lines[1], ": after") {
		t.Errorf("renamed file holds %q", b)
	}
}
