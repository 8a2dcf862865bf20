package portowner

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// helperEnv makes the test binary, started again by a test, act as a helper
// instead of running tests.
const helperEnv = "PORTOWNER_TEST_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "bind":
		os.Exit(bindHelper())
	case "lookup":
		os.Exit(lookupHelper())
	}
	goleak.VerifyTestMain(m)
}

// bindHelper holds a TCP listener and a UDP socket on 127.0.0.1, prints
// their ports, and holds them until its standard input closes.
func bindHelper() int {
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

// lookupHelper looks up the port in PORTOWNER_TEST_PORT and prints the
// result: "found PID..." or "error TEXT".
func lookupHelper() int {
	procs, err := Lookup("tcp", netip.MustParseAddrPort(os.Getenv("PORTOWNER_TEST_ADDR")))
	if err != nil {
		fmt.Println("error", err)
		return 0
	}
	fmt.Println("found", procs)
	return 0
}

// boundChild starts the test binary as a bindHelper and returns it with its
// ports; it ends when the test does.
func boundChild(t *testing.T, configure func(*exec.Cmd)) (cmd *exec.Cmd, tcpPort, udpPort uint16) {
	t.Helper()
	cmd = exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"=bind")
	if configure != nil {
		configure(cmd)
	}
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
	return cmd, tcpPort, udpPort
}
