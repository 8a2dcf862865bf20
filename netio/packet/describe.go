package packet

import (
	"encoding/binary"
	"fmt"
	"net"
	"strconv"
)

// describe lists the layers of the frame p wrote, field by field.
func (p *plan) describe(frame []byte) []Layer {
	p.frame = frame
	var d describer
	p.ethernet(d.begin("Ethernet II", 'E', EthernetHeaderLen))
	if p.src.Is4() {
		p.ipv4(d.begin("IPv4", 'I', IPv4HeaderLen))
	} else {
		p.ipv6(d.begin("IPv6", 'I', IPv6HeaderLen))
	}
	if p.m.Protocol == UDP {
		p.udp(d.begin("UDP", 'U', p.l4Len))
	} else {
		p.tcpFields(d.begin("TCP", 'T', p.l4Len))
	}
	if n := len(p.m.Payload); n > 0 {
		l := d.begin("Application data", 'A', n)
		l.field("data", fmt.Sprintf("%d bytes", n), 0, n, FromSocket)
		l.Sentence = Sentence{Format: FormatApplication, Args: []any{n}}
	}
	return d.layers
}

// describer hands out consecutive layers of a frame.
type describer struct {
	layers []Layer
	next   int
}

// begin adds the next layer, size bytes long. The pointer is valid until
// the next call.
func (d *describer) begin(name string, mark byte, size int) *Layer {
	d.layers = append(d.layers, Layer{Name: name, Mark: mark, Start: d.next, End: d.next + size})
	d.next += size
	return &d.layers[len(d.layers)-1]
}

// field records a field at offset off (relative to the layer) of size bytes.
func (l *Layer) field(name, value string, off, size int, src Source) {
	l.Fields = append(l.Fields, Field{Name: name, Value: value, Start: l.Start + off, End: l.Start + off + size, Source: src})
}

func (p *plan) networkName() string {
	if p.src.Is4() {
		return "IPv4"
	}
	return "IPv6"
}

func (p *plan) ethernet(l *Layer) {
	macText := func(mac net.HardwareAddr) string {
		switch {
		case p.loopback:
			return mac.String() + " (loopback)"
		case !p.macKnown:
			return mac.String() + " (unknown)"
		}
		return mac.String()
	}
	etherType := etherTypeIPv4
	if !p.src.Is4() {
		etherType = etherTypeIPv6
	}
	l.field("destination", macText(p.dstMAC), 0, 6, p.macSource)
	l.field("source", macText(p.srcMAC), 6, 6, p.macSource)
	l.field("type", fmt.Sprintf("0x%04x (%s)", etherType, p.networkName()), 12, 2, Computed)
	switch {
	case p.loopback:
		l.Sentence = Sentence{Format: FormatLoopback}
	case p.macKnown:
		l.Sentence = Sentence{Format: FormatEthernet, Args: []any{p.srcMAC.String(), p.dstMAC.String(), p.networkName()}}
	default:
		l.Sentence = Sentence{Format: FormatEthernetUnknown, Args: []any{p.networkName()}}
	}
}

func (p *plan) ipv4(l *Layer) {
	l.field("version", "4", 0, 1, Computed)
	l.field("header length", "20 bytes (IHL 5)", 0, 1, Computed)
	l.field("DSCP/ECN", "0x00", 1, 1, Reconstructed)
	l.field("total length", strconv.Itoa(IPv4HeaderLen+p.segmentLen()), 2, 2, Computed)
	l.field("identification", hex16(p.m.IPID), 4, 2, Reconstructed)
	l.field("flags", "DF (don't fragment)", 6, 1, Reconstructed)
	l.field("fragment offset", "0", 6, 2, Computed)
	l.field("TTL", strconv.Itoa(p.ttl), 8, 1, p.ttlSource)
	l.field("protocol", fmt.Sprintf("%d (%v)", p.m.Protocol, p.m.Protocol), 9, 1, FromSocket)
	l.field("header checksum", p.word(l.Start+10), 10, 2, Computed)
	l.field("source", p.src.String(), 12, 4, FromSocket)
	l.field("destination", p.dst.String(), 16, 4, FromSocket)
	l.Sentence = Sentence{Format: FormatIPv4, Args: []any{p.src.String(), p.dst.String(), p.ttl}}
}

func (p *plan) ipv6(l *Layer) {
	l.field("version", "6", 0, 1, Computed)
	l.field("traffic class", "0x00", 0, 2, Reconstructed)
	l.field("flow label", "0x00000", 1, 3, Reconstructed)
	l.field("payload length", strconv.Itoa(p.segmentLen()), 4, 2, Computed)
	l.field("next header", fmt.Sprintf("%d (%v)", p.m.Protocol, p.m.Protocol), 6, 1, FromSocket)
	l.field("hop limit", strconv.Itoa(p.ttl), 7, 1, p.ttlSource)
	l.field("source", p.src.String(), 8, 16, FromSocket)
	l.field("destination", p.dst.String(), 24, 16, FromSocket)
	l.Sentence = Sentence{Format: FormatIPv6, Args: []any{p.src.String(), p.dst.String(), p.ttl}}
}

func (p *plan) udp(l *Layer) {
	l.field("source port", strconv.Itoa(int(p.srcPort)), 0, 2, FromSocket)
	l.field("destination port", strconv.Itoa(int(p.dstPort)), 2, 2, FromSocket)
	l.field("length", strconv.Itoa(p.segmentLen()), 4, 2, Computed)
	l.field("checksum", p.word(l.Start+6), 6, 2, Computed)
	l.Sentence = Sentence{Format: FormatUDP, Args: []any{int(p.srcPort), int(p.dstPort)}}
}

func (p *plan) tcpFields(l *Layer) {
	t := p.tcp
	l.field("source port", strconv.Itoa(int(p.srcPort)), 0, 2, FromSocket)
	l.field("destination port", strconv.Itoa(int(p.dstPort)), 2, 2, FromSocket)
	l.field("sequence number", strconv.FormatUint(uint64(t.Seq), 10), 4, 4, Reconstructed)
	ack := strconv.FormatUint(uint64(t.Ack), 10)
	if t.Flags&ACK == 0 {
		ack += " (not used: no ACK flag)"
	}
	l.field("acknowledgement number", ack, 8, 4, Reconstructed)
	l.field("header length", fmt.Sprintf("%d bytes (data offset %d)", p.l4Len, p.l4Len/4), 12, 1, Computed)
	l.field("flags", t.Flags.String(), 13, 1, Reconstructed)
	l.field("window", strconv.Itoa(int(t.Window)), 14, 2, Reconstructed)
	l.field("checksum", p.word(l.Start+16), 16, 2, Computed)
	l.field("urgent pointer", "0", 18, 2, Computed)
	if p.l4Len > TCPHeaderLen {
		l.field("option: MSS", strconv.Itoa(int(t.MSS)), 20, 4, Reconstructed)
	}
	l.Sentence = Sentence{Format: FormatTCP, Args: []any{int(p.srcPort), int(p.dstPort), t.Flags.String()}}
}

// word reads a 16-bit field back from the written frame, so checksums are
// shown as written rather than computed twice.
func (p *plan) word(at int) string { return hex16(binary.BigEndian.Uint16(p.frame[at:])) }

func hex16(v uint16) string { return fmt.Sprintf("0x%04x", v) }
