package netio

import (
	"net"
	"net/netip"
)

// Interface is one network interface of this host, as a person picking a bind address
// or a broadcast destination wants to see it.
type Interface struct {
	Name       string
	Up         bool
	Loopback   bool
	Addrs      []string // CIDR, e.g. 192.168.1.5/24, fe80::1/64
	Broadcasts []string // IPv4 broadcast addresses, e.g. 192.168.1.255
}

// Interfaces lists the host's interfaces with their addresses and IPv4 broadcast
// addresses (computed from address and mask, as the kernel does).
func Interfaces() ([]Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	out := make([]Interface, 0, len(ifs))
	for _, ifc := range ifs {
		info := Interface{
			Name:     ifc.Name,
			Up:       ifc.Flags&net.FlagUp != 0,
			Loopback: ifc.Flags&net.FlagLoopback != 0,
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			n, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			info.Addrs = append(info.Addrs, n.String())
			if b := broadcastOf(n); b != nil {
				info.Broadcasts = append(info.Broadcasts, b.String())
			}
		}
		out = append(out, info)
	}
	return out, nil
}

// broadcastOf returns the directed broadcast address of an IPv4 network, or nil for
// IPv6 and for /31 and /32 networks, which have none.
func broadcastOf(n *net.IPNet) net.IP {
	ip4 := n.IP.To4()
	if ip4 == nil || len(n.Mask) != net.IPv4len {
		return nil
	}
	if ones, _ := n.Mask.Size(); ones >= 31 {
		return nil
	}
	b := make(net.IP, net.IPv4len)
	for i := range b {
		b[i] = ip4[i] | ^n.Mask[i]
	}
	return b
}

// IsBroadcast reports whether ip is the limited broadcast address or the broadcast
// address of one of this host's networks.
func IsBroadcast(ip net.IP) bool {
	a, ok := netip.AddrFromSlice(ip)
	return ok && isBroadcastIn(a, broadcastAddrs())
}

// isBroadcastIn reports whether a is the limited broadcast address or one of set,
// the host's broadcast addresses (from broadcastAddrs).
func isBroadcastIn(a netip.Addr, set map[netip.Addr]bool) bool {
	a = a.Unmap()
	return a.Is4() && (a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || set[a])
}

// broadcastAddrs reads this host's IPv4 broadcast addresses once, so that the send
// path does not ask the kernel for the interface list on every datagram.
func broadcastAddrs() map[netip.Addr]bool {
	set := make(map[netip.Addr]bool)
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return set
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if b, ok := netip.AddrFromSlice(broadcastOf(n)); ok {
				set[b.Unmap()] = true
			}
		}
	}
	return set
}
