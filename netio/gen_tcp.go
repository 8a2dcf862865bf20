package netio

import (
	"context"
	"fmt"
	"time"
)

// tcpGenBatch is how many bytes of due messages go to the socket in one write. A
// stream has no message boundaries to keep, so a burst of small messages costs
// one system call instead of hundreds.
const tcpGenBatch = 64 << 10

// RunTCP runs the generator through the connection of c and returns the final
// progress when the run ends: by its count or duration, by ctx (both with a nil
// error), or at the first write that fails (with its error). Messages due
// together are written together. The connection stays open; see CloseWrite.
func (g *Generator) RunTCP(ctx context.Context, c *TCPClient) (GenProgress, error) {
	if c.c == nil {
		return g.Progress(), fmt.Errorf("netio: tcp send to %s: %w", c.cfg.Addr, ErrNotStarted)
	}
	if g.maxLen == 0 {
		return g.Progress(), &GenError{"size", "a TCP message must have at least one byte"}
	}
	w := &tcpGen{c: c.c, em: emitter{proto: "tcp", sink: g.opts.Sent}}
	return g.run(ctx, w)
}

// tcpGen queues the messages of a burst and writes them at once.
type tcpGen struct {
	c      *tcpConn
	em     emitter // the generator's Sent sink
	batch  []byte
	ends   []int // where each queued message ends in batch, when events are wanted
	queued uint64
	msgs   uint64
	bytes  uint64
}

func (w *tcpGen) add(p []byte) error {
	w.batch = append(w.batch, p...)
	w.queued++
	if w.em.sink != nil {
		w.ends = append(w.ends, len(w.batch))
	}
	if len(w.batch) >= tcpGenBatch {
		return w.flush()
	}
	return nil
}

// flush writes the queued messages the way tcpConn.write writes one, under the
// same lock (so that nothing interleaves, and sent comes before closed), without
// its per-message event and counting.
func (w *tcpGen) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	c := w.c
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err := c.conn.Write(w.batch)
	if err != nil {
		if isReset(err) {
			c.writeReset.Store(true)
		}
		w.reset()
		return fmt.Errorf("netio: tcp send to %s: %w", c.peer, innerError(err))
	}
	w.msgs += w.queued
	w.bytes += uint64(len(w.batch))
	if w.em.sink != nil {
		from := 0
		for _, end := range w.ends {
			e := c.event(EventSent)
			e.Data = append([]byte(nil), w.batch[from:end]...)
			e.Text = c.charset.DecodeAll(e.Data)
			w.em.emit(e)
			from = end
		}
	}
	w.reset()
	return nil
}

func (w *tcpGen) reset() {
	w.batch, w.ends, w.queued = w.batch[:0], w.ends[:0], 0
}

func (w *tcpGen) tally() (msgs, bytes uint64) {
	msgs, bytes = w.msgs, w.bytes
	w.msgs, w.bytes = 0, 0
	w.c.stats.addOutMany(msgs, bytes)
	if w.c.total != nil {
		w.c.total.addOutMany(msgs, bytes)
	}
	return msgs, bytes
}

// CloseWrite half-closes the connection: the peer reads everything sent so far and
// then the end of the stream, while reading here goes on until the peer closes
// (Done). A run that ends this way, rather than with Close, loses nothing to a
// reset when replies are still arriving.
func (t *TCPClient) CloseWrite() error {
	if t.c == nil {
		return fmt.Errorf("netio: tcp close %s: %w", t.cfg.Addr, ErrNotStarted)
	}
	cw, ok := t.c.conn.(interface{ CloseWrite() error })
	if !ok {
		return fmt.Errorf("netio: tcp close %s: half-close not supported", t.c.peer)
	}
	t.c.wmu.Lock()
	defer t.c.wmu.Unlock()
	if err := cw.CloseWrite(); err != nil {
		return fmt.Errorf("netio: tcp close %s: %w", t.c.peer, innerError(err))
	}
	return nil
}
