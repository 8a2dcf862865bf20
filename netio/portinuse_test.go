package netio

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"github.com/sockdesk/sockdesk/internal/portowner"
)

// A bind or listen on a port another process holds fails with a cause that
// names that process: its PID, its program and its command line.
func TestPortInUseNamesTheHoldingProcess(t *testing.T) {
	holder, tcpPort, udpPort := loopbacktest.PortHolder(t, nil)
	pid := holder.Process.Pid
	tcpAddr := "127.0.0.1:" + strconv.Itoa(tcpPort)
	udpAddr := "127.0.0.1:" + strconv.Itoa(udpPort)
	for _, c := range []struct {
		name  string
		start func() error
	}{
		{"udp bind", func() error { return NewUDP(UDPConfig{Bind: udpAddr}).Start(t.Context()) }},
		{"tcp listen", func() error { return NewTCPServer(TCPServerConfig{Bind: tcpAddr}).Start(t.Context()) }},
		{"relay listen", func() error {
			return NewTCPRelay(TCPRelayConfig{Listen: ":" + strconv.Itoa(tcpPort), Target: "127.0.0.1:9"}).Start(t.Context())
		}},
	} {
		err := c.start()
		if !IsAddrInUse(err) || !errors.Is(err, syscall.EADDRINUSE) {
			t.Fatalf("%s: %v, want address in use", c.name, err)
		}
		var pe *PortInUseError
		if !errors.As(err, &pe) {
			t.Fatalf("%s: %v (%T) has no PortInUseError", c.name, err, err)
		}
		if errors.Is(pe.LookupErr, portowner.ErrUnsupported) {
			t.Skip(pe.LookupErr)
		}
		var found *portowner.Process
		for i := range pe.Holders {
			if pe.Holders[i].PID == pid {
				found = &pe.Holders[i]
			}
		}
		if found == nil {
			t.Fatalf("%s: the holder (PID %d) is not named: %v (lookup: %v)", c.name, pid, pe.Holders, pe.LookupErr)
		}
		// Linux keeps the first 15 bytes of a program's name.
		if exe := filepath.Base(os.Args[0]); found.Name == "" || !strings.HasPrefix(exe, found.Name) {
			t.Errorf("%s: the holder is named %q, want (a prefix of) %q", c.name, found.Name, exe)
		}
		// The command line is read from /proc on Linux (Windows gives the
		// program's path only).
		want := fmt.Sprintf("(PID %d: %s -test.run=^$)", pid, os.Args[0])
		if runtime.GOOS != "linux" {
			want = fmt.Sprintf("(PID %d", pid)
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %q does not name the holder as %q", c.name, err, want)
		}
	}
}

func TestPortInUseWording(t *testing.T) {
	inUse := syscall.EADDRINUSE
	e := &PortInUseError{Err: inUse, network: "tcp", port: 80, Holders: []portowner.Process{
		{PID: 7, Name: "nginx", Command: "nginx: master process " + strings.Repeat("x", 200)},
		{PID: 8, Name: "nginx", Command: "nginx"},
	}}
	if got, want := e.Error(), "address already in use (held by nginx (PID 7: nginx: master process "+strings.Repeat("x", maxCommandShown-len("nginx: master process "))+"...), nginx (PID 8))"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	hidden := &PortInUseError{Err: inUse, network: "tcp", port: 80,
		LookupErr: fmt.Errorf("portowner: tcp port 80: %w (the socket belongs to user root (uid 0))", portowner.ErrNotVisible)}
	if got, want := hidden.Error(), "address already in use ("+portowner.ErrNotVisible.Error()+" (the socket belongs to user root (uid 0)))"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if !errors.Is(hidden, syscall.EADDRINUSE) {
		t.Error("the cause does not match EADDRINUSE")
	}
	// Another error passes through untouched.
	if err := portInUse("tcp", "127.0.0.1:80", syscall.ECONNREFUSED); err != syscall.ECONNREFUSED {
		t.Errorf("another error became %v", err)
	}
}
