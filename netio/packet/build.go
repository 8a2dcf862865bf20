package packet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// Header sizes.
const (
	EthernetHeaderLen = 14
	IPv4HeaderLen     = 20
	IPv6HeaderLen     = 40
	UDPHeaderLen      = 8
	TCPHeaderLen      = 20 // without options
	tcpMSSOptionLen   = 4
)

// EtherTypes.
const (
	etherTypeIPv4 = 0x0800
	etherTypeIPv6 = 0x86DD
)

// ErrTooLarge says a payload does not fit one IP packet (65535 bytes of IPv4
// packet, 65535 bytes of IPv6 payload).
var ErrTooLarge = errors.New("payload does not fit one IP packet")

// Build draws m as the Ethernet frame that carries it, with a description of
// every layer. It fails when the addresses are missing or of two families,
// the protocol is not UDP or TCP, or the payload does not fit one packet.
func Build(m Message) (*Frame, error) {
	p, err := newPlan(m)
	if err != nil {
		return nil, err
	}
	b := p.appendTo(make([]byte, 0, p.frameLen()))
	return &Frame{Bytes: b, Layers: p.describe(b), Loopback: p.loopback}, nil
}

// AppendFrame appends m's frame to dst, as Build draws it, without the
// description: the fast path for writing many frames (a pcapng file). It
// does not allocate when dst has room.
func AppendFrame(dst []byte, m Message) ([]byte, error) {
	p, err := newPlan(m)
	if err != nil {
		return dst, err
	}
	return p.appendTo(dst), nil
}

// plan is everything a frame's bytes and description follow from, sender
// first: src and dst are the frame's, not the socket's.
type plan struct {
	m                  Message
	src, dst           netip.Addr
	srcPort, dstPort   uint16
	srcMAC, dstMAC     net.HardwareAddr
	macKnown, loopback bool
	macSource          Source
	tcp                TCPHeader
	ttl                int
	ttlSource          Source
	ipLen, l4Len       int    // header lengths
	frame              []byte // the written frame, once described
}

var zeroMAC = net.HardwareAddr{0, 0, 0, 0, 0, 0}

func newPlan(m Message) (plan, error) {
	src, dst := m.Local, m.Peer
	srcMAC, dstMAC := m.Link.LocalMAC, m.Link.PeerMAC
	if m.Direction == Received {
		src, dst = dst, src
		srcMAC, dstMAC = dstMAC, srcMAC
	}
	p := plan{m: m, src: src.Addr().Unmap(), dst: dst.Addr().Unmap(), srcPort: src.Port(), dstPort: dst.Port()}
	switch {
	case !p.src.IsValid() || !p.dst.IsValid():
		return plan{}, fmt.Errorf("packet: local %v, peer %v: both addresses are needed", m.Local, m.Peer)
	case p.src.Is4() != p.dst.Is4():
		return plan{}, fmt.Errorf("packet: local %v, peer %v: one IPv4 and one IPv6 address", m.Local, m.Peer)
	case m.Protocol != UDP && m.Protocol != TCP:
		return plan{}, fmt.Errorf("packet: %v: only UDP and TCP are drawn", m.Protocol)
	}
	p.loopback = p.src.IsLoopback() && p.dst.IsLoopback()
	p.macKnown = !p.loopback && len(srcMAC) == 6 && len(dstMAC) == 6
	p.srcMAC, p.dstMAC, p.macSource = zeroMAC, zeroMAC, Reconstructed
	if p.macKnown {
		p.srcMAC, p.dstMAC, p.macSource = srcMAC, dstMAC, m.Link.Source
	}
	p.ttl, p.ttlSource = DefaultTTL, Reconstructed
	if m.TTL > 0 && m.TTL <= 255 {
		p.ttl, p.ttlSource = m.TTL, m.TTLSource
	}

	p.ipLen, p.l4Len = IPv6HeaderLen, UDPHeaderLen
	if p.src.Is4() {
		p.ipLen = IPv4HeaderLen
	}
	if m.Protocol == TCP {
		p.tcp = DefaultTCP
		if m.TCP != nil {
			p.tcp = *m.TCP
		}
		p.l4Len = TCPHeaderLen
		if p.tcp.Flags&SYN != 0 && p.tcp.MSS != 0 {
			p.l4Len += tcpMSSOptionLen
		}
	}
	limit := 0xFFFF // an IPv6 payload, an IPv4 packet
	if p.src.Is4() {
		limit -= IPv4HeaderLen
	}
	if p.segmentLen() > limit {
		return plan{}, fmt.Errorf("packet: %d-byte %v payload: %w (at most %d bytes)", len(m.Payload), m.Protocol, ErrTooLarge, limit-p.l4Len)
	}
	return p, nil
}

func (p *plan) segmentLen() int { return p.l4Len + len(p.m.Payload) }
func (p *plan) frameLen() int   { return EthernetHeaderLen + p.ipLen + p.segmentLen() }

// appendTo writes the frame, checksums included.
func (p *plan) appendTo(dst []byte) []byte {
	start := len(dst)
	dst = append(dst, make([]byte, EthernetHeaderLen+p.ipLen+p.l4Len)...)
	dst = append(dst, p.m.Payload...)
	f := dst[start:]

	copy(f[0:6], p.dstMAC)
	copy(f[6:12], p.srcMAC)
	ip := f[EthernetHeaderLen:]
	if p.src.Is4() {
		binary.BigEndian.PutUint16(f[12:], etherTypeIPv4)
		ip[0] = 4<<4 | IPv4HeaderLen/4
		binary.BigEndian.PutUint16(ip[2:], uint16(IPv4HeaderLen+p.segmentLen()))
		binary.BigEndian.PutUint16(ip[4:], p.m.IPID)
		binary.BigEndian.PutUint16(ip[6:], 0x4000) // DF: Linux sets it wherever it may (path MTU discovery)
		ip[8] = byte(p.ttl)
		ip[9] = byte(p.m.Protocol)
		s, d := p.src.As4(), p.dst.As4()
		copy(ip[12:16], s[:])
		copy(ip[16:20], d[:])
		binary.BigEndian.PutUint16(ip[10:], Checksum(ip[:IPv4HeaderLen], 0))
	} else {
		binary.BigEndian.PutUint16(f[12:], etherTypeIPv6)
		ip[0] = 6 << 4
		binary.BigEndian.PutUint16(ip[4:], uint16(p.segmentLen()))
		ip[6] = byte(p.m.Protocol)
		ip[7] = byte(p.ttl)
		s, d := p.src.As16(), p.dst.As16()
		copy(ip[8:24], s[:])
		copy(ip[24:40], d[:])
	}

	seg := f[EthernetHeaderLen+p.ipLen:]
	binary.BigEndian.PutUint16(seg[0:], p.srcPort)
	binary.BigEndian.PutUint16(seg[2:], p.dstPort)
	sumAt := 6
	if p.m.Protocol == UDP {
		binary.BigEndian.PutUint16(seg[4:], uint16(p.segmentLen()))
	} else {
		t := p.tcp
		binary.BigEndian.PutUint32(seg[4:], t.Seq)
		binary.BigEndian.PutUint32(seg[8:], t.Ack)
		seg[12] = byte(p.l4Len/4) << 4
		seg[13] = byte(t.Flags)
		binary.BigEndian.PutUint16(seg[14:], t.Window)
		if p.l4Len > TCPHeaderLen {
			seg[20], seg[21] = 2, tcpMSSOptionLen // kind 2: maximum segment size
			binary.BigEndian.PutUint16(seg[22:], t.MSS)
		}
		sumAt = 16
	}
	// The checksum covers a pseudo-header of the addresses, protocol and
	// length, then the segment with its checksum field zero.
	sum := transportChecksum(p.src, p.dst, p.m.Protocol, seg)
	if p.m.Protocol == UDP && sum == 0 {
		sum = 0xFFFF // zero means "no checksum" in UDP
	}
	binary.BigEndian.PutUint16(seg[sumAt:], sum)
	return dst
}
