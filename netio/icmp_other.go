//go:build !linux

package netio

import (
	"net/netip"
	"syscall"
)

// icmpQueue says whether ICMP errors come through a per-socket error queue (Linux,
// with IP_RECVERR), where a send may return one meant for an earlier datagram.
const icmpQueue = false

// icmpReport is one ICMP error the kernel queued for a datagram we sent.
type icmpReport struct {
	dst netip.AddrPort
	err syscall.Errno
}

// enableICMPErrors does nothing here: Windows reports port unreachable as a read
// error (WSAECONNRESET) by itself, and BSD and macOS do not report it for an
// unconnected socket at all.
func enableICMPErrors(syscall.RawConn) error { return nil }

// readICMPErrors has no error queue to read here.
func readICMPErrors(syscall.RawConn) []icmpReport { return nil }
