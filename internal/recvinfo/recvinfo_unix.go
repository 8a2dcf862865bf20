//go:build linux || darwin || freebsd || netbsd || openbsd

package recvinfo

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"syscall"

	"golang.org/x/sys/unix"
)

// Enable asks the kernel to attach the TTL or hop limit and the destination
// address to every datagram read from c. It fails only if neither the IPv4
// nor the IPv6 options could be set (the socket's family refuses the
// other's).
func Enable(c syscall.Conn) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return fmt.Errorf("recvinfo: %w", err)
	}
	var err4, err6 error
	if err := rc.Control(func(fd uintptr) {
		s := int(fd)
		err4 = unix.SetsockoptInt(s, unix.IPPROTO_IP, unix.IP_RECVTTL, 1)
		if err4 == nil {
			err4 = unix.SetsockoptInt(s, unix.IPPROTO_IP, ipRecvDstOption, 1)
		}
		err6 = unix.SetsockoptInt(s, unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT, 1)
		if err6 == nil {
			err6 = unix.SetsockoptInt(s, unix.IPPROTO_IPV6, unix.IPV6_RECVPKTINFO, 1)
		}
	}); err != nil {
		return fmt.Errorf("recvinfo: %w", err)
	}
	if err4 != nil && err6 != nil {
		return fmt.Errorf("recvinfo: IPv4 options: %v; IPv6 options: %w", err4, err6)
	}
	return nil
}

// ParseTTL finds the TTL or hop limit in the out-of-band data of one read.
// ok is false when there is none (Enable was not called, or the data is
// truncated or malformed).
func ParseTTL(oob []byte) (ttl int, ok bool) {
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

// ParseDst finds the address a datagram was sent to (the IP header's
// destination) in the out-of-band data of one read. An IPv4 datagram on a
// dual-stack socket may come as an IPv4-mapped address.
func ParseDst(oob []byte) (netip.Addr, bool) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return netip.Addr{}, false
	}
	for _, m := range msgs {
		switch {
		case m.Header.Level == unix.IPPROTO_IP:
			if a, ok := ipv4Dst(m); ok {
				return a, true
			}
		case m.Header.Level == unix.IPPROTO_IPV6 && m.Header.Type == unix.IPV6_PKTINFO && len(m.Data) >= 16:
			// struct in6_pktinfo: the address, then the interface index.
			return netip.AddrFrom16([16]byte(m.Data[:16])), true
		}
	}
	return netip.Addr{}, false
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
