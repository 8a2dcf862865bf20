package app

import (
	"sync/atomic"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/eventlog"
)

// liveSink is what a session's endpoint emits to. The checksum to verify and the
// file that received bytes are saved to can change while the endpoint runs (the
// send box's checksum choice, "Save received…"), so both are read per event
// rather than fixed when the endpoint starts. It runs on socket goroutines.
type liveSink struct {
	check atomic.Pointer[checkChoice]
	save  atomic.Pointer[eventlog.SaveFile]
	next  netio.Sink // the display queue
	// tap, if set, sees every event after the checks: a tool that follows the
	// session's traffic (a sequence running over its connection).
	tap atomic.Pointer[netio.Sink]
}

// checkChoice is a checksum and the byte order it is read in.
type checkChoice struct {
	c     *checksum.Checksum
	order checksum.ByteOrder
}

// setChecksum makes received messages be checked with c from now on; nil stops it.
func (s *liveSink) setChecksum(c *checksum.Checksum, order checksum.ByteOrder) {
	if c == nil {
		s.check.Store(nil)
		return
	}
	s.check.Store(&checkChoice{c: c, order: order})
}

// Emit marks a received event with the checksum's verdict, saves its bytes if a
// save file is open (before the display queue, which may drop it), and queues it.
func (s *liveSink) Emit(e netio.Event) {
	if e.Kind == netio.EventReceived {
		if cc := s.check.Load(); cc != nil {
			r := cc.c.Verify(e.Data, cc.order)
			e.Check = &r
		}
		if sf := s.save.Load(); sf != nil {
			sf.Emit(e)
		}
	}
	if t := s.tap.Load(); t != nil {
		(*t).Emit(e)
	}
	s.next.Emit(e)
}
