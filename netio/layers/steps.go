package layers

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/packet"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// StepKind is what happened on the wire.
type StepKind uint8

const (
	// StepDatagram: one UDP datagram, Dir says which way.
	StepDatagram StepKind = iota
	// StepOpen: a TCP connection's three-way handshake; Side started it.
	StepOpen
	// StepData: bytes over a TCP connection, Dir says which way.
	StepData
	// StepClose: the four-way close; Side closed first.
	StepClose
	// StepReset: Side reset the connection.
	StepReset
)

var stepNames = [...]string{"datagram", "open", "data", "close", "reset"}

func (k StepKind) String() string {
	if int(k) < len(stepNames) {
		return stepNames[k]
	}
	return fmt.Sprintf("step %d", k)
}

// Step is one thing an event says happened on the wire.
type Step struct {
	Kind StepKind
	// Conn is the two ends, as this host's socket sees them: of the
	// connection, or of the datagram.
	Conn pcapng.Conn
	// Dir: which way a datagram or data went.
	Dir packet.Direction
	// Side: who started the handshake, closed first, or reset.
	Side    pcapng.Side
	Payload []byte
	Time    time.Time
	// TTL of a received datagram as the system reported it (IP_RECVTTL,
	// IPV6_RECVHOPLIMIT); zero when it did not.
	TTL int
	// Relay names the relay connection the step is on: "client" (the
	// client and the relay) or "target" (the relay and the target); empty
	// for other endpoints.
	Relay string
	// LocalFromRoute: the socket is bound to any address (0.0.0.0, ::), and
	// Conn.Local is the address the routing table picks for the peer.
	LocalFromRoute bool
}

// Mapper turns a session's events, in the order they were emitted, into
// steps. It keeps what a relay's later events need from its earlier ones
// (each pair's two connections). Not safe for concurrent use.
type Mapper struct {
	pairs map[uint64]*relayPair
}

// relayPair is a relay client's two connections: the client's to the relay,
// and the relay's to the target. A zero Conn is not known (yet).
type relayPair struct {
	client, target pcapng.Conn
}

// Map appends to dst the steps e implies, and returns them. Events that put
// nothing on the wire (listening, errors, a UDP socket closing) add none. An
// event whose addresses cannot be read is an error, and adds none.
func (m *Mapper) Map(dst []Step, e netio.Event) ([]Step, error) {
	switch {
	case e.Proto == "udp":
		return m.datagram(dst, e)
	case e.Proto != "tcp" || e.Peer == "":
		return dst, nil
	case e.Target != "":
		return m.relay(dst, e)
	}
	local, peer, err := ends(e.Local, e.Peer)
	if err != nil {
		return dst, err
	}
	c := pcapng.Conn{Local: local, Peer: peer}
	step := Step{Conn: c, Time: e.Time}
	switch e.Kind {
	case netio.EventConnected:
		step.Kind, step.Side = StepOpen, pcapng.Local
	case netio.EventAccepted:
		step.Kind, step.Side = StepOpen, pcapng.Peer
	case netio.EventReceived, netio.EventSent:
		step.Kind, step.Dir, step.Payload = StepData, direction(e.Kind), e.Data
	case netio.EventClosed:
		if e.Reason == netio.ReasonMaxClients {
			// Accepted by the system and closed at once, never served: the
			// event names the listener, which may be bound to any address.
			c.Local, step.LocalFromRoute = concreteLocal(local, peer)
			open := Step{Kind: StepOpen, Conn: c, Side: pcapng.Peer, Time: e.Time, LocalFromRoute: step.LocalFromRoute}
			return append(dst, open, Step{Kind: StepClose, Conn: c, Side: pcapng.Local, Time: e.Time, LocalFromRoute: step.LocalFromRoute}), nil
		}
		step.Kind, step.Side = closeStep(e.Reason)
	default:
		return dst, nil
	}
	return append(dst, step), nil
}

func (m *Mapper) datagram(dst []Step, e netio.Event) ([]Step, error) {
	if e.Kind != netio.EventReceived && e.Kind != netio.EventSent {
		return dst, nil
	}
	local, peer, err := ends(e.Local, e.Peer)
	if err != nil {
		return dst, err
	}
	s := Step{Kind: StepDatagram, Dir: direction(e.Kind), Payload: e.Data, Time: e.Time}
	if e.Kind == netio.EventReceived {
		s.TTL = e.TTL // what IP_RECVTTL / IPV6_RECVHOPLIMIT said; 0 when the system did not
	}
	local, s.LocalFromRoute = concreteLocal(local, peer)
	s.Conn = pcapng.Conn{Local: local, Peer: peer}
	return append(dst, s), nil
}

// closeStep is how a connection that closed for reason r went: the peer's
// FIN or reset first, or ours (closed here, or after an error, when this
// side closes the socket).
func closeStep(r netio.CloseReason) (StepKind, pcapng.Side) {
	switch r {
	case netio.ReasonPeerClosed:
		return StepClose, pcapng.Peer
	case netio.ReasonReset:
		return StepReset, pcapng.Peer
	}
	return StepClose, pcapng.Local
}

func direction(k netio.EventKind) packet.Direction {
	if k == netio.EventReceived {
		return packet.Received
	}
	return packet.Sent
}

// relay maps a relay pair's events. Its events name the client as Peer and
// the target as Target; Local is the relay's end of the connection the
// event is about: the client's connection for accepted, closed and bytes
// from the client, the target's for connected and bytes from the target.
func (m *Mapper) relay(dst []Step, e netio.Event) ([]Step, error) {
	if m.pairs == nil {
		m.pairs = map[uint64]*relayPair{}
	}
	p := m.pairs[e.Client]
	if p == nil {
		p = &relayPair{}
		m.pairs[e.Client] = p
	}
	if e.Kind == netio.EventError {
		return dst, nil
	}
	local, client, err := ends(e.Local, e.Peer)
	if err != nil {
		return dst, err
	}
	if e.Kind == netio.EventConnected || (e.Kind == netio.EventReceived && e.Dir == netio.DirToClient) {
		// Once connected, Target is the address connected to; before, it is
		// the one configured, which may be a name.
		target, err := parseAddrPort(e.Target)
		if err != nil {
			return dst, fmt.Errorf("layers: relay target %q: %v", e.Target, err)
		}
		p.target = pcapng.Conn{Local: local, Peer: target}
	} else {
		p.client = pcapng.Conn{Local: local, Peer: client}
	}
	at := e.Time
	clientStep := func(s Step) Step { s.Conn, s.Relay, s.Time = p.client, "client", at; return s }
	targetStep := func(s Step) Step { s.Conn, s.Relay, s.Time = p.target, "target", at; return s }
	known := func(c pcapng.Conn) bool { return c.Local.IsValid() && c.Peer.IsValid() }

	switch e.Kind {
	case netio.EventAccepted:
		dst = append(dst, clientStep(Step{Kind: StepOpen, Side: pcapng.Peer}))
	case netio.EventConnected:
		dst = append(dst, targetStep(Step{Kind: StepOpen, Side: pcapng.Local}))
	case netio.EventReceived:
		// Read from one connection, then written on to the other.
		in := Step{Kind: StepData, Dir: packet.Received, Payload: e.Data}
		out := Step{Kind: StepData, Dir: packet.Sent, Payload: e.Data}
		if e.Dir == netio.DirToClient {
			dst = append(dst, targetStep(in))
			if known(p.client) {
				dst = append(dst, clientStep(out))
			}
		} else {
			dst = append(dst, clientStep(in))
			if known(p.target) {
				dst = append(dst, targetStep(out))
			}
		}
	case netio.EventClosed:
		delete(m.pairs, e.Client)
		onClient, onTarget := relayClose(e.Reason, e.Dir)
		dst = append(dst, clientStep(onClient))
		if known(p.target) {
			dst = append(dst, targetStep(onTarget))
		}
	}
	return dst, nil
}

// relayClose is how a relay pair's two connections ended, given the reason
// and the stream that ended first (netio.Event.Dir): the side that closed
// or reset first is the sender of that stream; the relay then passes the
// close on over the other connection, closing first there.
func relayClose(r netio.CloseReason, first netio.Direction) (onClient, onTarget Step) {
	onClient = Step{Kind: StepClose, Side: pcapng.Local}
	onTarget = Step{Kind: StepClose, Side: pcapng.Local}
	kind := StepClose
	switch r {
	case netio.ReasonReset:
		kind = StepReset
	case netio.ReasonPeerClosed:
	default:
		return onClient, onTarget // closed here, or after an error
	}
	switch first {
	case netio.DirToTarget: // the client closed (or reset) first
		onClient = Step{Kind: kind, Side: pcapng.Peer}
	case netio.DirToClient: // the target did
		onTarget = Step{Kind: kind, Side: pcapng.Peer}
	}
	return onClient, onTarget
}

// ends parses an event's local and peer addresses.
func ends(local, peer string) (l, p netip.AddrPort, err error) {
	if l, err = parseAddrPort(local); err != nil {
		return l, p, fmt.Errorf("layers: local address %q: %v", local, err)
	}
	if p, err = parseAddrPort(peer); err != nil {
		return l, p, fmt.Errorf("layers: peer address %q: %v", peer, err)
	}
	return l, p, nil
}

// parseAddrPort reads "host:port" with an IPv4-mapped IPv6 address (from a
// dual-stack socket) made IPv4, as it is on the wire: a connection then has
// one key however its events name it.
func parseAddrPort(s string) (netip.AddrPort, error) {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return ap, err
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), nil
}
