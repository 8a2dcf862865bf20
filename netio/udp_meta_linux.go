//go:build linux

package netio

import (
	"encoding/binary"
	"net/netip"
	"syscall"

	"golang.org/x/sys/unix"
)

// enableDropCount sets SO_RXQ_OVFL: the kernel then attaches to each datagram
// read how many it had dropped at the socket, in all, when that one was queued.
func enableDropCount(rc syscall.RawConn) error {
	var opErr error
	if err := rc.Control(func(fd uintptr) {
		opErr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RXQ_OVFL, 1)
	}); err != nil {
		return err
	}
	return opErr
}

// parseMeta reads the out-of-band data of one read in a single pass, in place,
// allocating nothing (the per-datagram cost of the read loop): the TTL or hop
// limit and the destination that internal/recvinfo's Enable asked for, as its
// ParseTTL and ParseDst read them on Linux, and SO_RXQ_OVFL's drop count,
// which the kernel leaves out while it is 0.
func parseMeta(oob []byte) (meta datagramMeta, drops uint32, dropsOK bool) {
	for len(oob) > 0 {
		h, data, rest, err := unix.ParseOneSocketControlMessage(oob)
		if err != nil {
			break
		}
		oob = rest
		switch {
		case h.Level == unix.SOL_SOCKET && h.Type == unix.SO_RXQ_OVFL && len(data) >= 4:
			drops, dropsOK = binary.NativeEndian.Uint32(data), true
		case h.Level == unix.IPPROTO_IP && h.Type == unix.IP_TTL && meta.ttl == 0,
			h.Level == unix.IPPROTO_IPV6 && h.Type == unix.IPV6_HOPLIMIT && meta.ttl == 0:
			if len(data) >= 4 {
				if v := int(int32(binary.NativeEndian.Uint32(data))); v >= 0 && v <= 255 {
					meta.ttl = v
				}
			}
		case h.Level == unix.IPPROTO_IP && h.Type == unix.IP_PKTINFO && len(data) >= 12 && !meta.dst.IsValid():
			// struct in_pktinfo: interface index, local address, then the header's destination.
			meta.dst = netip.AddrFrom4([4]byte(data[8:12]))
		case h.Level == unix.IPPROTO_IPV6 && h.Type == unix.IPV6_PKTINFO && len(data) >= 16 && !meta.dst.IsValid():
			// struct in6_pktinfo: the address, then the interface index.
			meta.dst = netip.AddrFrom16([16]byte(data[:16]))
		}
	}
	return meta, drops, dropsOK
}
