//go:build !linux

package netio

import (
	"net"
	"net/netip"
)

// batchReader is not used here: datagrams are read one per system call.
type batchReader struct{}

func newBatchReader(*net.UDPConn) *batchReader { return nil }

func (*batchReader) read() ([]byte, netip.AddrPort, []byte, error) {
	panic("netio: no batch reader on this system")
}
