//go:build windows

package netio

import (
	"syscall"
)

// sockopt runs set on the socket's descriptor and returns what either failed with.
func sockopt(rc syscall.RawConn, set func(fd syscall.Handle) error) error {
	var opErr error
	if err := rc.Control(func(fd uintptr) { opErr = set(syscall.Handle(fd)) }); err != nil {
		return err
	}
	return opErr
}

// setBroadcast turns SO_BROADCAST on or off on a socket.
func setBroadcast(rc syscall.RawConn, on bool) error {
	return sockopt(rc, func(fd syscall.Handle) error {
		return syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_BROADCAST, boolInt(on))
	})
}
