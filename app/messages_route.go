package app

import (
	"errors"
	"net"
	"strings"

	"github.com/sockdesk/sockdesk/netio/library"
)

// Where a library message goes from each kind of sending session. A message
// meant for another protocol is not sent (nor is its destination used: its
// port is most likely the other protocol's); a message with a destination
// goes there or, where the session cannot reach it, is not sent at all: a
// button never sends somewhere other than its message says.

// notForSession says a message's protocol does not fit the session.
func notForSession(m library.Message, session string) error {
	if m.Protocol == library.TLS {
		return errors.New(trf("this message is for TLS; this session is %s without TLS", session))
	}
	return errors.New(trf("this message is for %s; this session is %s", strings.ToUpper(string(m.Protocol)), session))
}

// messageRoute of a UDP session: to the message's destination, or to the
// session's destination fields when it names none.
func (p *udpPanel) messageRoute(m library.Message) (func([]byte) error, error) {
	if !m.Fits(library.UDP, false) {
		return nil, notForSession(m, "UDP")
	}
	if m.Destination == "" {
		return p.sendPayload, nil
	}
	dst := m.Destination
	return func(b []byte) error {
		ep := p.sep.Load()
		if ep == nil {
			return errors.New(tr("the session is closed: press Open first"))
		}
		return ep.SendTo(dst, b)
	}, nil
}

// messageRoute of a TCP client: over the connection, if the message names no
// destination or the one connected to.
func (p *tcpClientPanel) messageRoute(m library.Message) (func([]byte) error, error) {
	session := "TCP"
	if p.tls.Checked {
		session = "TLS"
	}
	if !m.Fits(library.TCP, p.tls.Checked) {
		return nil, notForSession(m, session)
	}
	if m.Destination != "" && p.client != nil {
		remote := p.client.RemoteAddr().String()
		typed := strings.TrimSpace(p.host.Text) + ":" + strings.TrimSpace(p.port.Text)
		if !sameAddr(m.Destination, remote) && !sameAddr(m.Destination, typed) {
			return nil, errors.New(trf("this message is for %s; this session is connected to %s", m.Destination, remote))
		}
	}
	return p.sendPayload, nil
}

// messageRoute of a TCP server: to the client chosen (or all) when the
// message names no destination, else to the connected client at that address.
func (p *tcpServerPanel) messageRoute(m library.Message) (func([]byte) error, error) {
	session := "TCP"
	if p.tls.tls.Checked {
		session = "TLS"
	}
	if !m.Fits(library.TCP, p.tls.tls.Checked) {
		return nil, notForSession(m, session)
	}
	if m.Destination == "" || p.srv == nil {
		return p.sendPayload, nil
	}
	for _, c := range p.srv.Clients() {
		if sameAddr(m.Destination, c.Addr) {
			id := c.ID
			return func(b []byte) error {
				srv := p.live.Load()
				if srv == nil {
					return errors.New(tr("the server is stopped: press Start first"))
				}
				return srv.Send(id, b)
			}, nil
		}
	}
	return nil, errors.New(trf("this message is for %s, which is not a client of this server", m.Destination))
}

// sameAddr tells whether two host:port strings name one address: the same
// port, and the same host regardless of case or brackets, or the same IP
// however it is written.
func sameAddr(a, b string) bool {
	ha, pa, errA := net.SplitHostPort(a)
	hb, pb, errB := net.SplitHostPort(b)
	if errA != nil || errB != nil || pa != pb {
		return false
	}
	if strings.EqualFold(ha, hb) {
		return true
	}
	ipa, ipb := net.ParseIP(ha), net.ParseIP(hb)
	return ipa != nil && ipb != nil && ipa.Equal(ipb)
}
