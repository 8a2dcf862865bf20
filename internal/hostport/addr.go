package hostport

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode"
)

// Error is a host:port the user typed that cannot be used, with the reason. Err,
// when set, is the error the reason was made from (a *HostError).
type Error struct {
	Input  string
	Reason string
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("address %q: %s", e.Input, e.Reason)
}

func (e *Error) Unwrap() error { return e.Err }

// ParsePort reads a port number. allowZero accepts 0 ("any port") for binding.
func ParsePort(s string, allowZero bool) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("port is empty")
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("port %q is not a number", s)
	}
	lo := 1
	if allowZero {
		lo = 0
	}
	if n < lo || n > 65535 {
		return 0, fmt.Errorf("port %d is out of range %d-65535", n, lo)
	}
	return n, nil
}

// Split splits "host:port", "[v6]:port" or ":port" and checks the port.
// An IPv6 address without brackets is refused with a hint, because "::1:80" could
// mean two different things.
func Split(s string, allowZeroPort bool) (host string, port int, err error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return "", 0, &Error{Input: s, Reason: "empty; expected HOST:PORT"}
	}
	h, p, splitErr := net.SplitHostPort(in)
	if splitErr != nil {
		switch {
		case strings.Count(in, ":") > 1 && !strings.HasPrefix(in, "["):
			return "", 0, &Error{Input: s, Reason: "put an IPv6 address in brackets, e.g. [::1]:9000"}
		case strings.HasPrefix(in, "[") && strings.HasSuffix(in, "]"):
			return "", 0, &Error{Input: s, Reason: "missing port; expected [IPv6]:PORT"}
		case !strings.Contains(in, ":"):
			return "", 0, &Error{Input: s, Reason: "missing port; expected HOST:PORT"}
		default:
			return "", 0, &Error{Input: s, Reason: "expected HOST:PORT"}
		}
	}
	// No host name or address has these; "[ ]:80" or "a b:80" is a typo, better
	// said now than as a failed lookup.
	if strings.IndexFunc(h, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", 0, &Error{Input: s, Reason: fmt.Sprintf("host %q has a space or control character in it", h)}
	}
	if err := CheckHost(h); err != nil {
		return "", 0, &Error{Input: s, Reason: err.Error(), Err: err}
	}
	port, err = ParsePort(p, allowZeroPort)
	if err != nil {
		return "", 0, &Error{Input: s, Reason: err.Error()}
	}
	return h, port, nil
}

// Join is net.JoinHostPort with an int port.
func Join(host string, port int) string {
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// BindAddress turns a bind address and port into the string to listen on. An empty
// address means all addresses. An IPv6 address may come with or without brackets.
func BindAddress(addr string, port int) string {
	addr = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(addr), "["), "]")
	return Join(addr, port)
}

// CheckLocalBind rejects a bind address that is a literal IP not on this host with a
// clearer message than the kernel's EADDRNOTAVAIL.
func CheckLocalBind(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil || host == "" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.IsUnspecified() || ip.IsLoopback() {
		return nil
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return nil
		}
	}
	return &Error{Input: hostport, Reason: fmt.Sprintf("%s is not an address of this host", host)}
}
