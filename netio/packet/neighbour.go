package packet

import (
	"errors"
	"net"
	"net/netip"
)

// Neighbour is one entry of this host's neighbour table: the MAC address of
// a host on a directly attached link (ARP for IPv4, NDP for IPv6).
type Neighbour struct {
	Addr      netip.Addr
	MAC       net.HardwareAddr
	Interface string // the interface's name, when known
	// State is the kernel's opinion of the entry: "permanent", "reachable",
	// "stale", "being checked", "no ARP needed", or empty.
	State string
}

// ErrNoNeighbourTable says this system's neighbour table cannot be read here
// (only Linux's is read).
var ErrNoNeighbourTable = errors.New("the neighbour table cannot be read on this system")

// LookupMAC finds addr in the neighbour table. Entries still being resolved
// or failed are absent. ok is false when the table has no usable entry or
// cannot be read.
func LookupMAC(addr netip.Addr) (mac net.HardwareAddr, ok bool) {
	ns, err := Neighbours()
	if err != nil {
		return nil, false
	}
	return lookupMAC(ns, addr.Unmap())
}

func lookupMAC(ns []Neighbour, addr netip.Addr) (net.HardwareAddr, bool) {
	for _, n := range ns {
		if n.Addr == addr && len(n.MAC) > 0 {
			return n.MAC, true
		}
	}
	return nil, false
}

// LinkFor finds the real MAC addresses of a message's two ends: the local
// one from the interface that holds the local address, the peer's from the
// neighbour table. Both must be found for the Link to be used; a peer behind
// a router is not in the table (the frame would carry the router's MAC, and
// which router is a routing question this does not answer), so its Link has
// no MACs and Build says they are unknown. Loopback needs no lookup.
func LinkFor(local, peer netip.Addr) Link {
	local, peer = local.Unmap(), peer.Unmap()
	if local.IsLoopback() || peer.IsLoopback() {
		return Link{}
	}
	localMAC, ok := interfaceMAC(local)
	if !ok {
		return Link{}
	}
	peerMAC, ok := LookupMAC(peer)
	if !ok {
		return Link{}
	}
	return Link{LocalMAC: localMAC, PeerMAC: peerMAC, Source: FromSystem}
}

// interfaceMAC is the MAC of the interface that holds addr.
func interfaceMAC(addr netip.Addr) (net.HardwareAddr, bool) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, false
	}
	for _, ifc := range ifaces {
		addrs, err := ifc.Addrs()
		if err != nil || len(ifc.HardwareAddr) != 6 {
			continue
		}
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(ipn.IP); ok && ip.Unmap() == addr {
					return ifc.HardwareAddr, true
				}
			}
		}
	}
	return nil, false
}
