package app

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"syscall"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
)

// errorText words an engine error for a person: the engine's prefixes go, and the
// common socket failures are said plainly. A field error keeps its field's name in
// front, so the message says where the problem is.
func errorText(err error) string {
	var fe *fieldError
	if errors.As(err, &fe) {
		return fe.field + ": " + errorText(fe.err)
	}
	var dns *net.DNSError
	var cve *tls.CertificateVerificationError
	switch {
	case errors.As(err, &cve):
		return strings.ReplaceAll(err.Error(), "netio: ", "") + " " + tr("(check Skip verification to connect anyway, unsafe)")
	case netio.IsAddrInUse(err):
		return tr("that port is already in use by another program or session")
	case errors.Is(err, netio.ErrBroadcastOff):
		return tr("that is a broadcast address: turn Broadcast on to send to it")
	case netio.IsPermission(err):
		return tr("permission denied (binding a port below 1024 needs administrator rights)")
	case errors.Is(err, syscall.ECONNREFUSED):
		return tr("connection refused: nothing is listening on that port")
	case errors.As(err, &dns) && dns.IsNotFound:
		return trf("host %q not found", dns.Name)
	case errors.As(err, &dns):
		return trf("cannot look up host %q: %s", dns.Name, dns.Err)
	}
	return strings.ReplaceAll(err.Error(), "netio: ", "")
}

// bindError names the field a failed bind is about: a port in use or forbidden is
// the port's problem, an address that is not this host's is the address's.
func bindError(addrField, portField string, err error) error {
	var ae *hostport.Error
	switch {
	case err == nil:
		return nil
	case netio.IsAddrInUse(err), netio.IsPermission(err):
		return &fieldError{portField, err}
	case errors.As(err, &ae):
		return &fieldError{addrField, errors.New(ae.Reason)}
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return &fieldError{addrField, err}
	}
	return err
}

// hostError names the field of a host name that could not be looked up.
func hostError(field string, err error) error {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return &fieldError{field, err}
	}
	return err
}
