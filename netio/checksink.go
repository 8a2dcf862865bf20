package netio

import "github.com/sockdesk/sockdesk/netio/checksum"

// CheckSink returns a sink that verifies the checksum at the end of every received
// event's message (Event.Message: Data without a frame's ending) with c (in the
// given byte order), sets the event's Check, and hands the event to next. Other
// events pass unchanged. Over TCP without framing each read is checked as one
// message: a stream has no message boundaries, so a message split across reads
// (or two in one read) shows as BAD; with framing each frame is checked.
func CheckSink(c *checksum.Checksum, order checksum.ByteOrder, next Sink) Sink {
	if c == nil {
		return next
	}
	return &checkSink{c: c, order: order, next: next}
}

type checkSink struct {
	c     *checksum.Checksum
	order checksum.ByteOrder
	next  Sink
}

func (s *checkSink) Emit(e Event) {
	if e.Kind == EventReceived {
		r := s.c.Verify(e.Message(), s.order)
		e.Check = &r
	}
	if s.next != nil {
		s.next.Emit(e)
	}
}
