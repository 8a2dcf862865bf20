package sequence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

// link is the sequence's connection over a netio endpoint.
type link interface {
	send(p []byte) error
	// close closes the connection from this side (a close step).
	close()
	// stop ends the endpoint and waits for its goroutines.
	stop()
}

// ErrClosedByStep is a send after a close step.
var ErrClosedByStep = errors.New("the connection was closed by a close step")

// dial opens the sequence's connection and says what it did.
func dial(ctx context.Context, seq *Sequence, box *inbox) (link, string, error) {
	switch {
	case seq.Listen:
		return listen(ctx, seq, box)
	case seq.Scheme == "udp":
		u := netio.NewUDP(netio.UDPConfig{Charset: seq.Charset, Sink: box})
		if err := u.Start(ctx); err != nil {
			return nil, "", err
		}
		return &udpLink{u: u, to: seq.Addr}, fmt.Sprintf("udp socket %s, sending to %s", u.LocalAddr(), seq.Addr), nil
	}
	cfg := netio.TCPClientConfig{Addr: seq.Addr, Timeout: seq.ConnectTimeout, Charset: seq.Charset, Sink: box,
		Frame: seq.Frame, MaxFrame: seq.MaxFrame}
	if seq.Scheme == "tls" {
		cfg.TLS = &netio.TLSClientOptions{Insecure: seq.TLS.Insecure, CAFile: seq.TLS.CAFile, ServerName: seq.TLS.ServerName}
	}
	c := netio.NewTCPClient(cfg)
	if err := c.Start(ctx); err != nil {
		return nil, "", err
	}
	return &clientLink{c: c}, fmt.Sprintf("connected to %s (local %s)", c.RemoteAddr(), c.LocalAddr()), nil
}

type clientLink struct {
	c      *netio.TCPClient
	closed bool
}

func (l *clientLink) send(p []byte) error {
	if l.closed {
		return ErrClosedByStep
	}
	return l.c.Send(p)
}
func (l *clientLink) close() { l.closed = true; l.c.Close() }
func (l *clientLink) stop()  { l.c.Close() }

type udpLink struct {
	u      *netio.UDPEndpoint
	to     string
	closed bool
}

func (l *udpLink) send(p []byte) error {
	if l.closed {
		return ErrClosedByStep
	}
	return l.u.SendTo(l.to, p)
}
func (l *udpLink) close() { l.closed = true; l.u.Close() }
func (l *udpLink) stop()  { l.u.Close() }

// NoClientError is listen: with no client within the connect timeout.
type NoClientError struct {
	Addr  string
	After time.Duration
}

func (e *NoClientError) Error() string {
	return fmt.Sprintf("no client connected to %s within %v", e.Addr, e.After)
}

// listen starts a server for one client (others are refused) and waits for it.
func listen(ctx context.Context, seq *Sequence, box *inbox) (link, string, error) {
	srv := netio.NewTCPServer(netio.TCPServerConfig{Bind: seq.Addr, MaxClients: 1, Charset: seq.Charset, Sink: box,
		Frame: seq.Frame, MaxFrame: seq.MaxFrame})
	if err := srv.Start(ctx); err != nil {
		srv.Close()
		return nil, "", err
	}
	addr := srv.Addr().String()
	res := box.wait(ctx, time.Now().Add(seq.ConnectTimeout), func(b *inbox) bool { return b.accepted != nil })
	switch res {
	case timedOut:
		srv.Close()
		return nil, "", &NoClientError{Addr: addr, After: seq.ConnectTimeout}
	case stopped:
		srv.Close()
		return nil, "", ctx.Err()
	}
	box.mu.Lock()
	acc := *box.accepted
	box.mu.Unlock()
	return &serverLink{srv: srv, id: acc.Client}, fmt.Sprintf("client %s connected (listening on %s)", acc.Peer, addr), nil
}

type serverLink struct {
	srv    *netio.TCPServer
	id     uint64
	closed bool
}

func (l *serverLink) send(p []byte) error {
	if l.closed {
		return ErrClosedByStep
	}
	return l.srv.Send(l.id, p)
}
func (l *serverLink) close() { l.closed = true; l.srv.Disconnect(l.id) }
func (l *serverLink) stop()  { l.srv.Close() }

// callerLink is Options.Conn: the caller's connection, which the run does not end.
type callerLink struct {
	c      Conn
	closed bool
}

func (l *callerLink) send(p []byte) error {
	if l.closed {
		return ErrClosedByStep
	}
	return l.c.Send(p)
}
func (l *callerLink) close() { l.closed = true; l.c.Close() }
func (l *callerLink) stop()  {}
