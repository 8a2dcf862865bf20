//go:build unix

package netio

import (
	"syscall"
)

// The multicast socket options, by fd. The IPv4 TTL and loop options are set as
// one byte: BSD and macOS want a u_char, and Linux accepts one too.

func joinIPv4(rc syscall.RawConn, group, ifaddr [4]byte) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptIPMreq(fd, syscall.IPPROTO_IP, syscall.IP_ADD_MEMBERSHIP, &syscall.IPMreq{Multiaddr: group, Interface: ifaddr})
	})
}

func leaveIPv4(rc syscall.RawConn, group, ifaddr [4]byte) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptIPMreq(fd, syscall.IPPROTO_IP, syscall.IP_DROP_MEMBERSHIP, &syscall.IPMreq{Multiaddr: group, Interface: ifaddr})
	})
}

func joinIPv6(rc syscall.RawConn, group [16]byte, ifindex int) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptIPv6Mreq(fd, syscall.IPPROTO_IPV6, syscall.IPV6_JOIN_GROUP, &syscall.IPv6Mreq{Multiaddr: group, Interface: uint32(ifindex)})
	})
}

func leaveIPv6(rc syscall.RawConn, group [16]byte, ifindex int) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptIPv6Mreq(fd, syscall.IPPROTO_IPV6, syscall.IPV6_LEAVE_GROUP, &syscall.IPv6Mreq{Multiaddr: group, Interface: uint32(ifindex)})
	})
}

func setMulticastIfIPv4(rc syscall.RawConn, ifaddr [4]byte) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptInet4Addr(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_IF, ifaddr)
	})
}

func setMulticastTTLIPv4(rc syscall.RawConn, ttl int) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptByte(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL, byte(ttl))
	})
}

func setMulticastLoopIPv4(rc syscall.RawConn, on bool) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptByte(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_LOOP, byte(boolInt(on)))
	})
}

func setMulticastIfIPv6(rc syscall.RawConn, ifindex int) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_IF, ifindex)
	})
}

func setMulticastHopsIPv6(rc syscall.RawConn, hops int) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_HOPS, hops)
	})
}

func setMulticastLoopIPv6(rc syscall.RawConn, on bool) error {
	return sockopt(rc, func(fd int) error {
		return syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_LOOP, boolInt(on))
	})
}

// reuseAddr lets several listeners (two sessions, another program) bind the same
// group port, as net.ListenMulticastUDP does: each joined socket gets a copy.
func reuseAddr(_, _ string, c syscall.RawConn) error {
	return sockopt(c, func(fd int) error {
		return syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	})
}
