//go:build windows

package netio

import (
	"syscall"
)

// setBroadcast turns SO_BROADCAST on or off on a socket.
func setBroadcast(rc syscall.RawConn, on bool) error {
	v := 0
	if on {
		v = 1
	}
	var opErr error
	err := rc.Control(func(fd uintptr) {
		opErr = syscall.SetsockoptInt(syscall.Handle(fd), syscall.SOL_SOCKET, syscall.SO_BROADCAST, v)
	})
	if err != nil {
		return err
	}
	return opErr
}
