//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package recvinfo

import (
	"net/netip"
	"syscall"
)

// Enable would ask for the TTL and destination of received datagrams.
// Windows has IP_RECVTTL and IP_PKTINFO too, delivered through WSARecvMsg;
// they are not wired here until they can be tested on Windows.
func Enable(c syscall.Conn) error { return ErrUnsupported }

// ParseTTL finds nothing where Enable is unsupported.
func ParseTTL(oob []byte) (ttl int, ok bool) { return 0, false }

// ParseDst finds nothing where Enable is unsupported.
func ParseDst(oob []byte) (netip.Addr, bool) { return netip.Addr{}, false }
