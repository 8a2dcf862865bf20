package packet

import (
	"encoding/binary"
	"net/netip"
)

// Checksum is the Internet checksum (RFC 1071) of b: the ones' complement of
// the ones' complement sum of its 16-bit big-endian words, an odd last byte
// padded with zero, with initial added to the sum first (for a
// pseudo-header). Summing a header that holds its own correct checksum gives
// 0 here, which is how a receiver verifies it.
func Checksum(b []byte, initial uint32) uint16 {
	sum := initial
	for len(b) >= 2 {
		sum += uint32(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	for sum > 0xFFFF {
		sum = sum>>16 + sum&0xFFFF
	}
	return ^uint16(sum)
}

// pseudoHeaderSum is the sum of the IPv4 or IPv6 pseudo-header a UDP or TCP
// checksum covers: the addresses, the protocol and the segment's length.
func pseudoHeaderSum(src, dst netip.Addr, proto Protocol, length int) uint32 {
	var sum uint32
	add := func(b []byte) {
		for i := 0; i+1 < len(b); i += 2 {
			sum += uint32(binary.BigEndian.Uint16(b[i:]))
		}
	}
	if src.Is4() {
		s, d := src.As4(), dst.As4()
		add(s[:])
		add(d[:])
	} else {
		s, d := src.As16(), dst.As16()
		add(s[:])
		add(d[:])
	}
	return sum + uint32(proto) + uint32(length>>16) + uint32(length&0xFFFF)
}

// transportChecksum is the checksum of a UDP or TCP segment whose checksum
// field is zero.
func transportChecksum(src, dst netip.Addr, proto Protocol, segment []byte) uint16 {
	return Checksum(segment, pseudoHeaderSum(src, dst, proto, len(segment)))
}

// VerifyTransport reports whether a UDP or TCP segment's checksum (in
// place) is right for the addresses: the sum over the pseudo-header and the
// segment comes to zero. A UDP checksum of zero means "none" and passes.
func VerifyTransport(src, dst netip.Addr, proto Protocol, segment []byte) bool {
	if proto == UDP && len(segment) >= UDPHeaderLen && segment[6] == 0 && segment[7] == 0 {
		return true
	}
	return Checksum(segment, pseudoHeaderSum(src.Unmap(), dst.Unmap(), proto, len(segment))) == 0
}
