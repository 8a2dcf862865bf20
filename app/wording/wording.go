// Package wording says engine facts in the UI language: errors (what failed and
// why, in words a person can act on), interface choices, and the like. The
// sessions' status lines and the log view share it, so the same fact reads the
// same everywhere.
package wording

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"syscall"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/netio"
)

// Error words an engine error for a person: what was being done and on which
// address (for an engine failure, netio.OpError), then why (Cause).
func Error(err error) string {
	var op *netio.OpError
	if errors.As(err, &op) {
		return doing(op) + ": " + Cause(op.Err)
	}
	return Cause(err)
}

// Cause words why err happened, for a message shown at the field it is about (the
// field says the rest): a cause we know (a port in use, a refused connection, a
// host not found, ...) in a sentence of its own, otherwise the system's own words.
func Cause(err error) string {
	if s, ok := cause(err); ok {
		return s
	}
	var op *netio.OpError
	if errors.As(err, &op) {
		err = op.Err
	}
	return strip(err)
}

// cause words the causes people meet most, wherever they are in err's chain.
func cause(err error) (string, bool) {
	var dns *net.DNSError
	var cve *tls.CertificateVerificationError
	var noAnswer *netio.NoAnswerError
	var size *netio.SizeError
	var host *hostport.HostError
	var inUse *netio.PortInUseError
	switch {
	case errors.As(err, &host):
		return hostText(host), true
	case errors.As(err, &cve):
		return strip(err) + " " + i18n.T("(check Skip verification to connect anyway, unsafe)"), true
	case errors.As(err, &inUse):
		return portHolders(inUse), true
	case netio.IsAddrInUse(err):
		return i18n.T("that port is already in use by another program or session"), true
	case errors.Is(err, netio.ErrBroadcastOff):
		return i18n.T("that is a broadcast address: turn Broadcast on to send to it"), true
	case netio.IsPermission(err):
		return i18n.T("permission denied (binding a port below 1024 needs administrator rights)"), true
	case errors.Is(err, netio.ErrPortUnreachable):
		return i18n.T("nothing is listening on that port (the system reported port unreachable)"), true
	case errors.Is(err, syscall.ECONNREFUSED):
		return i18n.T("connection refused: nothing is listening on that port"), true
	case errors.As(err, &noAnswer):
		return i18n.Tf("no answer within %s (is the host up? a firewall may drop the connection)", noAnswer.After), true
	case errors.As(err, &size):
		return i18n.Tf("the message is %d bytes; the largest a datagram can carry is %d", size.Size, size.Max), true
	case errors.Is(err, netio.ErrNotStarted):
		return i18n.T("the session is not open"), true
	case neterr.IsReset(err):
		return i18n.T("the connection was reset by the other side"), true
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return i18n.T("no route to that host"), true
	case errors.As(err, &dns) && dns.IsNotFound:
		return i18n.Tf("host %q not found", dns.Name), true
	case errors.As(err, &dns):
		return i18n.Tf("cannot look up host %q: %s", dns.Name, dns.Err), true
	}
	return "", false
}

// hostText says what is wrong with a host that is neither an IP address nor a
// host name: what it looks like it was meant to be.
func hostText(e *hostport.HostError) string {
	switch e.Problem {
	case hostport.BadIPv4:
		return i18n.Tf("%q is not a valid IPv4 address (four numbers from 0 to 255)", e.Host)
	case hostport.BadIPv6:
		return i18n.Tf("%q is not a valid IPv6 address", e.Host)
	}
	return i18n.Tf("%q is not a valid host name or IP address", e.Host)
}

// doing says what an OpError's operation was doing, on its address.
func doing(op *netio.OpError) string {
	switch op.Op {
	case netio.OpBind:
		return i18n.Tf("binding %s", op.Addr)
	case netio.OpListen:
		return i18n.Tf("listening on %s", op.Addr)
	case netio.OpAccept:
		return i18n.T("accepting a client")
	case netio.OpConnect:
		return i18n.Tf("connecting to %s", op.Addr)
	case netio.OpConnectRelay:
		return i18n.Tf("connecting to the target %s", op.Addr)
	case netio.OpHandshake:
		return i18n.Tf("TLS handshake with %s", op.Addr)
	case netio.OpSend:
		return i18n.Tf("sending to %s", op.Addr)
	case netio.OpReceive:
		if op.Addr == "" {
			return i18n.T("receiving")
		}
		return i18n.Tf("receiving from %s", op.Addr)
	case netio.OpRelay:
		return i18n.Tf("relaying %s", op.Addr)
	case netio.OpClose:
		return i18n.Tf("closing %s", op.Addr)
	case netio.OpSetBroadcast:
		return i18n.T("switching broadcast")
	}
	return string(op.Op)
}

// strip is an error's own text without the engine's package prefix: the system's
// words, which Go gives in English.
func strip(err error) string {
	return strings.ReplaceAll(err.Error(), "netio: ", "")
}

// Iface shows an interface choice; "" is the system's choice.
func Iface(name string) string {
	if name == "" {
		return i18n.T("the default interface")
	}
	return name
}
