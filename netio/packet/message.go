package packet

import (
	"net"
	"net/netip"
	"strconv"
	"time"
)

// Direction says which way a message went, seen from this host's socket.
type Direction uint8

const (
	// Sent: from the local address to the peer.
	Sent Direction = iota
	// Received: from the peer to the local address.
	Received
)

func (d Direction) String() string {
	if d == Received {
		return "received"
	}
	return "sent"
}

// Protocol is the transport protocol, numbered as in the IP header.
type Protocol uint8

// The transport protocols a message can travel in.
const (
	TCP Protocol = 6
	UDP Protocol = 17
)

func (p Protocol) String() string {
	switch p {
	case TCP:
		return "TCP"
	case UDP:
		return "UDP"
	}
	return "protocol " + strconv.Itoa(int(p))
}

// Source says where a field's value came from.
type Source uint8

const (
	// Reconstructed: a value the kernel chose and did not report (IP ID,
	// TCP sequence numbers, window, a default TTL); plausible, not real.
	Reconstructed Source = iota
	// FromSystem: read from the system (a received TTL, a MAC from the
	// neighbour table or the interface list).
	FromSystem
	// FromSocket: given by the socket API (addresses, ports, the payload).
	FromSocket
	// Computed: follows from other fields (lengths, checksums, the version
	// and protocol numbers), computed as the sender's kernel would.
	Computed
)

func (s Source) String() string {
	switch s {
	case FromSystem:
		return "system"
	case FromSocket:
		return "socket API"
	case Computed:
		return "computed"
	}
	return "reconstructed"
}

// TCPFlags are the flag bits of a TCP header's 14th byte.
type TCPFlags uint8

// The TCP flags.
const (
	FIN TCPFlags = 1 << iota
	SYN
	RST
	PSH
	ACK
	URG
)

func (f TCPFlags) String() string {
	names := []string{"FIN", "SYN", "RST", "PSH", "ACK", "URG"}
	s := ""
	for i, n := range names {
		if f&(1<<i) != 0 {
			if s != "" {
				s += ","
			}
			s += n
		}
	}
	if s == "" {
		return "none"
	}
	return s
}

// TCPHeader holds the TCP fields the socket API does not give. They are
// always reconstructed: the pcapng stream reconstructor keeps them
// consistent across a connection; a lone message gets DefaultTCP.
type TCPHeader struct {
	Seq, Ack uint32
	Flags    TCPFlags
	Window   uint16
	// MSS, when not zero on a SYN segment, adds a Maximum Segment Size option.
	MSS uint16
}

// DefaultTCP is the header of a data segment with no stream context: the
// first byte of the stream each way (relative sequence numbers start at 1,
// as Wireshark shows them), PSH and ACK set, a 65535-byte window.
var DefaultTCP = TCPHeader{Seq: 1, Ack: 1, Flags: PSH | ACK, Window: 65535}

// Link holds the Ethernet addresses of the two ends, when known.
type Link struct {
	LocalMAC, PeerMAC net.HardwareAddr
	// Source says where the MACs came from (FromSystem when read from the
	// interface list and the neighbour table).
	Source Source
}

// DefaultTTL is the TTL (hop limit) Linux and macOS give outgoing packets;
// Windows uses 128. It stands in when the real value is not known.
const DefaultTTL = 64

// Message holds the facts about one message, as the socket API and the
// system report them.
type Message struct {
	Direction Direction
	Protocol  Protocol
	// Local and Peer are the two ends. IPv4-mapped IPv6 addresses (from a
	// dual-stack socket) are IPv4 on the wire and are drawn so.
	Local, Peer netip.AddrPort
	Payload     []byte
	// Time is when the socket API sent or received the message. Build
	// ignores it; the pcapng writer stamps the frame with it.
	Time time.Time

	// TTL is the IPv4 TTL or IPv6 hop limit, when known, with its Source
	// in TTLSource: a received packet's real TTL (IP_RECVTTL,
	// IPV6_RECVHOPLIMIT) is FromSystem; a sending socket's IP_TTL is
	// FromSocket. Zero means unknown: DefaultTTL, reconstructed.
	TTL       int
	TTLSource Source
	// IPID is the IPv4 identification field; the kernel does not report
	// it, so it is always reconstructed. Zero is fine.
	IPID uint16
	// TCP, for a TCP message; nil means DefaultTCP.
	TCP *TCPHeader
	// Link, when its MACs are set, fills the Ethernet header.
	Link Link
}

// Frame is a message drawn as the bytes that carry it, with a description of
// every layer.
type Frame struct {
	Bytes  []byte
	Layers []Layer
	// Loopback: both ends are on this host; no frame reaches a wire.
	Loopback bool
}

// Layer is one protocol's header (or the application's bytes) in a frame.
type Layer struct {
	Name string // "Ethernet II", "IPv4", "IPv6", "UDP", "TCP", "Application data"
	// Mark is the letter that marks this layer's bytes in the text hex dump.
	Mark byte
	// Start and End are the layer's byte range in Frame.Bytes, End exclusive.
	Start, End int
	Fields     []Field
	Sentence   Sentence
}

// Field is one field of a layer.
type Field struct {
	Name  string
	Value string
	// Start and End are the bytes holding the field in Frame.Bytes, End
	// exclusive. Fields of a few bits (IPv4 version and IHL, the flags)
	// share the bytes they live in.
	Start, End int
	Source     Source
}
