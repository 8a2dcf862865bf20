//go:build !linux

package tcpinfo

import "syscall"

// Read would read c's TCP statistics. macOS (TCP_CONNECTION_INFO) and
// Windows (SIO_TCP_INFO) have their own forms, not read here yet.
func Read(c syscall.Conn) (Info, error) { return Info{}, ErrNotAvailable }
