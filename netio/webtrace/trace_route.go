package webtrace

import (
	"fmt"
	"net"
	"strconv"

	"github.com/sockdesk/sockdesk/internal/neterr"
)

// routeInfo is how this host would send to one address, found without sending
// anything to it.
type routeInfo struct {
	dst      net.IP
	src      net.IP // the source address the kernel picked
	iface    string // the interface that address belongs to
	loopback bool   // dst is on this host: the packets never leave it

	// From the system's routing table and neighbour cache; only where
	// systemRoute can read them (Linux).
	available bool
	route     string // e.g. "default via 192.0.2.1 dev eth0 metric 100"
	gateway   net.IP // nil: the destination is on the local network
	mac       string // the next hop's MAC address, "" if not in the cache
	macState  string // how the cache holds it: "reachable", "stale", "permanent", ...
	err       string // why the table could not be read, if it could not
}

// lookupRoute finds the interface and source address the kernel would use for
// dst, then (where the system allows) the route, gateway and gateway MAC.
func lookupRoute(dst net.IPAddr, port int) (routeInfo, error) {
	ri := routeInfo{dst: dst.IP}
	src, err := sourceFor(dst, port)
	if err != nil {
		return ri, err
	}
	ri.src = src
	ri.iface = interfaceOf(src)
	if dst.IP.IsLoopback() || isOwnAddress(dst.IP) {
		ri.loopback = true
		ri.iface = loopbackName()
		return ri, nil
	}
	systemRoute(&ri)
	return ri, nil
}

// sourceFor asks the kernel which source address it would use to reach dst.
// connect(2) on a UDP socket sends NOTHING — UDP has no handshake — it only
// makes the kernel look dst up in its routing table and fix the socket's local
// address, which we then read and close. No packet, no ARP request.
func sourceFor(dst net.IPAddr, port int) (net.IP, error) {
	if port <= 0 {
		port = 9
	}
	c, err := net.DialUDP("udp", nil, &net.UDPAddr{IP: dst.IP, Port: port, Zone: dst.Zone})
	if err != nil {
		return nil, neterr.Inner(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).IP, nil
}

// interfaceOf names the interface that has address ip, or "" if none does.
func interfaceOf(ip net.IP) string {
	ifs, err := net.Interfaces()
	if err != nil {
		return ""
	}
	for _, ifc := range ifs {
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
				return ifc.Name
			}
		}
	}
	return ""
}

// loopbackName names the loopback interface: lo on Linux, lo0 on macOS.
func loopbackName() string {
	ifs, _ := net.Interfaces()
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagLoopback != 0 {
			return ifc.Name
		}
	}
	return "loopback"
}

// isOwnAddress reports whether ip is one of this host's addresses, which the
// kernel delivers through the loopback interface whatever interface has it.
func isOwnAddress(ip net.IP) bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// routeDetails are the route step's details, and its summary.
func routeDetails(ri routeInfo) (string, []Detail) {
	iface := ri.iface
	if iface == "" {
		iface = "unknown"
	}
	d := []Detail{
		{"destination", ri.dst.String()},
		{"interface", iface},
		{"source address", ri.src.String()},
	}
	if ri.loopback {
		d = append(d, Detail{"gateway", "none: the destination is this host, so nothing leaves it"})
		return "interface " + iface + ", no gateway", d
	}
	if !ri.available {
		msg := "route details are not available on this system"
		if ri.err != "" {
			msg = "route details are not available: " + ri.err
		}
		return "interface " + iface + " from " + ri.src.String(), append(d, Detail{"gateway", msg})
	}
	if ri.route != "" {
		d = append(d, Detail{"route", ri.route})
	}
	hopName, macLabel := "", "destination MAC"
	if ri.gateway != nil {
		hopName, macLabel = ri.gateway.String(), "gateway MAC"
		d = append(d, Detail{"gateway", hopName})
	} else {
		d = append(d, Detail{"gateway", "none: the destination is on the local network"})
	}
	mac := ri.mac
	switch {
	case mac == "":
		mac = "not in the neighbour cache (the system asks with ARP/NDP when it first sends; the trace sent nothing to find it)"
	case ri.macState != "":
		mac += " (" + ri.macState + ", from the neighbour cache)"
	default:
		mac += " (from the neighbour cache)"
	}
	d = append(d, Detail{macLabel, mac})
	summary := fmt.Sprintf("interface %s from %s", iface, ri.src)
	if ri.gateway != nil {
		summary += " via " + hopName
		if ri.mac != "" {
			summary += " (" + ri.mac + ")"
		}
	} else {
		summary += ", no gateway"
	}
	return summary, d
}

// routeString is a route as `ip route` would print it.
func routeString(dst *net.IPNet, gw net.IP, iface string, metric uint32) string {
	s := dst.String()
	if ones, _ := dst.Mask.Size(); ones == 0 {
		s = "default"
	}
	if gw != nil {
		s += " via " + gw.String()
	}
	s += " dev " + iface
	if metric != 0 {
		s += " metric " + strconv.FormatUint(uint64(metric), 10)
	}
	return s
}
