package pcapng

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"time"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// Conn names a TCP connection by its two ends, as this host's socket sees
// them. It is the key of the connection's state: after both FINs or a
// reset the state is dropped, so a later connection between the same ends
// starts afresh.
type Conn struct {
	Local, Peer netip.AddrPort
}

// canonical unmaps IPv4-mapped addresses (from dual-stack sockets), so a
// connection has one key however its events name it.
func (c Conn) canonical() Conn {
	unmap := func(a netip.AddrPort) netip.AddrPort { return netip.AddrPortFrom(a.Addr().Unmap(), a.Port()) }
	return Conn{Local: unmap(c.Local), Peer: unmap(c.Peer)}
}

// Side is one end of a connection.
type Side uint8

const (
	// Local is this host's socket.
	Local Side = iota
	// Peer is the other end.
	Peer
)

func (s Side) String() string {
	if s == Peer {
		return "peer"
	}
	return "local"
}

func (s Side) other() Side { return 1 - s }

// window is the receive window every reconstructed segment advertises.
const window = 65535

// stream is one connection's reconstructed state.
type stream struct {
	next [2]uint32 // the next sequence number each side sends
	fin  [2]bool   // each side's FIN is written
	link packet.Link
	mss  int
}

func (w *Writer) newStream(c Conn) *stream {
	s := &stream{mss: w.opts.MSS}
	if s.mss <= 0 {
		s.mss = 1460
		if c.Local.Addr().Unmap().Is6() {
			s.mss = 1440
		}
	}
	// Initial sequence numbers are reconstructed: a hash of the ends, so a
	// file comes out the same for the same events.
	for side := range s.next {
		h := fnv.New32a()
		fmt.Fprintf(h, "%v %v %d", c.Local, c.Peer, side)
		s.next[side] = h.Sum32()
	}
	if w.opts.LinkFor != nil {
		s.link = w.opts.LinkFor(c.Local.Addr(), c.Peer.Addr())
	}
	w.conns[c] = s
	return s
}

// stream returns c's state, starting mid-stream (no handshake) when the
// file began after the connection did.
func (w *Writer) stream(c Conn) *stream {
	if s, ok := w.conns[c]; ok {
		return s
	}
	return w.newStream(c)
}

// segment writes one TCP segment from side from.
func (w *Writer) segment(c Conn, s *stream, from Side, flags packet.TCPFlags, payload []byte, at time.Time) error {
	dir := packet.Sent
	if from == Peer {
		dir = packet.Received
	}
	h := packet.TCPHeader{Seq: s.next[from], Flags: flags, Window: window}
	if flags&packet.ACK != 0 {
		h.Ack = s.next[from.other()]
	}
	if flags&packet.SYN != 0 {
		h.MSS = uint16(s.mss)
	}
	err := w.writeMessage(packet.Message{
		Direction: dir, Protocol: packet.TCP, Local: c.Local, Peer: c.Peer,
		Payload: payload, Time: at, TCP: &h, Link: s.link,
	})
	if err != nil {
		return err
	}
	s.next[from] += uint32(len(payload))
	if flags&(packet.SYN|packet.FIN) != 0 {
		s.next[from]++ // SYN and FIN each take one sequence number
	}
	return nil
}

// Open writes the three-way handshake of a new connection: SYN from the
// initiator (Local for a client's connect, Peer for a server's accept),
// SYN-ACK back, ACK. All three carry the time at: the socket API reports
// only that the connection was established.
func (w *Writer) Open(c Conn, initiator Side, at time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	c = c.canonical()
	s := w.newStream(c)
	if err := w.segment(c, s, initiator, packet.SYN, nil, at); err != nil {
		return err
	}
	if err := w.segment(c, s, initiator.other(), packet.SYN|packet.ACK, nil, at); err != nil {
		return err
	}
	return w.segment(c, s, initiator, packet.ACK, nil, at)
}

// Data writes payload sent (packet.Sent) or received (packet.Received) on
// c at time at, split into segments of at most the MSS. A connection the
// Writer has not seen opened starts mid-stream. Data from a side that has
// sent its FIN is an error and writes nothing.
func (w *Writer) Data(c Conn, dir packet.Direction, payload []byte, at time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	c = c.canonical()
	from := Local
	if dir == packet.Received {
		from = Peer
	}
	s := w.stream(c)
	if s.fin[from] {
		return fmt.Errorf("pcapng: %d bytes from the %v end of %v -> %v after its FIN", len(payload), from, c.Local, c.Peer)
	}
	for len(payload) > 0 {
		n := min(len(payload), s.mss)
		flags := packet.ACK
		if n == len(payload) {
			flags |= packet.PSH
		}
		if err := w.segment(c, s, from, flags, payload[:n], at); err != nil {
			return err
		}
		payload = payload[n:]
	}
	return nil
}

// Fin writes side who's FIN (with ACK) at time at and the other side's ACK
// of it. Call it for each side in the order they closed; after both, the
// connection's state is dropped. A second FIN from the same side is
// ignored.
func (w *Writer) Fin(c Conn, who Side, at time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	c = c.canonical()
	return w.fin(c, who, at)
}

func (w *Writer) fin(c Conn, who Side, at time.Time) error {
	s := w.stream(c)
	if s.fin[who] {
		return nil
	}
	if err := w.segment(c, s, who, packet.FIN|packet.ACK, nil, at); err != nil {
		return err
	}
	s.fin[who] = true
	if err := w.segment(c, s, who.other(), packet.ACK, nil, at); err != nil {
		return err
	}
	if s.fin[who.other()] {
		delete(w.conns, c)
	}
	return nil
}

// CloseConn writes the whole four-way close at time at: first's FIN, its
// ACK, the other side's FIN, its ACK.
func (w *Writer) CloseConn(c Conn, first Side, at time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	c = c.canonical()
	if err := w.fin(c, first, at); err != nil {
		return err
	}
	return w.fin(c, first.other(), at)
}

// Reset writes an RST (with ACK) from side who and drops the connection.
func (w *Writer) Reset(c Conn, who Side, at time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	c = c.canonical()
	s := w.stream(c)
	delete(w.conns, c)
	return w.segment(c, s, who, packet.RST|packet.ACK, nil, at)
}
