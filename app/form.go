package app

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
)

// fieldError is bad input in one form field, worded for the status line.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return fmt.Sprintf("%s: %v", e.field, e.err) }
func (e *fieldError) Unwrap() error { return e.err }

// readPort reads a port entry; allowZero accepts 0 (any port) for binding. field,
// here and in readHost, is the field's name as the form shows it (through tr).
func readPort(field string, entry *widget.Entry, allowZero bool) (int, error) {
	p, err := hostport.ParsePort(entry.Text, allowZero)
	if err != nil {
		return 0, &fieldError{field, err}
	}
	return p, nil
}

// readHost reads a host entry: a name, an IPv4 address or an IPv6 address with or
// without brackets. Empty is an error when required.
func readHost(field, text string, required bool) (string, error) {
	h := strings.TrimSpace(text)
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if h == "" && required {
		return "", &fieldError{field, errors.New(tr("enter a host name or address"))}
	}
	if strings.ContainsAny(h, " \t/") {
		return "", &fieldError{field, errors.New(trf("%q is not a host name or address", h))}
	}
	return h, nil
}

// hostAddresses lists this host's IP addresses for bind drop-downs, after the
// wildcard choices.
func hostAddresses() []string {
	out := []string{"0.0.0.0", "::"}
	ifs, err := netio.Interfaces()
	if err != nil {
		return out
	}
	for _, ifc := range ifs {
		for _, cidr := range ifc.Addrs {
			if ip, _, err := net.ParseCIDR(cidr); err == nil && !ip.IsLinkLocalUnicast() {
				out = append(out, ip.String())
			}
		}
	}
	return out
}

// wildcardHint says what a wildcard bind address means: :: takes IPv4 clients
// too where the system allows it (dual stack), which people do not expect.
func wildcardHint(text string) string {
	switch strings.Trim(strings.TrimSpace(text), "[]") {
	case "0.0.0.0":
		return tr("all IPv4 addresses")
	case "::":
		return tr("all IPv4 and IPv6 addresses")
	}
	return ""
}

// newBindHint returns a label under a bind address entry that says what a
// wildcard address means, kept up to date as the entry changes.
func newBindHint(entry *widget.SelectEntry) *widget.Label {
	l := widget.NewLabel(wildcardHint(entry.Text))
	l.Importance = widget.LowImportance
	entry.OnChanged = func(s string) { l.SetText(wildcardHint(s)) }
	return l
}

// broadcastAddresses lists this host's IPv4 broadcast addresses.
func broadcastAddresses() []string {
	var out []string
	ifs, _ := netio.Interfaces()
	for _, ifc := range ifs {
		out = append(out, ifc.Broadcasts...)
	}
	return out
}

// setEnabled enables or disables form fields together: a session's settings are
// fixed while it is open.
func setEnabled(on bool, fields ...fyne.Disableable) {
	for _, f := range fields {
		if on {
			f.Enable()
		} else {
			f.Disable()
		}
	}
}
