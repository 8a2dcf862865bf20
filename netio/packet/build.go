package packet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
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
	src, dst := m.Local, m.Peer
	if m.Direction == Received {
		src, dst = dst, src
	}
	srcIP, dstIP := src.Addr().Unmap(), dst.Addr().Unmap()
	switch {
	case !srcIP.IsValid() || !dstIP.IsValid():
		return nil, fmt.Errorf("packet: local %v, peer %v: both addresses are needed", m.Local, m.Peer)
	case srcIP.Is4() != dstIP.Is4():
		return nil, fmt.Errorf("packet: local %v, peer %v: one IPv4 and one IPv6 address", m.Local, m.Peer)
	case m.Protocol != UDP && m.Protocol != TCP:
		return nil, fmt.Errorf("packet: %v: only UDP and TCP are drawn", m.Protocol)
	}

	tcp := DefaultTCP
	if m.TCP != nil {
		tcp = *m.TCP
	}
	transportLen := UDPHeaderLen
	if m.Protocol == TCP {
		transportLen = tcpHeaderLen(tcp)
	}
	segmentLen := transportLen + len(m.Payload)
	if limit := maxSegment(srcIP.Is4()); segmentLen > limit {
		return nil, fmt.Errorf("packet: %d-byte %v payload: %w (at most %d bytes)", len(m.Payload), m.Protocol, ErrTooLarge, limit-transportLen)
	}

	b := &builder{loopback: srcIP.IsLoopback() && dstIP.IsLoopback()}
	b.ethernet(m, srcIP.Is4())
	if srcIP.Is4() {
		b.ipv4(m, srcIP, dstIP, segmentLen)
	} else {
		b.ipv6(m, srcIP, dstIP, segmentLen)
	}
	ipEnd := len(b.buf)
	if m.Protocol == UDP {
		b.udp(src.Port(), dst.Port(), segmentLen)
	} else {
		b.tcp(src.Port(), dst.Port(), tcp)
	}
	ti := len(b.layers) - 1
	if len(m.Payload) > 0 {
		b.application(m.Payload)
	}
	transport := &b.layers[ti]

	// The transport checksum covers a pseudo-header of the IP addresses,
	// protocol and length, then the segment with its checksum field zero.
	sum := transportChecksum(srcIP, dstIP, m.Protocol, b.buf[ipEnd:])
	if m.Protocol == UDP && sum == 0 {
		sum = 0xFFFF // zero means "no checksum" in UDP
	}
	at := transport.Start + 6
	if m.Protocol == TCP {
		at = transport.Start + 16
	}
	binary.BigEndian.PutUint16(b.buf[at:], sum)
	b.setValue(transport, "checksum", hex16(sum))
	return &Frame{Bytes: b.buf, Layers: b.layers, Loopback: b.loopback}, nil
}

// maxSegment is the largest transport segment one IP packet carries.
func maxSegment(v4 bool) int {
	if v4 {
		return 0xFFFF - IPv4HeaderLen
	}
	return 0xFFFF
}

func tcpHeaderLen(h TCPHeader) int {
	if h.Flags&SYN != 0 && h.MSS != 0 {
		return TCPHeaderLen + tcpMSSOptionLen
	}
	return TCPHeaderLen
}

// builder appends headers to a frame and records their fields.
type builder struct {
	buf      []byte
	layers   []Layer
	loopback bool
}

func (b *builder) begin(name string, mark byte, size int) (*Layer, []byte) {
	start := len(b.buf)
	b.buf = append(b.buf, make([]byte, size)...)
	b.layers = append(b.layers, Layer{Name: name, Mark: mark, Start: start, End: start + size})
	return &b.layers[len(b.layers)-1], b.buf[start:]
}

// field records a field at offset off (relative to the layer) of size bytes.
func (l *Layer) field(name, value string, off, size int, src Source) {
	l.Fields = append(l.Fields, Field{Name: name, Value: value, Start: l.Start + off, End: l.Start + off + size, Source: src})
}

func (b *builder) setValue(l *Layer, name, value string) {
	for i := range l.Fields {
		if l.Fields[i].Name == name {
			l.Fields[i].Value = value
		}
	}
}

var zeroMAC = net.HardwareAddr{0, 0, 0, 0, 0, 0}

func (b *builder) ethernet(m Message, v4 bool) {
	l, h := b.begin("Ethernet II", 'E', EthernetHeaderLen)
	srcMAC, dstMAC := m.Link.LocalMAC, m.Link.PeerMAC
	if m.Direction == Received {
		srcMAC, dstMAC = dstMAC, srcMAC
	}
	known := !b.loopback && len(srcMAC) == 6 && len(dstMAC) == 6
	macSource := m.Link.Source
	if !known {
		srcMAC, dstMAC, macSource = zeroMAC, zeroMAC, Reconstructed
	}
	copy(h[0:6], dstMAC)
	copy(h[6:12], srcMAC)
	etherType, network := uint16(etherTypeIPv4), "IPv4"
	if !v4 {
		etherType, network = etherTypeIPv6, "IPv6"
	}
	binary.BigEndian.PutUint16(h[12:], etherType)

	macText := func(mac net.HardwareAddr) string {
		switch {
		case b.loopback:
			return mac.String() + " (loopback)"
		case !known:
			return mac.String() + " (unknown)"
		}
		return mac.String()
	}
	l.field("destination", macText(dstMAC), 0, 6, macSource)
	l.field("source", macText(srcMAC), 6, 6, macSource)
	l.field("type", fmt.Sprintf("0x%04x (%s)", etherType, network), 12, 2, Computed)
	switch {
	case b.loopback:
		l.Sentence = Sentence{Format: FormatLoopback}
	case known:
		l.Sentence = Sentence{Format: FormatEthernet, Args: []any{srcMAC.String(), dstMAC.String(), network}}
	default:
		l.Sentence = Sentence{Format: FormatEthernetUnknown, Args: []any{network}}
	}
}

// ttl returns the TTL to write and where it came from.
func ttl(m Message) (int, Source) {
	if m.TTL > 0 && m.TTL <= 255 {
		return m.TTL, m.TTLSource
	}
	return DefaultTTL, Reconstructed
}

func (b *builder) ipv4(m Message, src, dst netip.Addr, segmentLen int) {
	l, h := b.begin("IPv4", 'I', IPv4HeaderLen)
	hops, hopsSource := ttl(m)
	h[0] = 4<<4 | IPv4HeaderLen/4
	binary.BigEndian.PutUint16(h[2:], uint16(IPv4HeaderLen+segmentLen))
	binary.BigEndian.PutUint16(h[4:], m.IPID)
	binary.BigEndian.PutUint16(h[6:], 0x4000) // DF: Linux sets it on every packet it may (path MTU discovery)
	h[8] = byte(hops)
	h[9] = byte(m.Protocol)
	s4, d4 := src.As4(), dst.As4()
	copy(h[12:16], s4[:])
	copy(h[16:20], d4[:])
	sum := Checksum(h, 0)
	binary.BigEndian.PutUint16(h[10:], sum)

	l.field("version", "4", 0, 1, Computed)
	l.field("header length", "20 bytes (IHL 5)", 0, 1, Computed)
	l.field("DSCP/ECN", "0x00", 1, 1, Reconstructed)
	l.field("total length", strconv.Itoa(IPv4HeaderLen+segmentLen), 2, 2, Computed)
	l.field("identification", hex16(m.IPID), 4, 2, Reconstructed)
	l.field("flags", "DF (don't fragment)", 6, 1, Reconstructed)
	l.field("fragment offset", "0", 6, 2, Computed)
	l.field("TTL", strconv.Itoa(hops), 8, 1, hopsSource)
	l.field("protocol", fmt.Sprintf("%d (%v)", m.Protocol, m.Protocol), 9, 1, FromSocket)
	l.field("header checksum", hex16(sum), 10, 2, Computed)
	l.field("source", src.String(), 12, 4, FromSocket)
	l.field("destination", dst.String(), 16, 4, FromSocket)
	l.Sentence = Sentence{Format: FormatIPv4, Args: []any{src.String(), dst.String(), hops}}
}

func (b *builder) ipv6(m Message, src, dst netip.Addr, segmentLen int) {
	l, h := b.begin("IPv6", 'I', IPv6HeaderLen)
	hops, hopsSource := ttl(m)
	h[0] = 6 << 4
	binary.BigEndian.PutUint16(h[4:], uint16(segmentLen))
	h[6] = byte(m.Protocol)
	h[7] = byte(hops)
	s16, d16 := src.As16(), dst.As16()
	copy(h[8:24], s16[:])
	copy(h[24:40], d16[:])

	l.field("version", "6", 0, 1, Computed)
	l.field("traffic class", "0x00", 0, 2, Reconstructed)
	l.field("flow label", "0x00000", 1, 3, Reconstructed)
	l.field("payload length", strconv.Itoa(segmentLen), 4, 2, Computed)
	l.field("next header", fmt.Sprintf("%d (%v)", m.Protocol, m.Protocol), 6, 1, FromSocket)
	l.field("hop limit", strconv.Itoa(hops), 7, 1, hopsSource)
	l.field("source", src.String(), 8, 16, FromSocket)
	l.field("destination", dst.String(), 24, 16, FromSocket)
	l.Sentence = Sentence{Format: FormatIPv6, Args: []any{src.String(), dst.String(), hops}}
}

func (b *builder) udp(srcPort, dstPort uint16, length int) {
	l, h := b.begin("UDP", 'U', UDPHeaderLen)
	binary.BigEndian.PutUint16(h[0:], srcPort)
	binary.BigEndian.PutUint16(h[2:], dstPort)
	binary.BigEndian.PutUint16(h[4:], uint16(length))
	l.field("source port", strconv.Itoa(int(srcPort)), 0, 2, FromSocket)
	l.field("destination port", strconv.Itoa(int(dstPort)), 2, 2, FromSocket)
	l.field("length", strconv.Itoa(length), 4, 2, Computed)
	l.field("checksum", "", 6, 2, Computed) // filled in once the payload is there
	l.Sentence = Sentence{Format: FormatUDP, Args: []any{int(srcPort), int(dstPort)}}
}

func (b *builder) tcp(srcPort, dstPort uint16, t TCPHeader) {
	size := tcpHeaderLen(t)
	l, h := b.begin("TCP", 'T', size)
	binary.BigEndian.PutUint16(h[0:], srcPort)
	binary.BigEndian.PutUint16(h[2:], dstPort)
	binary.BigEndian.PutUint32(h[4:], t.Seq)
	binary.BigEndian.PutUint32(h[8:], t.Ack)
	h[12] = byte(size/4) << 4
	h[13] = byte(t.Flags)
	binary.BigEndian.PutUint16(h[14:], t.Window)
	l.field("source port", strconv.Itoa(int(srcPort)), 0, 2, FromSocket)
	l.field("destination port", strconv.Itoa(int(dstPort)), 2, 2, FromSocket)
	l.field("sequence number", strconv.FormatUint(uint64(t.Seq), 10), 4, 4, Reconstructed)
	ack := strconv.FormatUint(uint64(t.Ack), 10)
	if t.Flags&ACK == 0 {
		ack += " (not used: no ACK flag)"
	}
	l.field("acknowledgement number", ack, 8, 4, Reconstructed)
	l.field("header length", fmt.Sprintf("%d bytes (data offset %d)", size, size/4), 12, 1, Computed)
	l.field("flags", t.Flags.String(), 13, 1, Reconstructed)
	l.field("window", strconv.Itoa(int(t.Window)), 14, 2, Reconstructed)
	l.field("checksum", "", 16, 2, Computed)
	l.field("urgent pointer", "0", 18, 2, Computed)
	if size > TCPHeaderLen {
		h[20], h[21] = 2, tcpMSSOptionLen // kind 2: maximum segment size
		binary.BigEndian.PutUint16(h[22:], t.MSS)
		l.field("option: MSS", strconv.Itoa(int(t.MSS)), 20, 4, Reconstructed)
	}
	l.Sentence = Sentence{Format: FormatTCP, Args: []any{int(srcPort), int(dstPort), t.Flags.String()}}
}

func (b *builder) application(payload []byte) {
	l, h := b.begin("Application data", 'A', len(payload))
	copy(h, payload)
	l.field("data", fmt.Sprintf("%d bytes", len(payload)), 0, len(payload), FromSocket)
	l.Sentence = Sentence{Format: FormatApplication, Args: []any{len(payload)}}
}

func hex16(v uint16) string { return fmt.Sprintf("0x%04x", v) }
