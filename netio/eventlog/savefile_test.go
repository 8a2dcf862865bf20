package eventlog

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/sockdesk/sockdesk/internal/netiotest"
	"github.com/sockdesk/sockdesk/netio"
)

// A server saving one client's bytes skips the others'.
func TestSaveFileFilterClient(t *testing.T) {
	savePath := filepath.Join(t.TempDir(), "one.bin")
	save, _ := CreateSaveFile(savePath, SaveFilter{Client: 2})
	col := &collector{}
	srv := netio.NewTCPServer(netio.TCPServerConfig{Bind: "127.0.0.1:0", Sink: netio.Tee(save, col)})
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a, _ := netiotest.StartClient(t, srv.Addr().String(), nil)
	col.WaitFor(t, "accepted", kind(netio.EventAccepted), 1)
	b, _ := netiotest.StartClient(t, srv.Addr().String(), nil)
	col.WaitFor(t, "accepted", kind(netio.EventAccepted), 2)
	a.Send([]byte("from one"))
	b.Send([]byte("from two"))
	col.WaitFor(t, "received", kind(netio.EventReceived), 2)
	save.Close()
	if got, _ := os.ReadFile(savePath); string(got) != "from two" {
		t.Errorf("saved %q, want only client 2's bytes", got)
	}
}

// A disk that is full: the error is kept, reported once, and returned by Close.
func TestSaveFileDiskFull(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/dev/full is Linux's")
	}
	save, err := CreateSaveFile("/dev/full", SaveFilter{})
	if err != nil {
		t.Skip(err)
	}
	reports := 0
	save.OnError(func(error) { reports++ })
	big := make([]byte, 100<<10) // more than the buffer: written at once
	save.Emit(netio.Event{Kind: netio.EventReceived, Data: big})
	save.Emit(netio.Event{Kind: netio.EventReceived, Data: big})
	if err := save.Close(); !errors.Is(err, syscall.ENOSPC) || reports != 1 {
		t.Errorf("Close = %v after %d reports; want ENOSPC reported once", err, reports)
	}
}
