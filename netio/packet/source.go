package packet

import (
	"net"
	"net/netip"
)

// SourceAddr asks the system which of this host's addresses a packet to
// peer would leave from: what a socket bound to 0.0.0.0 or :: really sends
// from, for drawing its sent messages. It connects a UDP socket, which
// only consults the routing table: nothing is sent. ok is false when there
// is no route.
func SourceAddr(peer netip.Addr) (src netip.Addr, ok bool) {
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(peer.Unmap(), 9)))
	if err != nil {
		return netip.Addr{}, false
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap(), true
}
