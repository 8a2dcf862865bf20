package app

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// holdPortsEnv makes the test binary, started again by portHolder, hold a
// TCP and a UDP port instead of running tests.
const holdPortsEnv = "SOCKDESK_APP_TEST_HOLD_PORTS"

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

// portHolder starts this test binary as a child process holding a TCP and a
// UDP port on 127.0.0.1; it ends with the test.
func portHolder(t *testing.T) (pid, tcpPort, udpPort int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
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
		t.Fatalf("the child did not bind: %q %v", line, err)
	}
	if _, err := fmt.Sscan(line, &tcpPort, &udpPort); err != nil {
		t.Fatalf("the child printed %q: %v", line, err)
	}
	return cmd.Process.Pid, tcpPort, udpPort
}

// Opening a UDP session or starting a TCP server on a port a child process
// holds says at the port field which program holds it and its PID, in the
// UI language.
func TestPortHolderNamedAtThePortField(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the child's name is read from /proc here; other systems are covered by internal/portowner")
	}
	pid, tcpPort, udpPort := portHolder(t)
	// The child is this test binary: /proc/PID/comm holds the first 15
	// bytes of its name.
	name := []rune(filepath.Base(os.Args[0]))
	if len(name) > 15 {
		name = name[:15]
	}
	e, _ := newTestEnv(t)

	u := newUDPPanel(e)
	t.Cleanup(u.Close)
	u.bindAddr.SetText("127.0.0.1")
	u.bindPort.SetText(strconv.Itoa(udpPort))
	test.Tap(u.openBtn)
	want := fmt.Sprintf("Local port: that port is already in use by %s (PID %d)", string(name), pid)
	if u.ep != nil || !strings.Contains(fieldErrors(u.form), want) {
		t.Errorf("UDP on a held port: fields say %q, want %q", fieldErrors(u.form), want)
	}

	useLanguage(t, "zh-Hans")
	s := newTCPServerPanel(e)
	t.Cleanup(s.Close)
	s.bindAddr.SetText("127.0.0.1")
	s.bindPort.SetText(strconv.Itoa(tcpPort))
	test.Tap(s.startBtn)
	want = fmt.Sprintf("端口: 该端口已被 %s（PID %d） 占用", string(name), pid)
	if s.srv != nil || !strings.Contains(fieldErrors(s.form), want) {
		t.Errorf("TCP server on a held port: fields say %q, want %q", fieldErrors(s.form), want)
	}
}
