//go:build linux

package app

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// icmpShown says whether the engine reports ICMP port unreachable for UDP here.
const icmpShown = true

// fullListener returns a loopback listener address whose accept queue is full, so
// a new handshake gets no answer (see netio's test of the same name).
func fullListener(t *testing.T) (string, int) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	port := sa.(*syscall.SockaddrInet4).Port
	to := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for range 16 {
		c, err := net.DialTimeout("tcp", to, 300*time.Millisecond)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return "127.0.0.1", port
			}
			t.Fatalf("filling the backlog: %v", err)
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("the kernel kept accepting handshakes")
	return "", 0
}

// No answer within the timeout: the panel says so and is ready to try again.
func TestTCPClientPanelConnectTimeout(t *testing.T) {
	e, q := newTestEnv(t)
	host, port := fullListener(t)
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	p.host.SetText(host)
	p.port.SetText(strconv.Itoa(port))
	p.timeout.SetText("0.2")
	test.Tap(p.connectBtn)
	uiWait(t, q, "the timeout", func() bool { return !p.connecting })
	if !strings.Contains(p.status.Text, "no answer within 200ms") || p.connectBtn.Text != "Connect" {
		t.Errorf("status %q, button %q", p.status.Text, p.connectBtn.Text)
	}
}
