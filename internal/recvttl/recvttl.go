// Package recvttl reports the TTL (IPv4) or hop limit (IPv6) of received
// UDP datagrams: the one header field of a received packet that the socket
// API can tell, and that packet anatomy then shows as read from the system.
//
// Use: call Enable once on the bound *net.UDPConn, read with
// ReadMsgUDPAddrPort(buf, oob) with an oob buffer of OOBSize bytes, and pass
// oob[:oobn] to Parse. Enabling costs one small control message per
// datagram. On Linux, macOS and the BSDs Enable sets IP_RECVTTL and
// IPV6_RECVHOPLIMIT; on a dual-stack IPv6 socket both, so IPv4 datagrams
// arriving on it carry their TTL too. Elsewhere (Windows) Enable returns
// ErrUnsupported and Parse finds nothing.
package recvttl

import "errors"

// OOBSize is the out-of-band buffer a read needs for the TTL control
// message (with room to spare for others the socket may carry).
const OOBSize = 128

// ErrUnsupported says this system's received TTL is not read here.
var ErrUnsupported = errors.New("the received TTL is not available on this system")
