// Package packet draws a message as the frames that carry it on the wire:
// Ethernet II, IPv4 or IPv6, UDP or TCP, and the application's bytes.
//
// The socket API hands a program only the payload, the addresses and the
// ports; the headers around them are built by the kernel and never seen. So
// Build reconstructs them, and says for every field where its value came from
// (see Source): read from the system (a received TTL, a MAC from the
// neighbour table), taken from the socket API (addresses, ports, the payload),
// computed from other fields (lengths, checksums), or reconstructed (an IP ID,
// TCP sequence numbers, a window: values the kernel chose and did not report).
//
// Loopback: a message between two addresses of this host never reaches a
// wire. Linux's loopback device nevertheless carries an Ethernet header with
// both MAC addresses zero (tcpdump on lo shows exactly that), so a frame here
// always starts with a 14-byte Ethernet II header; on loopback its MACs are
// zero and the layer's sentence says there is no real Ethernet. This keeps
// every frame of a pcapng file LINKTYPE_ETHERNET.
//
// Each layer carries one short English sentence (Sentence) built from a fixed
// format string and a few arguments, so a front end can translate the format
// (see Formats) and fill in the arguments itself. WriteText renders a frame
// for a terminal: layer by layer, then a hex dump with a row of letters under
// each line marking the layer of every byte.
//
// Neighbours reads this host's neighbour table (ARP and IPv6 neighbour cache)
// on Linux, and LinkFor uses it and the interface list to find real MACs.
package packet
