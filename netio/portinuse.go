package netio

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/internal/portowner"
)

// PortInUseError is the cause of a bind or listen that failed because another
// socket holds the address. It names the processes holding the port, as the
// system's socket tables showed them at the moment of the failure, or says why
// none could be named. errors.Is(err, syscall.EADDRINUSE) and IsAddrInUse still
// hold: it wraps the system's error.
//
// The engine looks the holder up itself, once, when the bind fails: the holder
// may be gone a moment later, and every front end (the command line, the app)
// gets the same answer from the error it already handles.
type PortInUseError struct {
	// Holders are the processes holding the port, by PID; empty when none
	// could be named.
	Holders []portowner.Process
	// LookupErr says why Holders is empty. It wraps portowner.ErrNotVisible
	// (the port is held by a process this program may not look at: another
	// user's, or the system's), portowner.ErrNoSocket, or
	// portowner.ErrUnsupported; nil when Holders is not empty.
	LookupErr error
	// Err is the system's error: EADDRINUSE (WSAEADDRINUSE, or WSAEACCES for
	// an exclusive socket, on Windows).
	Err error

	network string
	port    uint16
}

func (e *PortInUseError) Error() string {
	if len(e.Holders) > 0 {
		return e.Err.Error() + " (held by " + e.HeldBy() + ")"
	}
	return e.Err.Error() + " (" + e.HeldBy() + ")"
}

func (e *PortInUseError) Unwrap() error { return e.Err }

// maxCommandShown bounds a holder's command line in the English text: enough
// to recognise a program by its arguments, not a wall of text.
const maxCommandShown = 160

// HeldBy words, in English, who holds the port: `python3 (PID 4242: python3
// -m http.server 8000)`, several of them separated by commas; or, when none
// could be named, why (`the process holding the port cannot be seen (it may
// be another user's; ...) (the socket belongs to user root (uid 0))`).
func (e *PortInUseError) HeldBy() string {
	if len(e.Holders) == 0 {
		if e.LookupErr == nil {
			return "the process holding it was not looked up"
		}
		// portowner prefixes its errors with what was asked, which the
		// caller's message says already.
		why := e.LookupErr.Error()
		return strings.TrimPrefix(why, fmt.Sprintf("portowner: %s port %d: ", e.network, e.port))
	}
	parts := make([]string, len(e.Holders))
	for i, p := range e.Holders {
		s := p.String()
		if cmd := strings.TrimSpace(p.Command); cmd != "" && cmd != p.Name {
			if len(cmd) > maxCommandShown {
				cmd = cmd[:maxCommandShown] + "..."
			}
			s = strings.TrimSuffix(s, ")") + ": " + cmd + ")"
		}
		parts[i] = s
	}
	return strings.Join(parts, ", ")
}

// portInUse returns err as it is, unless it says the address bind (the
// "host:port" a socket of network proto was bound or listened on) is in use:
// then it returns a *PortInUseError naming the holders.
func portInUse(proto, bind string, err error) error {
	inUse := neterr.IsAddrInUse(err)
	if !inUse && !portowner.IsAddrInUse(err) {
		return err
	}
	host, portS, serr := net.SplitHostPort(bind)
	port, perr := strconv.ParseUint(portS, 10, 16)
	if serr != nil || perr != nil || port == 0 {
		return err
	}
	// A host name, or no host, stands for any address: the lookup then finds
	// every socket on the port.
	addr, _ := netip.ParseAddr(host)
	e := &PortInUseError{Err: err, network: proto, port: uint16(port)}
	e.Holders, e.LookupErr = portowner.Lookup(proto, netip.AddrPortFrom(addr, uint16(port)))
	if !inUse && len(e.Holders) == 0 {
		// Windows' "access denied" may also be a reserved port, not a
		// holder: without one found, it stays the permission error it is.
		return err
	}
	return e
}
