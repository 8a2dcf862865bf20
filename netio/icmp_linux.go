//go:build linux

package netio

import (
	"encoding/binary"
	"net/netip"
	"syscall"
)

// icmpQueue says whether ICMP errors come through a per-socket error queue (Linux,
// with IP_RECVERR), where a send may return one meant for an earlier datagram.
const icmpQueue = true

// icmpReport is one ICMP error the kernel queued for a datagram we sent.
type icmpReport struct {
	dst netip.AddrPort // where the datagram was going
	err syscall.Errno  // e.g. ECONNREFUSED for port unreachable
}

// maxICMPReports bounds one drain of the error queue, so a flood of ICMP cannot
// keep the reader from real datagrams; what is left is read at the next error.
const maxICMPReports = 64

// enableICMPErrors sets IP_RECVERR (and IPV6_RECVERR): without it Linux reports ICMP
// errors only on connected UDP sockets. The errors then come as a read error plus an
// entry in the socket's error queue, which readICMPErrors must drain, because queued
// entries count against the receive buffer.
func enableICMPErrors(rc syscall.RawConn) error {
	var opErr error
	err := rc.Control(func(fd uintptr) {
		// An IPv6 socket takes both: IPv4-mapped traffic reports at the IP level.
		e4 := syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_RECVERR, 1)
		e6 := syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_RECVERR, 1)
		if e4 != nil && e6 != nil {
			opErr = e4
		}
	})
	if err != nil {
		return err
	}
	return opErr
}

// readICMPErrors drains the socket's error queue without waiting.
func readICMPErrors(rc syscall.RawConn) []icmpReport {
	var out []icmpReport
	rc.Control(func(fd uintptr) {
		var data [64]byte // the start of the datagram that failed; not needed
		var oob [256]byte
		for len(out) < maxICMPReports {
			_, oobn, _, from, err := syscall.Recvmsg(int(fd), data[:], oob[:], syscall.MSG_ERRQUEUE|syscall.MSG_DONTWAIT)
			if err != nil {
				return // EAGAIN: the queue is empty
			}
			if r, ok := parseICMPReport(oob[:oobn], from); ok {
				out = append(out, r)
			}
		}
	})
	return out
}

// parseICMPReport reads the struct sock_extended_err at the start of an
// IP_RECVERR/IPV6_RECVERR control message; its first field is the errno.
func parseICMPReport(oob []byte, from syscall.Sockaddr) (icmpReport, bool) {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return icmpReport{}, false
	}
	for _, m := range msgs {
		isErr := m.Header.Level == syscall.IPPROTO_IP && m.Header.Type == syscall.IP_RECVERR ||
			m.Header.Level == syscall.IPPROTO_IPV6 && m.Header.Type == syscall.IPV6_RECVERR
		if !isErr || len(m.Data) < 4 {
			continue
		}
		r := icmpReport{err: syscall.Errno(binary.NativeEndian.Uint32(m.Data))}
		switch sa := from.(type) {
		case *syscall.SockaddrInet4:
			r.dst = netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
		case *syscall.SockaddrInet6:
			r.dst = netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), uint16(sa.Port))
		}
		return r, r.err != 0
	}
	return icmpReport{}, false
}
