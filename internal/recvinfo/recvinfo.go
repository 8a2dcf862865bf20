// Package recvinfo reads what the kernel can say about a received UDP
// datagram beyond its bytes and sender: the TTL (IPv4) or hop limit (IPv6)
// it arrived with, and the address it was sent to. Packet anatomy shows the
// TTL as read from the system, and a socket bound to 0.0.0.0 or :: needs
// the destination address to draw the real IP header.
//
// Use: call Enable once on the bound *net.UDPConn, read with
// ReadMsgUDPAddrPort(buf, oob) into an oob buffer of OOBSize bytes, and
// pass oob[:oobn] to ParseTTL and ParseDst. Enabling costs a few control
// messages per datagram. On Linux, macOS and the BSDs Enable sets
// IP_RECVTTL, IPV6_RECVHOPLIMIT, IP_PKTINFO (Linux) or IP_RECVDSTADDR
// (macOS, BSD) and IPV6_RECVPKTINFO, each where the socket's family takes
// it; on a dual-stack IPv6 socket, IPv4 datagrams carry theirs too.
// Elsewhere (Windows) Enable returns ErrUnsupported and the parsers find
// nothing.
package recvinfo

import "errors"

// OOBSize is the out-of-band buffer a read needs for the control messages
// Enable asks for, with room to spare.
const OOBSize = 256

// ErrUnsupported says this system's received TTL and destination are not
// read here.
var ErrUnsupported = errors.New("the received TTL and destination address are not available on this system")
