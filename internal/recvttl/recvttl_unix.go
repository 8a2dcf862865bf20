//go:build linux || darwin || freebsd || netbsd || openbsd

package recvttl

import (
	"encoding/binary"
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// Enable asks the kernel to attach the TTL or hop limit to every datagram
// read from c. It sets IP_RECVTTL and IPV6_RECVHOPLIMIT, each where the
// socket's family takes it, and fails only if neither could be set.
func Enable(c syscall.Conn) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return fmt.Errorf("recvttl: %w", err)
	}
	var err4, err6 error
	if err := rc.Control(func(fd uintptr) {
		err4 = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_RECVTTL, 1)
		err6 = unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT, 1)
	}); err != nil {
		return fmt.Errorf("recvttl: %w", err)
	}
	if err4 != nil && err6 != nil {
		return fmt.Errorf("recvttl: IP_RECVTTL: %v; IPV6_RECVHOPLIMIT: %w", err4, err6)
	}
	return nil
}

// Parse finds the TTL or hop limit in the out-of-band data of one read. ok
// is false when there is none (Enable was not called, or the data is
// truncated or malformed).
func Parse(oob []byte) (ttl int, ok bool) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return 0, false
	}
	for _, m := range msgs {
		switch {
		// Linux sends IP_TTL with an int; macOS and the BSDs send
		// IP_RECVTTL with one byte.
		case m.Header.Level == unix.IPPROTO_IP && (m.Header.Type == unix.IP_TTL || m.Header.Type == unix.IP_RECVTTL):
			return cmsgInt(m.Data)
		case m.Header.Level == unix.IPPROTO_IPV6 && m.Header.Type == unix.IPV6_HOPLIMIT:
			return cmsgInt(m.Data)
		}
	}
	return 0, false
}

// cmsgInt reads a control message's value: a native int, or one byte.
func cmsgInt(b []byte) (int, bool) {
	switch {
	case len(b) >= 4:
		v := int(int32(binary.NativeEndian.Uint32(b)))
		return v, v >= 0 && v <= 255
	case len(b) == 1:
		return int(b[0]), true
	}
	return 0, false
}
