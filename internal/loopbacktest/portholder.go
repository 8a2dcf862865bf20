package loopbacktest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// holdPortsEnv marks the copy of a test binary that PortHolder starts.
const holdPortsEnv = "SOCKDESK_TEST_HOLD_PORTS"

// HoldPortsIfAsked, called first in a test binary's TestMain, turns the copy that
// PortHolder starts into the holder: it binds a TCP listener and a UDP socket on
// 127.0.0.1, prints their ports, holds them until its standard input closes, and
// exits. In every other run it returns at once.
func HoldPortsIfAsked() {
	if os.Getenv(holdPortsEnv) == "" {
		return
	}
	os.Exit(holdPorts())
}

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

// PortHolder starts this test binary again as another process holding a TCP and
// a UDP port on 127.0.0.1 (its TestMain must call HoldPortsIfAsked), and returns
// it with the ports. configure, if not nil, adjusts the command before it starts
// (another user, say). The process ends with the test.
func PortHolder(t *testing.T, configure func(*exec.Cmd)) (cmd *exec.Cmd, tcpPort, udpPort int) {
	t.Helper()
	cmd = exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdPortsEnv+"=1")
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
		t.Fatalf("the port holder did not bind: %q %v", line, err)
	}
	if _, err := fmt.Sscan(line, &tcpPort, &udpPort); err != nil {
		t.Fatalf("the port holder printed %q: %v", line, err)
	}
	return cmd, tcpPort, udpPort
}
