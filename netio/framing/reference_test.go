package framing

import (
	"bytes"
	"fmt"
	"slices"
)

// frameOut is a frame copied out of a Framer, or one the reference computed.
type frameOut struct {
	Data, Message string
	Status        Status
}

func (g frameOut) String() string { return fmt.Sprintf("%q/%q %s", g.Data, g.Message, g.Status) }

// reference frames a whole stream straight from the definitions, with none of the
// Framer's streaming: a message ends where its mode says, measured on the whole
// stream; a message longer than maxFrame goes out in pieces of maxFrame, all
// Overflow; a message the stream does not finish goes out as Overflow pieces
// while maxFrame bytes are left (idle: more than maxFrame), then the rest as
// Incomplete. readEnds are the stream offsets where reads ended (none ends a
// message there), expires where Expire was called (idle ends a message there).
func reference(s Spec, maxFrame int, stream []byte, readEnds, expires []int) []frameOut {
	var out []frameOut
	for pos := 0; pos < len(stream); {
		end, status := referenceEnd(s, stream, pos, readEnds, expires)
		if end > len(stream) {
			end = -1
		}
		oversize := false
		for p := pos; ; {
			if end >= 0 && end-p <= maxFrame {
				if end > p {
					if oversize && status == Complete {
						status = Overflow
					}
					data := stream[p:end]
					out = append(out, frameOut{string(data), string(data[:len(data)-referenceEnding(s, data)]), status})
				}
				pos = end
				break
			}
			// A full piece is an overflow once the message is known to go on. An
			// idle message could end with a pause right there: only a byte after
			// it says it goes on.
			if len(stream)-p > maxFrame || len(stream)-p == maxFrame && s.Mode() != Idle {
				out = append(out, frameOut{string(stream[p : p+maxFrame]), string(stream[p : p+maxFrame]), Overflow})
				p += maxFrame
				oversize = true
				continue
			}
			if p < len(stream) {
				out = append(out, frameOut{string(stream[p:]), string(stream[p:]), Incomplete})
			}
			pos = len(stream)
			break
		}
	}
	return out
}

// referenceEnd is the offset where the message starting at pos ends, -1 if the
// stream does not say.
func referenceEnd(s Spec, stream []byte, pos int, readEnds, expires []int) (int, Status) {
	firstAfter := func(offsets []int) int {
		for _, o := range offsets {
			if o > pos {
				return o
			}
		}
		return -1
	}
	switch s.Mode() {
	case None:
		return firstAfter(readEnds), Complete
	case Idle:
		return firstAfter(expires), Complete
	case Line, Delim:
		i := bytes.Index(stream[pos:], s.Delimiter())
		if i < 0 {
			return -1, Complete
		}
		return pos + i + len(s.Delimiter()), Complete
	case Fixed:
		return pos + s.FixedSize(), Complete
	}
	lf, _ := s.LengthField()
	hdr := pos + lf.HeaderLen()
	if hdr > len(stream) {
		return -1, Complete
	}
	field := slices.Clone(stream[pos+lf.Offset : hdr])
	if lf.LittleEndian {
		slices.Reverse(field)
	}
	v := 0
	for _, b := range field {
		v = v<<8 | int(b)
	}
	if end := hdr + v + lf.Adjust; end >= hdr {
		return end, Complete
	}
	return hdr, Malformed
}

// referenceEnding is how many bytes at the end of data, which ends a message, are
// its ending.
func referenceEnding(s Spec, data []byte) int {
	switch s.Mode() {
	case Line:
		if bytes.HasSuffix(data, []byte("\r\n")) {
			return 2
		}
		return 1
	case Delim:
		return min(len(data), len(s.Delimiter()))
	}
	return 0
}
