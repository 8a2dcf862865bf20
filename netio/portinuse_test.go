package netio

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/portowner"
)

// holdPortsEnv makes the test binary, started again by a test, hold ports
// instead of running tests.
const holdPortsEnv = "NETIO_TEST_HOLD_PORTS"

// holdPorts binds a TCP listener and a UDP socket on 127.0.0.1, prints their
// ports, and holds them until its standard input closes.
func holdPorts() int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	defer ln.Close()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	defer pc.Close()
	fmt.Println(ln.Addr().(*net.TCPAddr).Port, pc.LocalAddr().(*net.UDPAddr).Port)
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// portHolder starts this test binary as a process holding a TCP and a UDP
// port on 127.0.0.1; it ends with the test.
func portHolder(t *testing.T) (pid int, tcpPort, udpPort int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "holder-argument")
	cmd.Env = append(os.Environ(), holdPortsEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.HasPrefix(line, "error") {
		t.Fatalf("the helper did not bind: %q %v", line, err)
	}
	if _, err := fmt.Sscan(line, &tcpPort, &udpPort); err != nil {
		t.Fatalf("the helper printed %q: %v", line, err)
	}
	return cmd.Process.Pid, tcpPort, udpPort
}

// A bind or listen on a port another process holds fails with a cause that
// names that process: its PID, its program and its command line.
func TestPortInUseNamesTheHoldingProcess(t *testing.T) {
	pid, tcpPort, udpPort := portHolder(t)
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
		want := fmt.Sprintf("(PID %d: %s -test.run=^$ holder-argument)", pid, os.Args[0])
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
