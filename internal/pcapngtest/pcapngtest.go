// Package pcapngtest reads back, for tests, the pcapng files Sockdesk
// writes: the section comment, and each frame's Ethernet, IPv4/IPv6 and
// TCP/UDP headers decoded and their checksums verified, independently of
// the code that wrote them. It reads what netio/pcapng writes (one
// little-endian section, one Ethernet interface), not every pcapng file.
// Only test files import it.
package pcapngtest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// File is a pcapng file read back.
type File struct {
	Comment string
	Packets []Packet
}

// Packet is one frame, decoded.
type Packet struct {
	Time     time.Time
	Frame    []byte
	Src, Dst netip.AddrPort
	Proto    uint8 // 6 TCP, 17 UDP
	TTL      uint8
	// TCP only.
	Seq, Ack uint32
	Flags    uint8 // FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10
	Payload  []byte
	// ChecksumsOK: the IPv4 header checksum and the TCP or UDP checksum
	// verify.
	ChecksumsOK bool
}

// TCP flags.
const (
	FIN = 0x01
	SYN = 0x02
	RST = 0x04
	PSH = 0x08
	ACK = 0x10
)

var le = binary.LittleEndian

// Parse reads a file.
func Parse(b []byte) (*File, error) {
	f := &File{}
	for n := 0; len(b) > 0; n++ {
		if len(b) < 12 {
			return nil, fmt.Errorf("block %d: %d bytes left, too short", n, len(b))
		}
		typ, total := le.Uint32(b), int(le.Uint32(b[4:]))
		if total < 12 || total%4 != 0 || total > len(b) || le.Uint32(b[total-4:]) != uint32(total) {
			return nil, fmt.Errorf("block %d: bad length %d", n, total)
		}
		body := b[8 : total-4]
		switch {
		case n == 0 && typ != 0x0A0D0D0A, n == 1 && typ != 1, n > 1 && typ != 6:
			return nil, fmt.Errorf("block %d: type %#x out of place", n, typ)
		case n == 0:
			if le.Uint32(body) != 0x1A2B3C4D {
				return nil, errors.New("not a little-endian section")
			}
			for _, o := range options(body[16:]) {
				if o.code == 1 {
					f.Comment = string(o.value)
				}
			}
		case n == 1:
			if le.Uint16(body) != 1 {
				return nil, fmt.Errorf("link type %d, want Ethernet", le.Uint16(body))
			}
		default:
			ts := uint64(le.Uint32(body[4:]))<<32 | uint64(le.Uint32(body[8:]))
			caplen := int(le.Uint32(body[12:]))
			if 20+caplen > len(body) {
				return nil, fmt.Errorf("packet %d: captured length %d overruns its block", len(f.Packets), caplen)
			}
			p, err := Decode(body[20 : 20+caplen])
			if err != nil {
				return nil, fmt.Errorf("packet %d: %v", len(f.Packets), err)
			}
			p.Time = time.Unix(0, int64(ts))
			f.Packets = append(f.Packets, p)
		}
		b = b[total:]
	}
	return f, nil
}

type option struct {
	code  uint16
	value []byte
}

func options(b []byte) []option {
	var out []option
	for len(b) >= 4 {
		code, l := le.Uint16(b), int(le.Uint16(b[2:]))
		if code == 0 || 4+l > len(b) {
			break
		}
		out = append(out, option{code, b[4 : 4+l]})
		b = b[min(len(b), 4+(l+3)&^3):]
	}
	return out
}

var be = binary.BigEndian

// Decode reads one Ethernet frame: its IP and TCP or UDP headers, checksums
// verified.
func Decode(frame []byte) (Packet, error) {
	p := Packet{Frame: frame}
	if len(frame) < 14 {
		return p, errors.New("shorter than an Ethernet header")
	}
	ip := frame[14:]
	var src, dst netip.Addr
	var l4 []byte
	var pseudo uint32
	ipOK := true
	switch be.Uint16(frame[12:]) {
	case 0x0800:
		if len(ip) < 20 || ip[0] != 0x45 {
			return p, errors.New("not a 20-byte IPv4 header")
		}
		total := int(be.Uint16(ip[2:]))
		if total < 20 || total > len(ip) {
			return p, fmt.Errorf("IPv4 total length %d in %d bytes", total, len(ip))
		}
		ipOK = sum(ip[:20], 0) == 0xFFFF
		p.TTL, p.Proto = ip[8], ip[9]
		src, dst = netip.AddrFrom4([4]byte(ip[12:16])), netip.AddrFrom4([4]byte(ip[16:20]))
		l4 = ip[20:total]
		pseudo = sum(ip[12:20], 0) + uint32(p.Proto) + uint32(len(l4))
	case 0x86DD:
		if len(ip) < 40 || ip[0]>>4 != 6 {
			return p, errors.New("not an IPv6 header")
		}
		plen := int(be.Uint16(ip[4:]))
		if 40+plen > len(ip) {
			return p, fmt.Errorf("IPv6 payload length %d in %d bytes", plen, len(ip)-40)
		}
		p.Proto, p.TTL = ip[6], ip[7]
		src, dst = netip.AddrFrom16([16]byte(ip[8:24])), netip.AddrFrom16([16]byte(ip[24:40]))
		l4 = ip[40 : 40+plen]
		pseudo = sum(ip[8:40], 0) + uint32(p.Proto) + uint32(len(l4))
	default:
		return p, fmt.Errorf("EtherType %#04x", be.Uint16(frame[12:]))
	}
	switch p.Proto {
	case 17:
		if len(l4) < 8 || int(be.Uint16(l4[4:])) != len(l4) {
			return p, errors.New("bad UDP length")
		}
		p.Payload = l4[8:]
	case 6:
		if len(l4) < 20 || int(l4[12]>>4)*4 > len(l4) {
			return p, errors.New("bad TCP header")
		}
		p.Seq, p.Ack, p.Flags = be.Uint32(l4[4:]), be.Uint32(l4[8:]), l4[13]
		p.Payload = l4[int(l4[12]>>4)*4:]
	default:
		return p, fmt.Errorf("protocol %d", p.Proto)
	}
	p.Src = netip.AddrPortFrom(src, be.Uint16(l4))
	p.Dst = netip.AddrPortFrom(dst, be.Uint16(l4[2:]))
	p.ChecksumsOK = ipOK && sum(l4, pseudo) == 0xFFFF
	return p, nil
}

// sum is the Internet checksum's one's-complement sum of b, added to start,
// folded to 16 bits: 0xFFFF over data that includes a correct checksum.
func sum(b []byte, start uint32) uint32 {
	s := start
	for len(b) >= 2 {
		s += uint32(be.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	for s > 0xFFFF {
		s = s>>16 + s&0xFFFF
	}
	return s
}

// Stream is what one side of a TCP connection sent, rebuilt from the
// segments as a receiver would: it checks that the handshake came first,
// that each segment starts where the last one from that side ended, and
// that each acknowledgement counts what the other side had sent by then.
type Stream struct {
	// Sent is each side's bytes: [0] the side that sent the SYN.
	Sent [2][]byte
	// Ends: [0] the side that sent the SYN, [1] the other.
	Ends [2]netip.AddrPort
	// Flags is each segment's flags in order, as "S", "SA", "A", "PA", "FA",
	// "RA", marked with the side: "0:S", "1:SA", ...
	Flags []string
}

// TCPStreams rebuilds the TCP connections in the file, in the order their
// first segment comes.
func (f *File) TCPStreams() ([]*Stream, error) {
	type state struct {
		s    *Stream
		next [2]uint32
		fin  [2]bool
	}
	var order []*Stream
	conns := map[[2]netip.AddrPort]*state{}
	for i, p := range f.Packets {
		if p.Proto != 6 {
			continue
		}
		st := conns[[2]netip.AddrPort{p.Src, p.Dst}]
		side := 0
		if st == nil {
			if st = conns[[2]netip.AddrPort{p.Dst, p.Src}]; st != nil {
				side = 1
			}
		}
		if st == nil {
			if p.Flags != SYN {
				return nil, fmt.Errorf("packet %d: %v -> %v starts a connection without a SYN", i, p.Src, p.Dst)
			}
			st = &state{s: &Stream{Ends: [2]netip.AddrPort{p.Src, p.Dst}}}
			st.next[0] = p.Seq
			conns[[2]netip.AddrPort{p.Src, p.Dst}] = st
			order = append(order, st.s)
		}
		if side == 1 && p.Flags == SYN|ACK {
			st.next[1] = p.Seq
		}
		if p.Seq != st.next[side] {
			return nil, fmt.Errorf("packet %d: side %d's sequence number %d, want %d", i, side, p.Seq, st.next[side])
		}
		if p.Flags&ACK != 0 && p.Ack != st.next[1-side] {
			return nil, fmt.Errorf("packet %d: side %d acknowledges %d, the other side is at %d", i, side, p.Ack, st.next[1-side])
		}
		if st.fin[side] && len(p.Payload) > 0 {
			return nil, fmt.Errorf("packet %d: data from side %d after its FIN", i, side)
		}
		st.s.Sent[side] = append(st.s.Sent[side], p.Payload...)
		st.next[side] += uint32(len(p.Payload))
		if p.Flags&(SYN|FIN) != 0 {
			st.next[side]++
		}
		if p.Flags&FIN != 0 {
			st.fin[side] = true
		}
		st.s.Flags = append(st.s.Flags, fmt.Sprintf("%d:%s", side, flagLetters(p.Flags)))
	}
	return order, nil
}

func flagLetters(f uint8) string {
	s := ""
	for _, x := range []struct {
		bit    uint8
		letter string
	}{{SYN, "S"}, {FIN, "F"}, {RST, "R"}, {PSH, "P"}, {ACK, "A"}} {
		if f&x.bit != 0 {
			s += x.letter
		}
	}
	return s
}
