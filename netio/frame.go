package netio

import (
	"github.com/sockdesk/sockdesk/netio/framing"
)

// FrameStatus says how a received frame ended. The zero value, FrameNone, is an
// event of a stream that is not framed (or of UDP, where a datagram is the message).
type FrameStatus uint8

const (
	FrameNone       FrameStatus = iota // not framed: a read (TCP) or a datagram (UDP)
	FrameComplete                      // one whole message
	FrameOverflow                      // a piece of a message longer than the maximum frame size
	FrameIncomplete                    // the stream ended before the message did
	FrameMalformed                     // a length field announced less than its own header
)

var frameNames = [...]string{"", "complete", "overflow", "incomplete", "malformed"}

// String returns "complete", "overflow", "incomplete", "malformed", or "" for FrameNone.
func (s FrameStatus) String() string {
	if int(s) < len(frameNames) {
		return frameNames[s]
	}
	return "unknown"
}

func frameStatus(s framing.Status) FrameStatus {
	switch s {
	case framing.Complete:
		return FrameComplete
	case framing.Overflow:
		return FrameOverflow
	case framing.Incomplete:
		return FrameIncomplete
	}
	return FrameMalformed
}

// framingName is spec as events name it: "" for none.
func framingName(spec framing.Spec) string {
	if spec.Mode() == framing.None {
		return ""
	}
	return spec.String()
}

// Message is what checksums are verified over and auto-reply rules and
// expectations match: Data without the frame's ending (see Ending). Without
// framing it is Data.
func (e Event) Message() []byte {
	if e.Ending <= 0 || e.Ending > len(e.Data) {
		return e.Data
	}
	return e.Data[:len(e.Data)-e.Ending]
}

// MessageText is Text without the frame's ending, when Text ends with it as
// decoded (any ASCII-compatible charset and the usual endings: CRLF, LF, ETX);
// Text otherwise.
func (e Event) MessageText() string {
	if e.Ending <= 0 || e.Ending > len(e.Data) || e.Ending > len(e.Text) {
		return e.Text
	}
	ending := e.Data[len(e.Data)-e.Ending:]
	tail := e.Text[len(e.Text)-e.Ending:]
	for i := range ending {
		if tail[i] != ending[i] {
			return e.Text
		}
	}
	return e.Text[:len(e.Text)-e.Ending]
}

// splitFrame is one frame as a frameSplitter hands it out.
type splitFrame struct {
	data   []byte
	ending int
	status FrameStatus
	off    int // into the read, while data still aliases it (inRead)
	inRead bool
}

// frameSplitter cuts one stream (a TCP connection, a relay direction) into
// frames and gives each its own memory, ready to go into an event.
//
// A frame that lies within one read aliases the read buffer; the frames of a
// read that do are copied out together, in one allocation of exactly their
// bytes (they are contiguous; the copy's spare capacity, if any, is cut off each
// frame), rather than one each — or, when lend is set (the events go to a
// Borrower), left in the read buffer. A frame that began in an
// earlier read comes from the framer's buffer and gets a copy of its own.
type frameSplitter struct {
	fr     *framing.Framer
	frames []splitFrame // reused from read to read
	lend   bool
}

// newFrameSplitter returns a splitter for spec, or nil when spec is none: an
// unframed stream makes one event per read without it. With lend, frames
// within a read stay in the read buffer.
func newFrameSplitter(spec framing.Spec, maxFrame int, lend bool) *frameSplitter {
	if spec.Mode() == framing.None {
		return nil
	}
	return &frameSplitter{fr: framing.NewFramer(spec, maxFrame), lend: lend}
}

// split hands the framer the bytes of one read, read being the start of a read
// buffer (read = buf[:n]), and returns the frames they complete, in order; with
// expire, also the pending bytes (idle framing's pause); with end, also what is
// left, as an incomplete frame. The result is valid until the next call; each
// frame's data is its own and never written again, unless lent: then the
// frames within the read are valid only until the read buffer is reused.
func (s *frameSplitter) split(read []byte, expire, end bool) []splitFrame {
	s.frames = s.frames[:0]
	s.fr.Feed(read)
	if expire {
		s.fr.Expire()
	}
	if end {
		s.fr.End()
	}
	lo, hi := -1, 0
	for f, ok := s.fr.Next(); ok; f, ok = s.fr.Next() {
		sf := splitFrame{ending: len(f.Data) - len(f.Message), status: frameStatus(f.Status)}
		if off, ok := offsetIn(read, f.Data); ok {
			if lo < 0 {
				lo = off
			}
			hi = off + len(f.Data)
			sf.off, sf.inRead, sf.data = off, true, f.Data
		} else {
			sf.data = append([]byte(nil), f.Data...)
		}
		s.frames = append(s.frames, sf)
	}
	if lo >= 0 && !s.lend {
		own := append([]byte(nil), read[lo:hi]...)
		for i := range s.frames {
			if f := &s.frames[i]; f.inRead {
				start, stop := f.off-lo, f.off-lo+len(f.data)
				f.data, f.inRead = own[start:stop:stop], false
			}
		}
	}
	return s.frames
}

// offsetIn reports where sub begins in read, if it is a slice of read's memory.
// read and sub reach the same end of their array when sub was cut from read,
// so their capacities tell the offset; the address comparison confirms it.
func offsetIn(read, sub []byte) (int, bool) {
	if len(sub) == 0 || len(read) == 0 {
		return 0, false
	}
	off := cap(read) - cap(sub)
	if off < 0 || off >= len(read) || &read[off] != &sub[0] {
		return 0, false
	}
	return off, true
}
