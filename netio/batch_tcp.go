package netio

import (
	"errors"
	"time"

	"github.com/sockdesk/sockdesk/internal/neterr"
)

// tcpBatchBytes is how many bytes of queued messages go to the socket in one
// write. A stream has no message boundaries to keep, so a burst of small messages
// costs one system call instead of hundreds.
const tcpBatchBytes = 64 << 10

// TCPBatch writes many messages over a client's connection with few system calls:
// Add queues a message (writing the queue once it holds tcpBatchBytes), Flush
// writes what is queued. It is the seam the traffic generator sends through; used
// by one goroutine at a time.
//
// Like UDPBatch it emits no event to the client's sink; the sent sink given to
// NewBatch, if any, gets a sent event per message, and Tally counts what went.
type TCPBatch struct {
	c      *tcpConn
	em     emitter // the batch's own sent sink
	batch  []byte
	ends   []int // where each queued message ends in batch, when events are wanted
	queued uint64
	msgs   uint64
	bytes  uint64
}

// NewBatch returns a batch over the client's connection. sent, if not nil, gets
// a sent event per message.
func (t *TCPClient) NewBatch(sent Sink) (*TCPBatch, error) {
	c := t.conn()
	if c == nil {
		return nil, opError(OpSend, "tcp", t.cfg.Addr, ErrNotStarted)
	}
	return &TCPBatch{c: c, em: newEmitter("tcp", sent)}, nil
}

// Add queues one message; p is copied.
func (w *TCPBatch) Add(p []byte) error {
	w.batch = append(w.batch, p...)
	w.queued++
	if w.em.sink != nil {
		w.ends = append(w.ends, len(w.batch))
	}
	if len(w.batch) >= tcpBatchBytes {
		return w.Flush()
	}
	return nil
}

// Flush writes the queued messages the way the connection writes one, under the
// same lock (so that nothing interleaves, and sent comes before closed), without
// its per-message event and counting.
func (w *TCPBatch) Flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	c := w.c
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err := c.conn.Write(w.batch)
	if err != nil {
		if neterr.IsReset(err) {
			c.writeReset.Store(true)
		}
		w.reset()
		return opError(OpSend, "tcp", c.peer, neterr.Inner(err))
	}
	w.msgs += w.queued
	w.bytes += uint64(len(w.batch))
	if w.em.sink != nil {
		from := 0
		for _, end := range w.ends {
			e := c.event(EventSent)
			e.Data = append([]byte(nil), w.batch[from:end]...)
			e.Text = c.cs.Load().DecodeMessage(e.Data)
			w.em.emit(e)
			from = end
		}
	}
	w.reset()
	return nil
}

func (w *TCPBatch) reset() {
	w.batch, w.ends, w.queued = w.batch[:0], w.ends[:0], 0
}

// Tally returns, and forgets, the messages and bytes written since it was last
// called, and adds them to the connection's counters.
func (w *TCPBatch) Tally() (msgs, bytes uint64) {
	msgs, bytes = w.msgs, w.bytes
	w.msgs, w.bytes = 0, 0
	w.c.stats.addOutMany(msgs, bytes)
	if w.c.total != nil {
		w.c.total.addOutMany(msgs, bytes)
	}
	return msgs, bytes
}

// errHalfClose is the cause of a CloseWrite on a connection that cannot half-close.
var errHalfClose = errors.New("half-close not supported")

// CloseWrite half-closes the connection: the peer reads everything sent so far and
// then the end of the stream, while reading here goes on until the peer closes
// (Done). A run that ends this way, rather than with Close, loses nothing to a
// reset when replies are still arriving.
func (t *TCPClient) CloseWrite() error {
	c := t.conn()
	if c == nil {
		return opError(OpClose, "tcp", t.cfg.Addr, ErrNotStarted)
	}
	cw, ok := c.conn.(interface{ CloseWrite() error })
	if !ok {
		return opError(OpClose, "tcp", c.peer, errHalfClose)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := cw.CloseWrite(); err != nil {
		return opError(OpClose, "tcp", c.peer, neterr.Inner(err))
	}
	return nil
}
