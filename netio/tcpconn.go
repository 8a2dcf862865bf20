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
	family  string // of peer
	since   time.Time
	em      emitter
	cs      *charsetRef // the endpoint's
	echo    bool
	resp    *respond.Responder // auto-replies, or nil
	frames  *frameSplitter     // nil: one event per read
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

	// tcpInfo: the closed event carries TCP_INFO read just before the socket
	// closed (a client's); closeInfo is the one closeLocal read.
	tcpInfo   bool
	closeInfo atomic.Pointer[TCPInfo]
}

func newTCPConn(c net.Conn, id uint64, em emitter, cs *charsetRef, total *Counters, bufSize int) *tcpConn {
	peer := netAddrString(c.RemoteAddr())
	return &tcpConn{
		id:      id,
		conn:    c,
		local:   c.LocalAddr().String(),
		peer:    peer,
		family:  Family(peer),
		since:   time.Now(),
		em:      em,
		cs:      cs,
		total:   total,
		bufSize: bufSize,
		done:    make(chan struct{}),
	}
}

func (c *tcpConn) event(kind EventKind) Event {
	return Event{Kind: kind, Local: c.local, Peer: c.peer, Client: c.id, Family: c.family}
}

// readLoop reads until the connection ends, then closes it and emits closed. When
// the peer closes or half-closes its side the connection is closed too: a tool that
// keeps a half-open socket only confuses the person watching it.
func (c *tcpConn) readLoop() {
	defer close(c.done)
	dec := newStreamDecoder(c.cs)
	var err error
	if c.frames != nil {
		err = c.readFrames(dec)
	} else {
		// An idle connection waits without a buffer, on this goroutine, whose
		// stack stays small: reads are handled on goroutines of their own
		// (tcpread.go), and the end on a call of its own.
		err = newConnReader(c.conn, c.bufSize, &c.closingLocal).each(c.handler(dec))
	}
	c.end(err, dec)
}

// handler returns what is done with each read without framing: count, decode,
// emit, and echo or reply. The read's bytes are lent to a sink that borrows
// (valid until the handler returns, like the read buffer they are in).
func (c *tcpConn) handler(dec *streamDecoder) func([]byte) error {
	return func(chunk []byte) error {
		data := c.em.received(chunk)
		n := len(data)
		c.stats.addIn(n)
		if c.total != nil {
			c.total.addIn(n)
		}
		e := c.event(EventReceived)
		e.Data, e.Text = data, dec.decode(data)
		c.em.emit(e)
		if c.echo {
			if werr := c.write(data); werr != nil {
				return werr
			}
		}
		if reply, rule, ok := c.resp.Reply(data, e.Text); ok {
			if werr := c.send(reply, rule); werr != nil {
				return werr
			}
		}
		return nil
	}
}

// end closes the connection after its reads ended with err, and emits closed.
func (c *tcpConn) end(err error, dec *streamDecoder) {
	var info *TCPInfo
	if c.tcpInfo {
		// closeLocal read it before closing the socket; otherwise the socket
		// is still open here.
		if info = c.closeInfo.Load(); info == nil {
			info = kernelSnapshot(c.conn)
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
	e.TCPInfo = info
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
	// The sent event's time is when the bytes were handed to the system: a
	// reply read meanwhile is emitted first (the reader does not wait for
	// writers), but its time is later, so an ordering by time is causal.
	at := time.Now()
	c.conn.SetWriteDeadline(at.Add(writeTimeout))
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
	e.Time = at
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
	if c.tcpInfo {
		c.closeInfo.CompareAndSwap(nil, kernelSnapshot(c.conn))
	}
	// A past deadline unblocks a Read at once on every platform.
	c.conn.SetReadDeadline(time.Now())
	c.conn.Close()
}
