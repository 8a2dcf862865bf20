// Package layers shows what a session's messages looked like on the wire:
// the frames that carried each one (Anatomy: --anatomy, and the app's
// anatomy view) and a pcapng file for Wireshark (PcapSink: --pcap, and the
// app's export).
//
// An event says what the socket API saw: the addresses, ports and bytes, the
// moment, who connected and who closed first. Mapper turns each event into
// the wire steps it implies (a datagram; a three-way handshake started by
// the side that connected; data one way; the four-way close in the order
// this connection closed; a reset), with the two ends as addresses a packet
// can carry. A relayed message is two steps: received on one connection,
// passed on over the other.
//
// What is read and what is rebuilt: addresses, ports, payloads, times and
// the order of the close come from the events; a received datagram's TTL
// and destination address come from the system where the event carries
// them; MAC addresses come from the interface list and the neighbour table
// (packet.LinkFor), and a socket bound to any address (0.0.0.0, ::) is
// drawn with the address the routing table picks for the peer
// (packet.SourceAddr). Everything else (TCP sequence numbers, windows, IP
// IDs, the handshake and close segments themselves) is reconstructed;
// netio/packet marks the source of every field.
package layers
