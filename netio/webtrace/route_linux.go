package webtrace

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/sockdesk/sockdesk/internal/neterr"
)

// On Linux the routing table and the IPv4 neighbour (ARP) cache are plain text
// under /proc; the IPv6 neighbour cache is only in netlink, which is a question
// to the local kernel, not traffic. Nothing here sends a packet.

// Route flags from <linux/route.h> and <linux/ipv6_route.h>.
const (
	rtfUp      = 0x0001
	rtfGateway = 0x0002
	rtfReject  = 0x0200
	rtfLocal   = 0x80000000 // IPv6: a route to one of this host's own addresses
)

// ARP flags from <linux/if_arp.h>.
const (
	atfComplete = 0x02
	atfPerm     = 0x04
)

// The files read; variables so that a test could point elsewhere.
var (
	procRoute     = "/proc/net/route"
	procIPv6Route = "/proc/net/ipv6_route"
	procARP       = "/proc/net/arp"
)

// kernelRoute is one line of a routing table.
type kernelRoute struct {
	dst    net.IPNet
	gw     net.IP // nil when the route has no gateway
	iface  string
	metric uint32
	flags  uint32
}

// systemRoute fills in the route, gateway and next-hop MAC from the kernel.
func systemRoute(ri *routeInfo) {
	v4 := ri.dst.To4() != nil
	path, parse := procIPv6Route, parseIPv6Routes
	if v4 {
		path, parse = procRoute, parseIPv4Routes
	}
	b, err := os.ReadFile(path)
	if err != nil {
		ri.err = "cannot read " + path + ": " + neterr.Inner(err).Error()
		return
	}
	routes, err := parse(b)
	if err != nil {
		ri.err = path + ": " + err.Error()
		return
	}
	ri.available = true
	r, ok := bestRoute(routes, ri.dst, ri.iface)
	if !ok {
		ri.route = "no matching route in the main table (policy routing may have picked the interface)"
		return
	}
	ri.route = routeString(&r.dst, r.gw, r.iface, r.metric)
	if ri.iface == "" {
		ri.iface = r.iface
	}
	next := ri.dst
	if r.gw != nil {
		ri.gateway = r.gw
		next = r.gw
	}
	if v4 {
		if b, err := os.ReadFile(procARP); err == nil {
			ri.mac, ri.macState = lookupARP(parseARP(b), next, r.iface)
		}
		return
	}
	if ns, err := neighboursV6(); err == nil {
		ri.mac, ri.macState = lookupNeighbour(ns, next, r.iface)
	}
}

// parseIPv4Routes reads /proc/net/route. Addresses there are the kernel's
// 32-bit values printed in host byte order, so the bytes come back with the
// machine's own endianness.
func parseIPv4Routes(b []byte) ([]kernelRoute, error) {
	var out []kernelRoute
	sc := bufio.NewScanner(bytes.NewReader(b))
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if line == 1 || len(f) == 0 {
			continue // the header
		}
		if len(f) < 8 {
			return nil, fmt.Errorf("line %d: %d fields, want at least 8", line, len(f))
		}
		dst, err1 := hexIPv4(f[1])
		gw, err2 := hexIPv4(f[2])
		mask, err3 := hexIPv4(f[7])
		flags, err4 := strconv.ParseUint(f[3], 16, 32)
		metric, err5 := strconv.ParseUint(f[6], 10, 32)
		if err := firstParseErr(err1, err2, err3, err4, err5); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		r := kernelRoute{dst: net.IPNet{IP: dst, Mask: net.IPMask(mask)}, iface: f[0], metric: uint32(metric), flags: uint32(flags)}
		if flags&rtfGateway != 0 {
			r.gw = gw
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

func hexIPv4(s string) (net.IP, error) {
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return nil, fmt.Errorf("bad address %q", s)
	}
	ip := make(net.IP, net.IPv4len)
	binary.NativeEndian.PutUint32(ip, uint32(v))
	return ip, nil
}

// parseIPv6Routes reads /proc/net/ipv6_route: destination, prefix length,
// source, source prefix length, next hop, metric, reference count, use count,
// flags, interface. Addresses there are in network byte order.
func parseIPv6Routes(b []byte) ([]kernelRoute, error) {
	var out []kernelRoute
	sc := bufio.NewScanner(bytes.NewReader(b))
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) < 10 {
			return nil, fmt.Errorf("line %d: %d fields, want 10", line, len(f))
		}
		dst, err1 := hex.DecodeString(f[0])
		plen, err2 := strconv.ParseUint(f[1], 16, 8)
		gw, err3 := hex.DecodeString(f[4])
		metric, err4 := strconv.ParseUint(f[5], 16, 32)
		flags, err5 := strconv.ParseUint(f[8], 16, 32)
		if err := firstParseErr(err1, err2, err3, err4, err5); err != nil || len(dst) != net.IPv6len || len(gw) != net.IPv6len || plen > 128 {
			return nil, fmt.Errorf("line %d: malformed", line)
		}
		r := kernelRoute{
			dst:   net.IPNet{IP: net.IP(dst), Mask: net.CIDRMask(int(plen), 128)},
			iface: f[9], metric: uint32(metric), flags: uint32(flags),
		}
		if flags&rtfGateway != 0 && !net.IP(gw).IsUnspecified() {
			r.gw = net.IP(gw)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

// bestRoute picks the route the kernel would use from its main table: the
// longest matching prefix, then the interface the kernel actually chose for
// the source address (so policy routing is not second-guessed), then the
// lowest metric. Routes that are down, reject routes and local routes (for
// this host's own addresses, handled as loopback before) do not count.
func bestRoute(routes []kernelRoute, dst net.IP, iface string) (kernelRoute, bool) {
	var best kernelRoute
	bestLen := -1
	for _, r := range routes {
		if r.flags&rtfUp == 0 || r.flags&rtfReject != 0 || r.flags&rtfLocal != 0 || !r.dst.Contains(dst) {
			continue
		}
		ones, _ := r.dst.Mask.Size()
		better := ones > bestLen
		if ones == bestLen {
			switch sameA, sameB := r.iface == iface, best.iface == iface; {
			case sameA != sameB:
				better = sameA
			default:
				better = r.metric < best.metric
			}
		}
		if better {
			best, bestLen = r, ones
		}
	}
	return best, bestLen >= 0
}

// arpEntry is one line of /proc/net/arp.
type arpEntry struct {
	ip    net.IP
	mac   string
	flags uint64
	iface string
}

// parseARP reads /proc/net/arp: IP address, HW type, flags, HW address, mask,
// device. Lines it cannot read are skipped: the cache is advisory.
func parseARP(b []byte) []arpEntry {
	var out []arpEntry
	sc := bufio.NewScanner(bytes.NewReader(b))
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if line == 1 || len(f) < 6 {
			continue
		}
		ip := net.ParseIP(f[0])
		flags, err := strconv.ParseUint(strings.TrimPrefix(f[2], "0x"), 16, 32)
		if ip == nil || err != nil {
			continue
		}
		out = append(out, arpEntry{ip: ip, mac: f[3], flags: flags, iface: f[5]})
	}
	return out
}

// lookupARP finds ip's MAC address in the ARP cache. An incomplete entry (an
// ARP request went out and nothing answered yet) counts as absent.
func lookupARP(entries []arpEntry, ip net.IP, iface string) (mac, state string) {
	for _, e := range entries {
		if !e.ip.Equal(ip) || (iface != "" && e.iface != iface) {
			continue
		}
		if e.flags&atfComplete == 0 || e.mac == "00:00:00:00:00:00" {
			return "", ""
		}
		if e.flags&atfPerm != 0 {
			return e.mac, "permanent"
		}
		return e.mac, ""
	}
	return "", ""
}

// neighbour is one entry of the kernel's neighbour cache.
type neighbour struct {
	ip      net.IP
	mac     string
	ifindex int
	state   uint16
}

// Neighbour attributes and states from <linux/neighbour.h>.
const (
	ndaDst          = 1
	ndaLLAddr       = 2
	nudIncomplete   = 0x01
	nudReachable    = 0x02
	nudStale        = 0x04
	nudDelay        = 0x08
	nudProbe        = 0x10
	nudFailed       = 0x20
	nudNoARP        = 0x40
	nudPermanent    = 0x80
	ndmsgLen        = 12
	rtattrHeaderLen = 4
)

// neighboursV6 dumps the IPv6 neighbour cache over netlink.
func neighboursV6() ([]neighbour, error) {
	b, err := syscall.NetlinkRIB(syscall.RTM_GETNEIGH, syscall.AF_INET6)
	if err != nil {
		return nil, err
	}
	return parseNeighbours(b)
}

// parseNeighbours reads RTM_NEWNEIGH messages: a struct ndmsg (family, pad,
// ifindex, state, flags, type) followed by attributes, of which NDA_DST is the
// address and NDA_LLADDR the MAC.
func parseNeighbours(b []byte) ([]neighbour, error) {
	msgs, err := syscall.ParseNetlinkMessage(b)
	if err != nil {
		return nil, err
	}
	var out []neighbour
	for _, m := range msgs {
		if m.Header.Type != syscall.RTM_NEWNEIGH || len(m.Data) < ndmsgLen {
			continue
		}
		n := neighbour{
			ifindex: int(int32(binary.NativeEndian.Uint32(m.Data[4:8]))),
			state:   binary.NativeEndian.Uint16(m.Data[8:10]),
		}
		for a := m.Data[ndmsgLen:]; len(a) >= rtattrHeaderLen; {
			l := int(binary.NativeEndian.Uint16(a[0:2]))
			if l < rtattrHeaderLen || l > len(a) {
				break
			}
			val := a[rtattrHeaderLen:l]
			switch binary.NativeEndian.Uint16(a[2:4]) {
			case ndaDst:
				n.ip = net.IP(bytes.Clone(val))
			case ndaLLAddr:
				n.mac = net.HardwareAddr(val).String()
			}
			a = a[min(len(a), (l+3)&^3):]
		}
		if n.ip != nil {
			out = append(out, n)
		}
	}
	return out, nil
}

// lookupNeighbour finds ip's MAC in the neighbour cache, with the cache's
// opinion of it. Incomplete and failed entries count as absent.
func lookupNeighbour(ns []neighbour, ip net.IP, iface string) (mac, state string) {
	index := 0
	if ifc, err := net.InterfaceByName(iface); err == nil {
		index = ifc.Index
	}
	for _, n := range ns {
		if !n.ip.Equal(ip) || (index != 0 && n.ifindex != index) {
			continue
		}
		if n.mac == "" || n.state&(nudIncomplete|nudFailed) != 0 {
			return "", ""
		}
		return n.mac, neighbourState(n.state)
	}
	return "", ""
}

func neighbourState(s uint16) string {
	switch {
	case s&nudPermanent != 0:
		return "permanent"
	case s&nudNoARP != 0:
		return "no ARP needed"
	case s&nudReachable != 0:
		return "reachable"
	case s&nudStale != 0:
		return "stale"
	case s&(nudDelay|nudProbe) != 0:
		return "being checked"
	}
	return ""
}

func firstParseErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
