package netio

import "github.com/sockdesk/sockdesk/netio/extract"

// ExtractSink returns a sink that applies the extraction rules of set to every
// received event (its raw Data for binary fields, its decoded Text for the
// others), sets the event's Values, and hands the event to next. Other events
// pass unchanged, and so does a received event that holds no number (Values
// stays nil). A nil set extracts nothing: next is returned as it is.
//
// The stage works on whatever a received event carries: a datagram, a read of
// a TCP stream, or a frame when framing is on.
func ExtractSink(set *extract.Set, next Sink) Sink {
	if set == nil {
		return next
	}
	return &extractSink{set: set, next: next}
}

type extractSink struct {
	set  *extract.Set
	next Sink
}

func (s *extractSink) Emit(e Event) {
	if e.Kind == EventReceived {
		// A fresh slice per event: sinks may keep the event (the screen's queue),
		// so Values must not be reused by the next one.
		e.Values = s.set.Apply(nil, e.Data, e.Text)
	}
	if s.next != nil {
		s.next.Emit(e)
	}
}
