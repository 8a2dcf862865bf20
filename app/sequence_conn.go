package app

import (
	"errors"

	"github.com/sockdesk/sockdesk/netio"
)

// sessionConn is a session's open connection lent to a sequence run
// (sequence.Options.Conn): how to send on it and close it, on the run's
// goroutine, and which of the session's events are the sequence's.
type sessionConn struct {
	send   func(p []byte) error
	close  func() error
	accept func(*netio.Event) bool // nil: every event of the session
	peer   string                  // who the sequence talks to, for the status
}

// Send and Close make a sessionConn a sequence.Conn.
func (c *sessionConn) Send(p []byte) error { return c.send(p) }
func (c *sessionConn) Close() error        { return c.close() }

// sequenceConn is the TCP client's connection while it is connected (UI
// goroutine). A close step closes it, as Disconnect would.
func (p *tcpClientPanel) sequenceConn() (*sessionConn, error) {
	switch {
	case p.connecting:
		return nil, errors.New(tr("the session is connecting: wait until it is connected, or cancel"))
	case p.client == nil:
		return nil, nil
	}
	c := p.client
	return &sessionConn{send: c.Send, close: c.Close, peer: c.RemoteAddr().String()}, nil
}

// sequenceConn is one client of the running server: the one picked in the
// table, or the only one (UI goroutine). A close step disconnects it.
func (p *tcpServerPanel) sequenceConn() (*sessionConn, error) {
	srv := p.srv
	if srv == nil {
		return nil, nil
	}
	id := p.clients.selectedID
	if id == 0 {
		clients := srv.Clients()
		switch len(clients) {
		case 0:
			return nil, errors.New(tr("no clients are connected: wait for one, or stop the server to let the sequence listen itself"))
		case 1:
			id = clients[0].ID
		default:
			return nil, errors.New(tr("several clients are connected: pick the one the sequence talks to in the Connection tool"))
		}
	}
	var peer string
	for _, c := range srv.Clients() {
		if c.ID == id {
			peer = c.Addr
		}
	}
	return &sessionConn{
		send:   func(b []byte) error { return srv.Send(id, b) },
		close:  func() error { return srv.Disconnect(id) },
		accept: func(e *netio.Event) bool { return e.Client == id },
		peer:   peer,
	}, nil
}

// sequenceConn is the open UDP socket, sending to the session's destination
// (UI goroutine). A close step ends the sequence's use of it; the socket stays
// open, as it is the session's.
func (p *udpPanel) sequenceConn() (*sessionConn, error) {
	ep := p.ep
	if ep == nil {
		return nil, nil
	}
	d := p.dst.Load()
	if d.err != nil {
		return nil, d.err
	}
	dst := d.addr
	return &sessionConn{
		send:  func(b []byte) error { return ep.SendTo(dst, b) },
		close: func() error { return nil },
		peer:  dst,
	}, nil
}
