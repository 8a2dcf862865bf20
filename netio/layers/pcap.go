package layers

import (
	"fmt"
	"sync"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/packet"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// PcapSink is a netio.Sink that writes a session's events to a pcapng file:
// each datagram as one frame; each TCP connection as its handshake (started
// by the side that connected), its data with sequence numbers Wireshark
// reassembles, and its close in the order it happened, or a reset; a relay's
// two connections as two streams. It sees every event (put it in the Tee
// before the screen's queue) and writes on the emitting goroutine, through
// the Writer's buffer.
//
// The caller owns the Writer: it creates it (pcapng.Create, with LinkFor
// from this package for the MACs) and closes it, or aborts it when the
// session did not start, after the endpoints have stopped emitting.
type PcapSink struct {
	mu      sync.Mutex
	w       *pcapng.Writer
	m       Mapper
	steps   []Step
	err     error // the first
	onError func(error)
}

// NewPcapSink writes to w.
func NewPcapSink(w *pcapng.Writer) *PcapSink { return &PcapSink{w: w} }

// OnError sets a function called once, with the first error (an event that
// could not be mapped, a write that failed), on the goroutine that met it.
// Set it before the first event. Later events are still written while the
// Writer can write (pcapng.Writer keeps its first write error for good).
func (s *PcapSink) OnError(f func(error)) {
	s.mu.Lock()
	s.onError = f
	s.mu.Unlock()
}

// Err returns the first error met, if any.
func (s *PcapSink) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Emit writes what e put on the wire. Mapping and writing happen under one
// lock: events emitted by several goroutines reach the file in the order
// they reach the sink, so a connection's data never precedes its handshake.
func (s *PcapSink) Emit(e netio.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	steps, err := s.m.Map(s.steps[:0], e)
	s.steps = steps[:0]
	if err == nil {
		for _, st := range steps {
			if err = s.write(st); err != nil {
				break
			}
		}
	}
	if err != nil && s.err == nil {
		s.err = err
		if s.onError != nil {
			s.onError(err)
		}
	}
}

func (s *PcapSink) write(st Step) error {
	switch st.Kind {
	case StepDatagram:
		m := packet.Message{Direction: st.Dir, Local: st.Conn.Local, Peer: st.Conn.Peer, Payload: st.Payload, Time: st.Time}
		if st.TTL > 0 {
			m.TTL, m.TTLSource = st.TTL, packet.FromSystem
		}
		return s.w.Datagram(m)
	case StepOpen:
		return s.w.Open(st.Conn, st.Side, st.Time)
	case StepData:
		return s.w.Data(st.Conn, st.Dir, st.Payload, st.Time)
	case StepClose:
		return s.w.CloseConn(st.Conn, st.Side, st.Time)
	case StepReset:
		return s.w.Reset(st.Conn, st.Side, st.Time)
	}
	return fmt.Errorf("layers: %v: not a step a pcapng file has", st.Kind)
}
