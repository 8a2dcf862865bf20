// Package portowner finds the processes that hold a local port, so that a
// bind failing with "address in use" can name who holds it.
//
// It reads the system's socket tables: /proc/net/{tcp,tcp6,udp,udp6} matched
// against the socket links in /proc/PID/fd on Linux; the extended TCP and
// UDP tables of the IP Helper API on Windows; lsof's output on macOS and
// other Unix systems. It never guesses: when the port is held but the
// holder cannot be seen (another user's process, no permission) Lookup
// says so with an error matching ErrNotVisible.
package portowner

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
)

// Process is a process holding a port.
type Process struct {
	PID int
	// Name is the program's name ("nginx", "python3.exe"); empty when the
	// system does not give it.
	Name string
	// Command is the command line where readable (Linux, macOS), the
	// executable's path on Windows; empty when not readable.
	Command string
}

func (p Process) String() string {
	if p.Name == "" {
		return fmt.Sprintf("PID %d", p.PID)
	}
	return fmt.Sprintf("%s (PID %d)", p.Name, p.PID)
}

// The ways Lookup can fail to name a holder. Errors returned wrap one of
// them, with details (for example, the user that owns the socket).
var (
	// ErrNotVisible: the port is held, but by a process this program may
	// not look at (another user's or the system's); an administrator could
	// see it.
	ErrNotVisible = errors.New("the process holding the port cannot be seen (it may be another user's; an administrator could see it)")
	// ErrNoSocket: no socket on this port appears in the system's tables.
	ErrNoSocket = errors.New("no socket on this port appears in the system's socket tables")
	// ErrUnsupported: this system's socket tables cannot be read here.
	ErrUnsupported = errors.New("finding the process that holds a port is not supported here")
)

// Lookup returns the processes holding the local port addr.Port() for
// network "tcp", "tcp4", "tcp6", "udp", "udp4" or "udp6". A socket holds it
// when its port is the same and its address is the same, or either address
// is unspecified (0.0.0.0 or ::): such sockets conflict on bind. An
// IPv4-mapped address counts as IPv4, and an unspecified or zero address
// in addr stands for any address. For TCP, listening sockets and
// connections bound to the port both count (with lsof, listening ones only).
func Lookup(network string, addr netip.AddrPort) ([]Process, error) {
	proto, err := protocolOf(network)
	if err != nil {
		return nil, err
	}
	if addr.Port() == 0 {
		return nil, fmt.Errorf("portowner: port 0 is not a port a process holds")
	}
	procs, err := lookup(proto, addr)
	if err != nil {
		return nil, fmt.Errorf("portowner: %s port %d: %w", proto, addr.Port(), err)
	}
	sort.Slice(procs, func(i, j int) bool { return procs[i].PID < procs[j].PID })
	return procs, nil
}

func protocolOf(network string) (string, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
		return "tcp", nil
	case "udp", "udp4", "udp6":
		return "udp", nil
	}
	return "", fmt.Errorf("portowner: network %q: want tcp or udp", network)
}

// conflicts says whether a socket bound to (sock, port) holds the port the
// query wants.
func conflicts(sock netip.Addr, port uint16, want netip.AddrPort) bool {
	if port != want.Port() {
		return false
	}
	s, w := sock.Unmap(), want.Addr().Unmap()
	return !w.IsValid() || s.IsUnspecified() || w.IsUnspecified() || s == w
}

// addUnique appends p unless a process with its PID is there already.
func addUnique(ps []Process, p Process) []Process {
	for _, q := range ps {
		if q.PID == p.PID {
			return ps
		}
	}
	return append(ps, p)
}
