//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package netio

import "golang.org/x/sys/unix"

// canWaitReadable says a connection can wait for data without reading it.
const canWaitReadable = true

// wouldBlock reports whether reading fd would wait: it peeks at one byte, which
// stays in the socket, into b. An error other than "would wait" is returned:
// the system has now reported it and will not again.
func wouldBlock(fd uintptr, b []byte) (bool, error) {
	for {
		_, _, err := unix.Recvfrom(int(fd), b, unix.MSG_PEEK|unix.MSG_DONTWAIT)
		switch err {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return true, nil
		}
		return false, err
	}
}
