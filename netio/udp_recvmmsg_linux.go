//go:build linux

package netio

import (
	"net"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// recvBatch is how many datagrams one recvmmsg(2) may return. A system call
// costs more than the copy of a datagram (on the 2-core VMs of BENCHMARKS.md
// about 1.5 µs a call against 0.2 µs a datagram): a listener that fell behind
// catches up in a sixteenth of the calls.
const recvBatch = 16

// oobSlot is each datagram's room for control messages: recvinfo's and
// SO_RXQ_OVFL's, with room to spare.
const oobSlot = 320

// mmsghdr is struct mmsghdr: a msghdr and the length received.
type mmsghdr struct {
	hdr syscall.Msghdr
	n   uint32
}

// batchReader reads datagrams recvBatch at a time and hands them out one by
// one. Its buffers are made once: 1 MiB for the datagrams (a datagram may be
// 64 KiB), of which only the pages a datagram touched are resident.
type batchReader struct {
	rc     syscall.RawConn
	slab   []byte
	oob    []byte
	names  [recvBatch]syscall.RawSockaddrInet6
	iovs   [recvBatch]syscall.Iovec
	hdrs   [recvBatch]mmsghdr
	n      int                   // datagrams in the batch
	next   int                   // the next one to hand out
	got    int                   // what recv read, or
	errno  syscall.Errno         // why it failed
	recvFn func(fd uintptr) bool // recv, made once: a method value allocates

	zoneID   uint32 // the last IPv6 zone named, and its name
	zoneName string
}

func newBatchReader(conn *net.UDPConn) *batchReader {
	rc, err := conn.SyscallConn()
	if err != nil {
		return nil
	}
	b := &batchReader{rc: rc, slab: make([]byte, recvBatch*maxDatagram), oob: make([]byte, recvBatch*oobSlot)}
	b.recvFn = b.recv
	for i := range b.hdrs {
		b.iovs[i].Base = &b.slab[i*maxDatagram]
		b.iovs[i].SetLen(maxDatagram)
		b.hdrs[i].hdr.Iov = &b.iovs[i]
		b.hdrs[i].hdr.Iovlen = 1
		b.hdrs[i].hdr.Name = (*byte)(unsafe.Pointer(&b.names[i]))
		b.hdrs[i].hdr.Control = &b.oob[i*oobSlot]
	}
	return b
}

// maxDatagram is a receive slot: the largest UDP payload, rounded up.
const maxDatagram = 64 << 10

// read returns the next datagram (its bytes are valid until the next read),
// its sender and its out-of-band data, reading a new batch when the last one
// is used up.
func (b *batchReader) read() ([]byte, netip.AddrPort, []byte, error) {
	if b.next == b.n {
		if err := b.fill(); err != nil {
			return nil, netip.AddrPort{}, nil, err
		}
	}
	i := b.next
	b.next++
	h := &b.hdrs[i]
	data := b.slab[i*maxDatagram : i*maxDatagram+int(h.n)]
	oob := b.oob[i*oobSlot : i*oobSlot+int(h.hdr.Controllen)]
	return data, b.sender(&b.names[i]), oob, nil
}

// fill waits for datagrams and reads as many as have come, up to recvBatch.
func (b *batchReader) fill() error {
	if err := b.rc.Read(b.recvFn); err != nil {
		return err
	}
	if b.errno != 0 {
		return os.NewSyscallError("recvmmsg", b.errno)
	}
	b.n, b.next = b.got, 0
	return nil
}

// recv is one recvmmsg on fd, without waiting (so the raw call, without the
// runtime's system-call bookkeeping); false asks RawConn.Read to wait until fd
// is readable and call again.
func (b *batchReader) recv(fd uintptr) bool {
	for i := range b.hdrs {
		b.hdrs[i].hdr.Namelen = syscall.SizeofSockaddrInet6
		b.hdrs[i].hdr.SetControllen(oobSlot)
	}
	for {
		r, _, e := syscall.RawSyscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&b.hdrs[0])), recvBatch, unix.MSG_DONTWAIT, 0, 0)
		switch e {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		}
		b.got, b.errno = int(r), e
		return true
	}
}

// sender is the address a datagram came from, as net's ReadMsgUDPAddrPort
// gives it.
func (b *batchReader) sender(sa *syscall.RawSockaddrInet6) netip.AddrPort {
	port := func(p *uint16) uint16 {
		be := (*[2]byte)(unsafe.Pointer(p))
		return uint16(be[0])<<8 | uint16(be[1])
	}
	switch sa.Family {
	case syscall.AF_INET:
		sa4 := (*syscall.RawSockaddrInet4)(unsafe.Pointer(sa))
		return netip.AddrPortFrom(netip.AddrFrom4(sa4.Addr), port(&sa4.Port))
	case syscall.AF_INET6:
		a := netip.AddrFrom16(sa.Addr)
		if sa.Scope_id != 0 {
			a = a.WithZone(b.zone(sa.Scope_id))
		}
		return netip.AddrPortFrom(a, port(&sa.Port))
	}
	return netip.AddrPort{}
}

// zone names an IPv6 zone (an interface index) as net does: the interface's
// name, or the index when it has none.
func (b *batchReader) zone(id uint32) string {
	if id != b.zoneID || b.zoneName == "" {
		b.zoneID, b.zoneName = id, strconv.FormatUint(uint64(id), 10)
		if ifc, err := net.InterfaceByIndex(int(id)); err == nil {
			b.zoneName = ifc.Name
		}
	}
	return b.zoneName
}
