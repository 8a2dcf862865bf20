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
	"github.com/sockdesk/sockdesk/netio"
)

// Error words an engine error for a person: the engine's prefixes go, and the
// common socket failures are said plainly.
func Error(err error) string {
	var dns *net.DNSError
	var cve *tls.CertificateVerificationError
	switch {
	case errors.As(err, &cve):
		return strings.ReplaceAll(err.Error(), "netio: ", "") + " " + i18n.T("(check Skip verification to connect anyway, unsafe)")
	case netio.IsAddrInUse(err):
		return i18n.T("that port is already in use by another program or session")
	case errors.Is(err, netio.ErrBroadcastOff):
		return i18n.T("that is a broadcast address: turn Broadcast on to send to it")
	case netio.IsPermission(err):
		return i18n.T("permission denied (binding a port below 1024 needs administrator rights)")
	case errors.Is(err, syscall.ECONNREFUSED):
		return i18n.T("connection refused: nothing is listening on that port")
	case errors.As(err, &dns) && dns.IsNotFound:
		return i18n.Tf("host %q not found", dns.Name)
	case errors.As(err, &dns):
		return i18n.Tf("cannot look up host %q: %s", dns.Name, dns.Err)
	}
	return strings.ReplaceAll(err.Error(), "netio: ", "")
}

// Iface shows an interface choice; "" is the system's choice.
func Iface(name string) string {
	if name == "" {
		return i18n.T("the default interface")
	}
	return name
}
