//go:build darwin || freebsd || netbsd || openbsd

package recvinfo

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// macOS and the BSDs report an IPv4 datagram's destination in
// IP_RECVDSTADDR, a bare struct in_addr.
const ipRecvDstOption = unix.IP_RECVDSTADDR

func ipv4Dst(m unix.SocketControlMessage) (netip.Addr, bool) {
	if m.Header.Type != unix.IP_RECVDSTADDR || len(m.Data) < 4 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4([4]byte(m.Data[:4])), true
}
