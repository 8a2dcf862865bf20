// Package pcapng writes what Sockdesk sent and received as a pcapng file that
// Wireshark and tshark open, with every message in reconstructed Ethernet,
// IP and UDP or TCP headers (see netio/packet) carrying its real addresses,
// ports, bytes and time.
//
// Nothing here captures packets: a socket program sees payloads, not
// segments, so the file's section comment says the packets are
// reconstructed from socket events. For TCP the Writer keeps each
// connection's sequence and acknowledgement numbers consistent, so
// Wireshark reassembles the stream and its dissectors (HTTP, Modbus/TCP,
// MQTT, ...) decode it:
//
//   - Open: the three-way handshake (SYN, SYN-ACK, ACK) from the side that
//     connected, all stamped with the connect or accept time.
//   - Data: the bytes one side wrote or read, split into segments of at
//     most Options.MSS bytes, PSH on the last. No acknowledgement-only
//     segments are invented between them; each segment's ACK number counts
//     everything the other side sent before it.
//   - Fin: one side's FIN and the other side's ACK of it. Called for each
//     side in the order the connection closed, it draws the four-way close
//     as it happened; CloseConn draws both at once.
//   - Reset: an RST from one side.
//
// A UDP datagram is one frame (Datagram). The Writer is safe for use by
// several goroutines; it writes through a buffer, Flush pushes it out, and
// the first write error is kept and returned by every later call. Create
// writes to a temporary file beside the target and renames it into place
// only on Close, so the user never keeps a half-written file.
//
// File layout: one Section Header Block (little-endian, with shb_comment,
// shb_userappl and shb_os), one Interface Description Block
// (LINKTYPE_ETHERNET, no snap length limit, if_tsresol 9: nanosecond
// timestamps), then one Enhanced Packet Block per frame.
package pcapng
