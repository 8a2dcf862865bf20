package app

import (
	"errors"
	"net"

	"github.com/sockdesk/sockdesk/app/wording"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
)

// errorText words an error for a person (package wording); a field error keeps
// its field's name in front, so the message says where the problem is.
func errorText(err error) string {
	var fe *fieldError
	if errors.As(err, &fe) {
		return fe.field + ": " + wording.Cause(fe.err)
	}
	return wording.Error(err)
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
	case errors.As(err, &ae) && ae.Err != nil:
		return &fieldError{addrField, ae.Err}
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
