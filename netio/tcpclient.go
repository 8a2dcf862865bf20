package netio

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/framing"
	"github.com/sockdesk/sockdesk/netio/respond"
)

// DefaultConnectTimeout is used when a TCPClientConfig leaves Timeout at zero.
const DefaultConnectTimeout = 10 * time.Second

// clientReadBuffer is the read size of a TCP client: one connection, so a large
// buffer costs little and keeps a fast stream to few reads.
const clientReadBuffer = 64 << 10

// TCPClientConfig describes an outgoing TCP connection.
type TCPClientConfig struct {
	Addr    string           // "host:port" to connect to
	Timeout time.Duration    // connect timeout; 0 means DefaultConnectTimeout
	Charset *charset.Charset // nil = UTF-8
	Sink    Sink
	// Responder, if not nil, answers each received chunk a rule matches.
	Responder *respond.Responder
	// TLS, if set, makes this a TLS client: the handshake is part of the
	// connect (and of its timeout), and the connected event carries its details.
	TLS *TLSClientOptions
	// Frame cuts each connection's stream into messages (see netio/framing): one
	// received event per frame, checked and answered as a message. The zero
	// Spec is none: one event per read.
	Frame framing.Spec
	// MaxFrame bounds a frame (and what a connection holds for one); 0 means
	// framing.DefaultMaxFrame.
	MaxFrame int
}

// TCPClient is one outgoing TCP connection.
type TCPClient struct {
	cfg TCPClientConfig
	em  emitter
	// c is the connection once Start has made it: read through conn(), as Send,
	// Stats and Done may be called from other goroutines while Start runs.
	c         atomic.Pointer[tcpConn]
	cs        charsetRef // Charset, changed by SetCharset
	closeOnce sync.Once
	ctxClose  ctxCloser
}

// NewTCPClient returns a client that connects on Start.
func NewTCPClient(cfg TCPClientConfig) *TCPClient {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultConnectTimeout
	}
	t := &TCPClient{cfg: cfg, em: newEmitter("tcp", cfg.Sink)}
	t.cs.Store(cfg.Charset)
	return t
}

// Start connects (within the timeout), emits connected and starts reading. It
// returns once connected. Cancelling ctx closes the connection.
func (t *TCPClient) Start(ctx context.Context) error {
	host, port, err := hostport.Split(t.cfg.Addr, false)
	if err != nil {
		return err
	}
	if host == "" {
		return &hostport.Error{Input: t.cfg.Addr, Reason: "missing host"}
	}
	var ct *clientTLS
	if t.cfg.TLS != nil {
		if ct, err = newClientTLS(t.cfg.TLS, host); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(t.cfg.Timeout)
	var clock connectClock
	d := net.Dialer{Deadline: deadline, ControlContext: clock.control}
	conn, err := d.DialContext(ctx, "tcp", hostport.Join(host, port))
	established := time.Now()
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return opError(OpConnect, "tcp", t.cfg.Addr, &NoAnswerError{After: t.cfg.Timeout, Err: neterr.Inner(err)})
		}
		return opError(OpConnect, "tcp", t.cfg.Addr, neterr.Inner(err))
	}
	var info *TLSInfo
	if ct != nil {
		tc, ti, err := clientHandshake(ctx, conn, ct, deadline, t.cfg.Timeout)
		if err != nil {
			return opError(OpConnect, "tcp", t.cfg.Addr, err)
		}
		conn, info = tc, ti
	}
	c := newTCPConn(conn, 0, t.em, &t.cs, nil, clientReadBuffer)
	c.resp = t.cfg.Responder
	c.frames = newFrameSplitter(t.cfg.Frame, t.cfg.MaxFrame, c.em.lend)
	c.tcpInfo = true
	e := c.event(EventConnected)
	e.TLS = info
	e.Framing = framingName(t.cfg.Frame)
	e.TCPInfo = kernelSnapshot(conn)
	e.TCPInfo.Connect = clock.took(conn.RemoteAddr(), established)
	t.em.emit(e)
	t.c.Store(c)
	go c.readLoop()
	t.ctxClose.bind(ctx, func() { t.Close() })
	return nil
}

// SetCharset changes the charset for what is sent and received from now on; nil
// means UTF-8. Safe to call from any goroutine while the client runs.
func (t *TCPClient) SetCharset(cs *charset.Charset) { t.cs.Store(cs) }

// conn is the connection, or nil before a successful Start.
func (t *TCPClient) conn() *tcpConn { return t.c.Load() }

// LocalAddr and RemoteAddr are the connection's two ends; nil before a successful
// Start.
func (t *TCPClient) LocalAddr() net.Addr {
	if c := t.conn(); c != nil {
		return c.conn.LocalAddr()
	}
	return nil
}

// RemoteAddr: see LocalAddr.
func (t *TCPClient) RemoteAddr() net.Addr {
	if c := t.conn(); c != nil {
		return c.conn.RemoteAddr()
	}
	return nil
}

// Send writes p to the peer and emits sent.
func (t *TCPClient) Send(p []byte) error {
	c := t.conn()
	if c == nil {
		return opError(OpSend, "tcp", t.cfg.Addr, ErrNotStarted)
	}
	return c.write(p)
}

// Stats reads the connection's counters (zero before a successful Start).
func (t *TCPClient) Stats() Stats {
	c := t.conn()
	if c == nil {
		return Stats{}
	}
	return c.stats.Snapshot()
}

// Done is closed when the connection has ended, for any reason; before a successful
// Start it is a channel that is already closed, as there is nothing to wait for.
func (t *TCPClient) Done() <-chan struct{} {
	c := t.conn()
	if c == nil {
		return closedChan
	}
	return c.done
}

// closedChan is what Done returns for a client that never connected.
var closedChan = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()

// Close closes the connection (if the peer has not already) and waits until its
// reader has finished. Safe to call more than once.
func (t *TCPClient) Close() error {
	t.closeOnce.Do(func() {
		c := t.conn()
		if c == nil {
			return
		}
		t.ctxClose.release()
		select {
		case <-c.done:
		default:
			c.closeLocal()
		}
		<-c.done
	})
	return nil
}
