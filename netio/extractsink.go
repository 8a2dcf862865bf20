package netio

import (
	"slices"
	"sync"

	"github.com/sockdesk/sockdesk/netio/extract"
)

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
	// scratch holds *[]extract.Value for Apply to work in, so that an event's
	// Values cost one allocation of their exact size (at full rate the garbage
	// of a slice grown value by value kept the app's collector busy).
	scratch sync.Pool
}

func (s *extractSink) Emit(e Event) {
	if e.Kind == EventReceived {
		e.Values = s.values(&e)
	}
	if s.next != nil {
		s.next.Emit(e)
	}
}

// values are the numbers in e, in a slice of their own: sinks may keep the
// event (the screen's queue), so Values must not be reused by the next one.
func (s *extractSink) values(e *Event) []extract.Value {
	buf, _ := s.scratch.Get().(*[]extract.Value)
	if buf == nil {
		buf = new([]extract.Value)
	}
	found := s.set.Apply((*buf)[:0], e.Data, e.Text)
	var out []extract.Value
	if len(found) > 0 {
		out = slices.Clone(found)
	}
	*buf = found[:0]
	s.scratch.Put(buf)
	return out
}
