package framing

import (
	"bytes"
	"strconv"
	"time"
)

// DefaultMaxFrame is the largest frame a Framer holds unless told otherwise.
const DefaultMaxFrame = 1 << 20

// Status says how a frame ended.
type Status uint8

const (
	// Complete: the frame is one whole message.
	Complete Status = iota
	// Overflow: the message is longer than the maximum frame size; this frame is
	// one piece of it (the first, a middle one or the last).
	Overflow
	// Incomplete: the stream ended before the message did.
	Incomplete
	// Malformed: a length field announced a frame shorter than the header that
	// holds it; the frame is the header alone, and framing resumes after it.
	Malformed
)

var statusNames = [...]string{Complete: "complete", Overflow: "overflow", Incomplete: "incomplete", Malformed: "malformed"}

// String returns "complete", "overflow", "incomplete" or "malformed".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Frame is one frame of a stream.
//
// Data and Message alias either the slice given to Feed or the Framer's own
// buffer: they are valid until the next call to Next, and only while the caller
// leaves the fed slice alone (until its next read into it). Copy them to keep them.
type Frame struct {
	// Data is the frame's bytes exactly as received, delimiter included.
	Data []byte
	// Message is what checksums and auto-reply rules look at: Data without its
	// ending for line (the LF or CRLF) and delim (the sequence), Data otherwise.
	Message []byte
	Status  Status
}

// Framer cuts one stream into frames. Give it each read's bytes with Feed, then
// take frames with Next until it reports none; see the package documentation for
// the whole read loop. A Framer holds at most the maximum frame size of carried-over
// bytes, whatever the peer sends. It is not safe for concurrent use.
type Framer struct {
	spec  Spec
	max   int
	delim []byte // line and delim: the bytes that end a message

	in      []byte // fed bytes not yet framed; they alias the caller's slice
	pend    []byte // the bytes of the current frame that came in earlier reads
	pendOut bool   // pend was handed out by the last Next: empty it first
	ending  Status // when in runs out, hand out pend with this status (see End, Expire)
	flush   bool   // End or Expire was called

	// The current message, which may span several frames when it overflows.
	msgPos   int64 // its bytes so far, in every frame
	oversize bool  // a piece of it has gone out as Overflow
	msgLen   int64 // length modes: its total size once the length field is in; -1 before
	field    [4]byte
	hist     [MaxDelimiter - 1]byte // delim: its last bytes before in, for a delimiter split across reads
	histLen  int
}

// NewFramer returns a Framer for one stream. maxFrame <= 0 means DefaultMaxFrame.
func NewFramer(spec Spec, maxFrame int) *Framer {
	if maxFrame <= 0 {
		maxFrame = DefaultMaxFrame
	}
	return &Framer{spec: spec, max: maxFrame, delim: spec.Delimiter(), msgLen: -1}
}

// Spec returns the framer's spec.
func (f *Framer) Spec() Spec { return f.spec }

// MaxFrame returns the largest frame the framer hands out.
func (f *Framer) MaxFrame() int { return f.max }

// IdleTimeout returns DUR for idle:DUR framing, 0 otherwise. While Pending, the read
// loop waits at most this long for a byte, then calls Expire.
func (f *Framer) IdleTimeout() time.Duration { return f.spec.idle }

// Pending reports whether a message has begun and not ended: bytes are held for
// it, or pieces of it went out as Overflow.
func (f *Framer) Pending() bool { return f.msgPos > 0 || len(f.in) > 0 }

// Feed hands over the bytes of one read. Call Next until it reports false
// before feeding again: Feed panics if fed bytes are still waiting, as the
// caller's buffer they alias may be about to be overwritten.
func (f *Framer) Feed(p []byte) {
	if len(p) == 0 {
		return
	}
	if len(f.in) > 0 {
		panic("framing: Feed called before Next returned false")
	}
	f.in = p
}

// End says the stream has ended: once Next has handed out the frames the fed
// bytes complete, it hands out the rest as one Incomplete frame. The Framer is
// then ready for a new stream.
func (f *Framer) End() { f.flush, f.ending = true, Incomplete }

// Expire says that the idle time passed without a byte: Next hands out the
// pending bytes as a frame (Complete, or Overflow for the last piece of an
// oversized message). It does nothing unless the spec is idle:DUR.
func (f *Framer) Expire() {
	if f.spec.mode == Idle && !f.flush {
		f.flush, f.ending = true, Complete
	}
}

// Next returns the next frame, or false when the fed bytes are used up and what
// is left of them is held for the next read.
func (f *Framer) Next() (Frame, bool) {
	if f.pendOut {
		f.pend, f.pendOut = f.pend[:0], false
	}
	if f.msgPos == 0 && len(f.delim) == 1 {
		// The hot path of line framing: a whole frame inside the read.
		in := f.in[:min(len(f.in), f.max)]
		if i := bytes.IndexByte(in, f.delim[0]); i >= 0 {
			data := in[:i+1]
			f.in = f.in[i+1:]
			return Frame{Data: data, Message: data[:len(data)-f.endingLen(data)], Status: Complete}, true
		}
	}
	for len(f.in) > 0 {
		if len(f.pend) == f.max {
			// An idle frame filled up, and now a byte more came before the pause.
			f.oversize, f.pendOut = true, true
			return Frame{Data: f.pend, Message: f.pend, Status: Overflow}, true
		}
		room := f.max - len(f.pend)
		chunk := f.in[:min(len(f.in), room)]
		n, ended, status := f.scan(chunk)
		f.msgPos += int64(n)
		switch {
		case ended:
			fr := f.take(n, status, true)
			f.newMessage()
			return fr, true
		case n == room && f.spec.mode != Idle:
			// The frame is full and the message goes on. (An idle message may yet
			// end right here, if the pause comes now: that frame waits for the
			// next byte or Expire.)
			f.oversize = true
			return f.take(n, Overflow, false), true
		}
		f.pend = append(f.grow(f.pend, n), chunk...)
		f.in = f.in[n:]
	}
	if f.flush {
		f.flush = false
		status := f.ending
		if status == Complete && f.oversize {
			status = Overflow
		}
		f.newMessage()
		if len(f.pend) > 0 {
			f.pendOut = true
			return Frame{Data: f.pend, Message: f.pend, Status: status}, true
		}
	}
	return Frame{}, false
}

// take hands out pend plus the next n fed bytes as a frame; ended says the
// message ends with it.
func (f *Framer) take(n int, status Status, ended bool) Frame {
	data := f.in[:n]
	if len(f.pend) > 0 {
		f.pend = append(f.grow(f.pend, n), data...)
		data, f.pendOut = f.pend, true
	}
	f.in = f.in[n:]
	if f.oversize && status == Complete {
		status = Overflow
	}
	msg := data
	if ended {
		msg = data[:len(data)-f.endingLen(data)]
	}
	return Frame{Data: data, Message: msg, Status: status}
}

// endingLen is how much of data, a frame that ends its message, is the ending
// that Message leaves out: LF or CRLF for line, the sequence (or the part of it
// in this frame) for delim.
func (f *Framer) endingLen(data []byte) int {
	switch f.spec.mode {
	case Line:
		if len(data) >= 2 && data[len(data)-2] == '\r' {
			return 2
		}
		return 1
	case Delim:
		return min(len(f.delim), len(data))
	}
	return 0
}

// grow makes room for n more bytes in b without going past the maximum frame size.
func (f *Framer) grow(b []byte, n int) []byte {
	need := len(b) + n
	if need <= cap(b) {
		return b
	}
	c := min(max(2*cap(b), need, 512), f.max)
	nb := make([]byte, len(b), c)
	copy(nb, b)
	return nb
}

func (f *Framer) newMessage() {
	f.msgPos, f.oversize, f.msgLen, f.histLen = 0, false, -1, 0
}

// scan looks for the end of the current message in chunk, the next fed bytes
// (at most what the frame has room for). It returns how many of them belong to
// the message, whether the message ends there, and how.
func (f *Framer) scan(chunk []byte) (n int, ended bool, status Status) {
	switch f.spec.mode {
	case Line, Delim:
		n, ended = f.scanDelim(chunk)
	case Fixed:
		n, ended = f.upTo(chunk, int64(f.spec.fixed))
	case Length, ModbusTCP:
		return f.scanLength(chunk)
	case None:
		// A read is a message: it ends where the fed bytes end.
		n, ended = len(chunk), len(chunk) == len(f.in)
	case Idle:
		n = len(chunk) // only Expire ends a message
	}
	return n, ended, Complete
}

// upTo ends the message when it reaches size bytes.
func (f *Framer) upTo(chunk []byte, size int64) (int, bool) {
	if rest := size - f.msgPos; rest <= int64(len(chunk)) {
		return int(rest), true
	}
	return len(chunk), false
}

func (f *Framer) scanDelim(chunk []byte) (int, bool) {
	delim := f.delim
	if len(delim) == 1 {
		if i := bytes.IndexByte(chunk, delim[0]); i >= 0 {
			return i + 1, true
		}
		return len(chunk), false
	}
	// A delimiter begun in earlier bytes of the message: try the earliest start first.
	for k := f.histLen; k > 0; k-- {
		rest := delim[k:]
		if bytes.Equal(f.hist[f.histLen-k:f.histLen], delim[:k]) &&
			len(chunk) >= len(rest) && bytes.Equal(chunk[:len(rest)], rest) {
			return len(rest), true
		}
	}
	if i := bytes.Index(chunk, delim); i >= 0 {
		return i + len(delim), true
	}
	f.remember(chunk, len(delim)-1)
	return len(chunk), false
}

// remember keeps the last keep bytes of the message, chunk being its newest.
func (f *Framer) remember(chunk []byte, keep int) {
	if len(chunk) >= keep {
		f.histLen = copy(f.hist[:], chunk[len(chunk)-keep:])
		return
	}
	old := min(f.histLen, keep-len(chunk))
	copy(f.hist[:old], f.hist[f.histLen-old:f.histLen])
	f.histLen = old + copy(f.hist[old:], chunk)
}

func (f *Framer) scanLength(chunk []byte) (int, bool, Status) {
	lf := f.spec.field
	if f.msgLen < 0 {
		// Gather the length field's bytes as they pass; they may come in any
		// number of reads, or after the first pieces of an overflowing header.
		off, end := int64(lf.Offset), int64(lf.HeaderLen())
		lo, hi := max(off, f.msgPos), min(end, f.msgPos+int64(len(chunk)))
		if lo < hi {
			copy(f.field[lo-off:hi-off], chunk[lo-f.msgPos:hi-f.msgPos])
		}
		if hi < end {
			return len(chunk), false, Complete
		}
		total := end + f.fieldValue() + int64(lf.Adjust)
		if total < end {
			return int(end - f.msgPos), true, Malformed
		}
		f.msgLen = total
	}
	n, ended := f.upTo(chunk, f.msgLen)
	return n, ended, Complete
}

func (f *Framer) fieldValue() int64 {
	size, le := f.spec.field.Size, f.spec.field.LittleEndian
	var v int64
	for i := range size {
		b := f.field[i]
		if le {
			b = f.field[size-1-i]
		}
		v = v<<8 | int64(b)
	}
	return v
}
