package layers

import (
	"sync"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/packet"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// Message is one frame's worth of a message, ready for packet.Build, with
// what its drawing should say besides the event's own line.
type Message struct {
	packet.Message
	// Notes say which connection of a relay it is on, where a local address
	// came from, that a long message is split: sentences with one of the
	// Note formats, for a front end to translate (String gives the English).
	Notes []packet.Sentence
}

// Anatomy draws a session's messages as the frames that carried them. Feed
// it every event of the session in order (it keeps each TCP connection's
// byte counts, so that sequence and acknowledgement numbers run on as
// Wireshark's relative ones do, starting at 1 after the handshake); the
// events with bytes give Messages. Safe for concurrent use.
type Anatomy struct {
	mu    sync.Mutex
	m     Mapper
	next  map[pcapng.Conn]*[2]uint32 // relative sequence number each side sends next
	steps []Step
}

// NewAnatomy returns an Anatomy that reads MAC addresses from this host's
// tables (LinkFor).
func NewAnatomy() *Anatomy { return &Anatomy{next: map[pcapng.Conn]*[2]uint32{}} }

// Messages returns the messages e's bytes travelled in, in order: one for a
// datagram or what one TCP read or write carried, two for a relayed
// message (received on one connection, passed on over the other), more when
// a message is longer than one IP packet holds. Events without bytes return
// none, but still count (a connection's open and close).
func (a *Anatomy) Messages(e netio.Event) ([]Message, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	steps, err := a.m.Map(a.steps[:0], e)
	a.steps = steps[:0]
	if err != nil {
		return nil, err
	}
	var out []Message
	for _, s := range steps {
		out = a.step(out, s)
	}
	return out, nil
}

func (a *Anatomy) step(out []Message, s Step) []Message {
	c := s.Conn // unmapped by Map: one key however the events name it
	switch s.Kind {
	case StepOpen:
		a.next[c] = &[2]uint32{1, 1}
	case StepClose, StepReset:
		delete(a.next, c)
	case StepDatagram, StepData:
		return a.messages(out, s, c)
	}
	return out
}

// messages draws a datagram, or data over a connection, in as many packets
// as it takes.
func (a *Anatomy) messages(out []Message, s Step, c pcapng.Conn) []Message {
	m := packet.Message{Direction: s.Dir, Local: s.Conn.Local, Peer: s.Conn.Peer, Time: s.Time, Protocol: packet.UDP}
	if s.TTL > 0 {
		m.TTL, m.TTLSource = s.TTL, packet.FromSystem
	}
	m.Link = LinkFor(m.Local.Addr(), m.Peer.Addr())
	var notes []packet.Sentence
	if s.Relay != "" {
		notes = append(notes, packet.Sentence{Format: relayNote(s)})
	}
	if s.LocalFromRoute {
		notes = append(notes, packet.Sentence{Format: NoteFromRoute, Args: []any{s.Conn.Local.Addr().String()}})
	}
	if s.Kind == StepDatagram {
		m.Payload = s.Payload
		return append(out, Message{Message: m, Notes: notes})
	}

	m.Protocol = packet.TCP
	seq := a.next[c]
	if seq == nil { // the connection began before the events did
		seq = &[2]uint32{1, 1}
		a.next[c] = seq
	}
	from := 0
	if s.Dir == packet.Received {
		from = 1
	}
	limit := maxTCPPayload(m)
	payload := s.Payload
	parts := (len(payload) + limit - 1) / limit
	for i := 0; i == 0 || len(payload) > 0; i++ {
		n := min(len(payload), limit)
		part := m
		part.Payload = payload[:n]
		part.TCP = &packet.TCPHeader{Seq: seq[from], Ack: seq[1-from], Flags: packet.ACK, Window: 65535}
		if n == len(payload) {
			part.TCP.Flags |= packet.PSH
		}
		partNotes := notes
		if parts > 1 {
			start := len(s.Payload) - len(payload)
			partNotes = append(append([]packet.Sentence(nil), notes...), packet.Sentence{Format: NoteSplit,
				Args: []any{i + 1, parts, start, start + n - 1, len(s.Payload), limit}})
		}
		out = append(out, Message{Message: part, Notes: partNotes})
		seq[from] += uint32(n)
		payload = payload[n:]
	}
	return out
}

// maxTCPPayload is the most TCP payload one packet between m's ends holds:
// 65535 bytes of IPv4 packet or of IPv6 payload, less the headers.
func maxTCPPayload(m packet.Message) int {
	if m.Local.Addr().Unmap().Is4() {
		return 0xFFFF - packet.IPv4HeaderLen - packet.TCPHeaderLen
	}
	return 0xFFFF - packet.TCPHeaderLen
}

func relayNote(s Step) string {
	switch {
	case s.Relay == "client" && s.Dir == packet.Received:
		return NoteRelayFromClient
	case s.Relay == "client":
		return NoteRelayToClient
	case s.Dir == packet.Received:
		return NoteRelayFromTarget
	}
	return NoteRelayToTarget
}

// The note formats of Message.Notes: the keys a translation catalogue needs
// (see packet.Sentence).
const (
	// No arguments.
	NoteRelayFromClient = "Relay: received from the client, on the client's connection to the relay."
	NoteRelayToClient   = "Relay: passed on to the client, on the client's connection to the relay."
	NoteRelayFromTarget = "Relay: received from the target, on the relay's connection to the target."
	NoteRelayToTarget   = "Relay: passed on to the target, on the relay's connection to the target."
	// The local address drawn.
	NoteFromRoute = "The socket is bound to any address; %s is the local address the routing table picks for this peer."
	// Packet number, packet count, first and last byte, message length, the most one packet holds.
	NoteSplit = "Packet %d of %d: bytes %d-%d of the %d-byte message (one IP packet holds at most %d bytes of TCP payload)."
)

// NoteFormats lists every note format, for a translation catalogue.
var NoteFormats = []string{NoteRelayFromClient, NoteRelayToClient, NoteRelayFromTarget, NoteRelayToTarget, NoteFromRoute, NoteSplit}
