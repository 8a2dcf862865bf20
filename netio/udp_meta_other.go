//go:build !linux

package netio

import (
	"errors"
	"syscall"

	"github.com/sockdesk/sockdesk/internal/recvinfo"
)

// enableDropCount says the count is not available here.
func enableDropCount(syscall.RawConn) error {
	return errors.New("the system does not count the datagrams it drops at a socket")
}

// parseMeta reads the TTL and destination that internal/recvinfo's Enable
// asked for; no drop count comes here.
func parseMeta(oob []byte) (meta datagramMeta, drops uint32, dropsOK bool) {
	meta.ttl, _ = recvinfo.ParseTTL(oob)
	meta.dst, _ = recvinfo.ParseDst(oob)
	return meta, 0, false
}
