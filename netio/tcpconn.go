package netio

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/netio/respond"
)

// writeTimeout bounds one write, so a peer that stops reading cannot hang a sender
// (or a "send to all") for ever.
const writeTimeout = 10 * time.Second

// maxReadBuffer is the largest read a connection grows to while a peer streams.
const maxReadBuffer = 64 << 10

// tcpConn is one TCP connection, of a client or of a server's client: it reads in its
// own goroutine, decodes with its own streaming decoder, counts, and reports how it
// ended. conn is the socket, or a *tls.Conn over it: nothing here needs more
// than net.Conn (half-close is looked up as an interface, which tls.Conn has).
type tcpConn struct {
	id      uint64
	conn    net.Conn
	local   string
	peer    string
	since   time.Time
	em      emitter
	cs      *charsetRef // the endpoint's
	echo    bool
	resp    *respond.Responder // auto-replies, or nil
	stats   Counters
	total   *Counters // the endpoint's totals, or nil
	bufSize int

	wmu          sync.Mutex
	ready        atomic.Bool // accepted: a TLS client once its handshake is done
	closingLocal atomic.Bool
	writeReset   atomic.Bool // a send met the peer's reset (and so the reader may not)
	done         chan struct{}

	// onEnd, if set, runs once the connection is closed and before its closed
	// event goes out: a server takes the client off its list there, so whoever
	// sees "closed" and asks for the list does not find the client on it.
	onEnd func()
}

func newTCPConn(c net.Conn, id uint64, em emitter, cs *charsetRef, total *Counters, bufSize int) *tcpConn {
	return &tcpConn{
		id:      id,
		conn:    c,
		local:   c.LocalAddr().String(),
		peer:    netAddrString(c.RemoteAddr()),
		since:   time.Now(),
		em:      em,
		cs:      cs,
		total:   total,
		bufSize: bufSize,
		done:    make(chan struct{}),
	}
}

func (c *tcpConn) event(kind EventKind) Event {
	return Event{Kind: kind, Local: c.local, Peer: c.peer, Client: c.id, Family: Family(c.peer)}
}

// readLoop reads until the connection ends, then closes it and emits closed. When
// the peer closes or half-closes its side the connection is closed too: a tool that
// keeps a half-open socket only confuses the person watching it.
func (c *tcpConn) readLoop() {
	defer close(c.done)
	dec := newStreamDecoder(c.cs)
	buf := make([]byte, c.bufSize)
	var err error
	for {
		var n int
		n, err = c.conn.Read(buf)
		if n > 0 {
			data := append([]byte(nil), buf[:n]...)
			c.stats.addIn(n)
			if c.total != nil {
				c.total.addIn(n)
			}
			e := c.event(EventReceived)
			e.Data, e.Text = data, dec.decode(data)
			c.em.emit(e)
			if c.echo {
				if werr := c.write(data); werr != nil {
					err = werr
					break
				}
			}
			if reply, rule, ok := c.resp.Reply(data, e.Text); ok {
				if werr := c.send(reply, rule); werr != nil {
					err = werr
					break
				}
			}
		}
		if n == len(buf) && len(buf) < maxReadBuffer {
			// The peer streams faster than we read: read more at a time, so a bulk
			// transfer costs fewer events (each with its time stamp, decoding,
			// log line and queue attempt). Idle and chatty clients keep the
			// small buffer they started with.
			buf = make([]byte, min(2*len(buf), maxReadBuffer))
		}
		if err != nil {
			break
		}
	}
	c.conn.Close()
	// A send that raced the end fails at once on the closed socket, or has already
	// succeeded; either way it reports before the close does, so that no "sent"
	// follows "closed" for the same connection.
	c.wmu.Lock()
	//lint:ignore SA2001 the empty critical section is a barrier: it waits for a send in progress
	c.wmu.Unlock()
	e := c.event(EventClosed)
	e.Reason = c.closeReason(err)
	if e.Reason == ReasonError {
		e.Err = opError(OpReceive, "tcp", c.peer, neterr.Inner(err))
	}
	// Bytes held back as the start of a character that never finished.
	e.Text = dec.flush()
	if c.onEnd != nil {
		c.onEnd()
	}
	c.em.emit(e)
}

func (c *tcpConn) closeReason(err error) CloseReason {
	switch {
	case c.closingLocal.Load():
		return ReasonLocal
	case errors.Is(err, io.EOF) && c.writeReset.Load():
		// The kernel hands a reset to whichever call comes first: when that was a
		// send, the reader only finds the connection shut, which looks like EOF.
		return ReasonReset
	case errors.Is(err, io.EOF):
		return ReasonPeerClosed
	case neterr.IsReset(err), errors.Is(err, syscall.EPIPE):
		return ReasonReset
	default:
		return ReasonError
	}
}

// write sends p whole, counts it and emits sent. Writes from several goroutines
// (a send box, echo, send-to-all) are serialized so messages never interleave, and
// their sent events come in the order the bytes went.
func (c *tcpConn) write(p []byte) error { return c.send(p, 0) }

// send is write for an auto-reply rule (0: none), which the sent event names.
func (c *tcpConn) send(p []byte, rule int) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err := c.conn.Write(p)
	if err != nil {
		if neterr.IsReset(err) {
			c.writeReset.Store(true)
		}
		return opError(OpSend, "tcp", c.peer, neterr.Inner(err))
	}
	c.stats.addOut(len(p))
	if c.total != nil {
		c.total.addOut(len(p))
	}
	e := c.event(EventSent)
	e.Rule = rule
	e.Data = append([]byte(nil), p...)
	e.Text = c.cs.Load().DecodeMessage(e.Data)
	c.em.emit(e)
	return nil
}

// closeLocal closes the connection from our side; the read loop sees it, reports
// reason local and ends. It does not wait; wait on done for that.
func (c *tcpConn) closeLocal() {
	c.closingLocal.Store(true)
	// A past deadline unblocks a Read at once on every platform.
	c.conn.SetReadDeadline(time.Now())
	c.conn.Close()
}
