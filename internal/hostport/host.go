package hostport

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode"
)

// HostProblem says what a host that cannot be used looks like it was meant to be.
type HostProblem int

const (
	BadIPv4 HostProblem = iota // digits and dots, but not four numbers from 0 to 255 (999.1.1.1)
	BadIPv6                    // has a colon, but is not an IPv6 address
	BadName                    // a name with a character or a label length no host name has
)

// HostError is a host that is neither an IP address nor a host name. Such a host
// is not handed to a resolver, which would only say "not found" for it.
type HostError struct {
	Host    string
	Problem HostProblem
}

func (e *HostError) Error() string {
	switch e.Problem {
	case BadIPv4:
		return fmt.Sprintf("%q is not a valid IPv4 address (four numbers from 0 to 255)", e.Host)
	case BadIPv6:
		return fmt.Sprintf("%q is not a valid IPv6 address", e.Host)
	}
	return fmt.Sprintf("%q is not a valid host name", e.Host)
}

// CheckHost reports whether h can be a host: an IPv4 or IPv6 address (with a
// zone, fe80::1%eth0), or a name made of labels of letters, digits, hyphens and
// underscores, each at most 63 bytes, 253 in all (a trailing dot allowed). Empty
// is allowed (the caller says whether a host is required). Letters outside ASCII
// are allowed: an internationalised name is the resolver's to judge.
func CheckHost(h string) error {
	if h == "" {
		return nil
	}
	if strings.Contains(h, ":") {
		if _, err := netip.ParseAddr(h); err != nil {
			return &HostError{h, BadIPv6}
		}
		return nil
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return nil
	}
	if strings.Trim(h, "0123456789.") == "" && strings.ContainsAny(h, "0123456789") {
		return &HostError{h, BadIPv4}
	}
	name := strings.TrimSuffix(h, ".")
	if name == "" || len(name) > 253 {
		return &HostError{h, BadName}
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return &HostError{h, BadName}
		}
		for _, r := range label {
			if r != '-' && r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return &HostError{h, BadName}
			}
		}
	}
	return nil
}
