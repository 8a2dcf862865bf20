package netio

import "sync/atomic"

// Counters counts traffic one way and the other; safe for concurrent use.
type Counters struct {
	bytesIn, bytesOut, msgsIn, msgsOut atomic.Uint64
}

// Stats is a snapshot of Counters.
type Stats struct {
	BytesIn, BytesOut uint64
	MsgsIn, MsgsOut   uint64
}

func (c *Counters) addIn(n int) {
	c.bytesIn.Add(uint64(n))
	c.msgsIn.Add(1)
}

func (c *Counters) addOut(n int) {
	c.bytesOut.Add(uint64(n))
	c.msgsOut.Add(1)
}

// addInBytes counts bytes received without a message: with framing, bytes are
// counted as they are read and messages (addInMsgs) as frames end.
func (c *Counters) addInBytes(n int) { c.bytesIn.Add(uint64(n)) }

// addInMsgs counts n messages received; see addInBytes.
func (c *Counters) addInMsgs(n int) { c.msgsIn.Add(uint64(n)) }

// addOutMany counts msgs messages of bytes bytes in all, sent.
func (c *Counters) addOutMany(msgs, bytes uint64) {
	c.bytesOut.Add(bytes)
	c.msgsOut.Add(msgs)
}

// Snapshot reads the counters.
func (c *Counters) Snapshot() Stats {
	return Stats{
		BytesIn:  c.bytesIn.Load(),
		BytesOut: c.bytesOut.Load(),
		MsgsIn:   c.msgsIn.Load(),
		MsgsOut:  c.msgsOut.Load(),
	}
}
