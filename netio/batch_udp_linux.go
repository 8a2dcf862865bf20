//go:build linux

package netio

import (
	"encoding/binary"
	"syscall"
	"unsafe"

	"github.com/sockdesk/sockdesk/internal/neterr"
)

// rawSender sends a burst of datagrams with sendto(2) called directly, all inside
// one RawConn.Write, instead of one WriteTo each.
//
// Why: a process with a goroutine waiting on the network (the endpoint's reader)
// has a thread asleep in epoll_wait, and Go registers every socket for EPOLLOUT.
// Each datagram sent frees send-buffer space, which wakes that thread for nothing;
// with WriteTo each send also goes through the runtime's system-call bookkeeping
// and the descriptor's locks. Measured on a 2-core VM, a bare WriteTo loop loses a
// third of its rate as soon as another goroutine reads a socket; this path gets
// most of it back (see BENCHMARKS.md, case 3). sendto on a non-blocking UDP socket
// never blocks (a full buffer is EAGAIN, and then the poller waits), so the raw
// call cannot stall the scheduler.
type rawSender struct {
	ok  bool
	rc  syscall.RawConn
	sa4 syscall.RawSockaddrInet4
	sa6 syscall.RawSockaddrInet6
	v6  bool // the socket is AF_INET6 (dual-stack); sa6 is the destination
}

// prepare sets up the fast path when the socket and destination allow it: an
// IPv4 or IPv6 socket and a destination of its family (or IPv4, v4-mapped, on a
// dual-stack socket), without an IPv6 zone. Otherwise sends take the ordinary way.
func (w *UDPBatch) prepare() {
	rc, err := w.u.conn.SyscallConn()
	if err != nil {
		return
	}
	domain := -1
	rc.Control(func(fd uintptr) {
		domain, err = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_DOMAIN)
	})
	if err != nil {
		return
	}
	r := &w.raw
	port := binary.NativeEndian.Uint16(binary.BigEndian.AppendUint16(nil, w.to.Port()))
	addr := w.to.Addr()
	switch {
	case domain == syscall.AF_INET && addr.Unmap().Is4():
		r.sa4 = syscall.RawSockaddrInet4{Family: syscall.AF_INET, Port: port, Addr: addr.Unmap().As4()}
	case domain == syscall.AF_INET6 && addr.Zone() == "":
		r.v6 = true
		r.sa6 = syscall.RawSockaddrInet6{Family: syscall.AF_INET6, Port: port, Addr: addr.As16()}
	default:
		return
	}
	r.rc, r.ok = rc, true
}

// send sends the queued datagrams and returns how many went. A datagram the raw
// call refuses (most often an ICMP error that came back for an earlier one, which
// the next call on the socket returns) and the rest of the burst go the ordinary
// way, which reports that error as SendToAddr would and tries again.
func (w *UDPBatch) send() (int, error) {
	r := &w.raw
	if !r.ok {
		return w.sendEach(0)
	}
	sa, saLen := unsafe.Pointer(&r.sa4), unsafe.Sizeof(r.sa4)
	if r.v6 {
		sa, saLen = unsafe.Pointer(&r.sa6), unsafe.Sizeof(r.sa6)
	}
	i := 0
	var refused syscall.Errno
	err := r.rc.Write(func(fd uintptr) bool {
		for i < len(w.ends) {
			p := w.msg(i)
			var buf unsafe.Pointer
			if len(p) > 0 {
				buf = unsafe.Pointer(&p[0])
			}
			_, _, e := syscall.RawSyscall6(syscall.SYS_SENDTO, fd, uintptr(buf), uintptr(len(p)), 0, uintptr(sa), saLen)
			switch e {
			case 0:
				i++
			case syscall.EINTR:
			case syscall.EAGAIN:
				return false // the send buffer is full: wait until it is not
			default:
				refused = e
				return true
			}
		}
		return true
	})
	if err != nil {
		return i, opError(OpSend, "udp", w.peer, neterr.Inner(err))
	}
	if refused != 0 {
		// The refusal consumed the socket's pending error; what the error queue
		// holds is reported now, before this datagram is sent again.
		w.u.reportICMP()
		return w.sendEach(i)
	}
	return i, nil
}
