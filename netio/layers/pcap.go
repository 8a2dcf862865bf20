package layers

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/packet"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// PcapSink is a netio.Sink that writes a session's events to a pcapng file:
// each datagram as one frame; each TCP connection as its handshake (started
// by the side that connected), its data with sequence numbers Wireshark
// reassembles, and its close in the order it happened, or a reset; a relay's
// two connections as two streams. It must see every event (put it in the
// Tee before the screen's queue).
//
// Frames go in the order of the events' times, not the order the events
// reached the sink: an endpoint's reader does not wait for its writers, so
// a reply's received event may be emitted before its request's sent event,
// though its time is later. The sink holds each step back for HoldFor of
// event time to put such pairs right, and writes the rest on Close.
//
// The sink owns the Writer given to NewPcapSink: Close writes what is held
// back and closes it (pcapng.Create's file is then renamed into place),
// Abort drops it. Call either once the endpoints have stopped emitting.
type PcapSink struct {
	mu      sync.Mutex
	w       *pcapng.Writer
	m       Mapper
	steps   []Step // Map's scratch
	held    []Step // not written yet, in time order
	newest  time.Time
	err     error // the first
	onError func(error)
}

// HoldFor is how long, in event time, the sink holds a step back before
// writing it: far longer than the moment between a write's start and its
// sent event, far shorter than a session.
const HoldFor = 250 * time.Millisecond

// holdAtMost bounds the steps held back, for a session of many messages a
// second: past it the oldest is written at once.
const holdAtMost = 1 << 16

// NewPcapSink writes to w, which it owns from now on.
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

// Emit maps e to steps and holds them back; steps older than HoldFor before
// the newest are written.
func (s *PcapSink) Emit(e netio.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	steps, err := s.m.Map(s.steps[:0], e)
	s.steps = steps[:0]
	if err != nil {
		s.fail(err)
		return
	}
	for _, st := range steps {
		s.hold(st)
	}
	cutoff := s.newest.Add(-HoldFor)
	n := 0
	for n < len(s.held) && (!s.held[n].Time.After(cutoff) || len(s.held)-n > holdAtMost) {
		n++
	}
	s.writeHeld(n)
}

// hold inserts st after every held step not later than it: in time order,
// and in the order of arrival among equal times (a handshake before its
// first data, a relayed message's arrival before its passing on).
func (s *PcapSink) hold(st Step) {
	i := len(s.held)
	for i > 0 && s.held[i-1].Time.After(st.Time) {
		i--
	}
	s.held = slices.Insert(s.held, i, st)
	if st.Time.After(s.newest) {
		s.newest = st.Time
	}
}

// writeHeld writes the first n held steps.
func (s *PcapSink) writeHeld(n int) {
	for _, st := range s.held[:n] {
		if err := s.write(st); err != nil {
			s.fail(err)
		}
	}
	clear(s.held[:n]) // let the payloads go
	s.held = s.held[n:]
	if len(s.held) == 0 {
		s.held = nil
	}
}

func (s *PcapSink) fail(err error) {
	if s.err == nil {
		s.err = err
		if s.onError != nil {
			s.onError(err)
		}
	}
}

// Close writes the steps held back and closes the Writer, returning its
// error (a write that failed, or saving the file). Events after Close are
// not written.
func (s *PcapSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writeHeld(len(s.held))
	return s.w.Close()
}

// Abort drops the file: for a session that never started.
func (s *PcapSink) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = nil
	s.w.Abort()
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
