package recvinfo

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// Linux reports an IPv4 datagram's destination in IP_PKTINFO.
const ipRecvDstOption = unix.IP_PKTINFO

// ipv4Dst reads struct in_pktinfo: interface index, local address, and
// at offset 8 the header's destination address.
func ipv4Dst(m unix.SocketControlMessage) (netip.Addr, bool) {
	if m.Header.Type != unix.IP_PKTINFO || len(m.Data) < 12 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4([4]byte(m.Data[8:12])), true
}
