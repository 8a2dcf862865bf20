//go:build linux

package loopbacktest

import (
	"errors"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// FullListener returns the address ("127.0.0.1:port") of a loopback listener whose
// accept queue is full: it never accepts, its backlog is the smallest there is, and
// connections fill it until the kernel drops new handshakes, which then get no
// answer, as from a host that is down. It skips the test if the kernel keeps
// answering. Everything is closed when the test ends.
func FullListener(t testing.TB) string {
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
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
	for range 16 {
		c, err := net.DialTimeout("tcp", addr, 300*time.Millisecond)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return addr // the queue is full: this one got no answer
			}
			t.Fatalf("filling the backlog: %v", err)
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("the kernel kept accepting handshakes; cannot make a connect time out on loopback")
	return ""
}
