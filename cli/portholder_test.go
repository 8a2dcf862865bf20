package cli

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

	"github.com/sockdesk/sockdesk/internal/portowner"
)

// holdPortsEnv makes the test binary, started again by a test, hold ports
// instead of running tests (see TestMain).
const holdPortsEnv = "SOCKDESK_CLI_TEST_HOLD_PORTS"

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

// portHolder starts this test binary as another process holding a TCP and a
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
		t.Fatalf("the helper did not bind: %q %v", line, err)
	}
	if _, err := fmt.Sscan(line, &tcpPort, &udpPort); err != nil {
		t.Fatalf("the helper printed %q: %v", line, err)
	}
	return cmd.Process.Pid, tcpPort, udpPort
}

// wantHeldBy checks that line says the address in prefix is in use by the
// process pid (or, where this system's socket tables cannot be read, that
// it says so).
func wantHeldBy(t *testing.T, line, prefix string, pid int) {
	t.Helper()
	rest, ok := strings.CutPrefix(line, prefix+" is already in use")
	switch {
	case !ok:
		t.Errorf("got  %q\nwant %q...", line, prefix+" is already in use")
	case strings.HasPrefix(rest, "; ") && strings.Contains(rest, portowner.ErrUnsupported.Error()):
		t.Logf("the holder cannot be looked up here: %s", rest)
	case !strings.HasPrefix(rest, " by ") || !strings.Contains(rest, fmt.Sprintf(" (PID %d", pid)):
		t.Errorf("%q does not name the holder, PID %d", line, pid)
	}
}

// A port another process holds: every command that binds names it, with its
// PID, program and command line.
func TestPortInUseNamesTheHolder(t *testing.T) {
	pid, tcpPort, udpPort := portHolder(t)
	tcp, udp := strconv.Itoa(tcpPort), strconv.Itoa(udpPort)
	pcapDir := t.TempDir()
	for _, c := range []struct {
		args   []string
		prefix string
	}{
		{[]string{"udp", "listen", "--port", udp, "--bind", "127.0.0.1"}, "sockdesk: --port: 127.0.0.1:" + udp},
		{[]string{"udp", "send", "--from", "127.0.0.1:" + udp, "--to", "127.0.0.1:9", "x"}, "sockdesk: --from: 127.0.0.1:" + udp},
		{[]string{"tcp", "serve", "--port", tcp}, "sockdesk: --port: port " + tcp},
		{[]string{"tcp", "relay", "--listen", "127.0.0.1:" + tcp, "--to", "127.0.0.1:9", "--pcap", filepath.Join(pcapDir, "relay.pcapng")}, "sockdesk: --listen: 127.0.0.1:" + tcp},
	} {
		code, out, errOut := run(t, nil, c.args...)
		if code != 1 || out != "" {
			t.Errorf("%q: exit %d, stdout %q", c.args, code, out)
		}
		line := oneLine(t, errOut)
		wantHeldBy(t, line, c.prefix, pid)
		// The command line is read from /proc on Linux (Windows gives the
		// program's path only).
		if runtime.GOOS == "linux" && !strings.Contains(line, "-test.run=^$)") {
			t.Errorf("%q: the holder's command line is not shown: %q", c.args, line)
		}
	}
	// The relay that did not start left no --pcap file, whole or partial.
	if left, err := os.ReadDir(pcapDir); err != nil || len(left) != 0 {
		t.Errorf("after a failed start the --pcap directory holds %v (%v)", left, err)
	}
}
