//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package recvttl

import "syscall"

// Enable would ask for the TTL of received datagrams. Windows has
// IP_RECVTTL too, delivered through WSARecvMsg; it is not wired here until
// it can be tested on Windows.
func Enable(c syscall.Conn) error { return ErrUnsupported }

// Parse finds nothing where Enable is unsupported.
func Parse(oob []byte) (ttl int, ok bool) { return 0, false }
