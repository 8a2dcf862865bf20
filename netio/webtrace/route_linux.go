package webtrace

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/netio/packet"
)

// On Linux the routing table is plain text under /proc; the neighbour caches
// are read by netio/packet (/proc/net/arp, and netlink for IPv6: a question
// to the local kernel, not traffic). Nothing here sends a packet.

// Route flags from <linux/route.h> and <linux/ipv6_route.h>.
const (
	rtfUp      = 0x0001
	rtfGateway = 0x0002
	rtfReject  = 0x0200
	rtfLocal   = 0x80000000 // IPv6: a route to one of this host's own addresses
)

// The files read; variables so that a test could point elsewhere.
var (
	procRoute     = "/proc/net/route"
	procIPv6Route = "/proc/net/ipv6_route"
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
	if ns, err := packet.Neighbours(); err == nil {
		ri.mac, ri.macState = neighbourOn(ns, next, r.iface)
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

// neighbourOn finds ip's MAC in the neighbour table (read by netio/packet:
// ARP and NDP caches, entries being resolved or failed left out), on iface
// when it is named, with the table's opinion of the entry.
func neighbourOn(ns []packet.Neighbour, ip net.IP, iface string) (mac, state string) {
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return "", ""
	}
	for _, n := range ns {
		if n.Addr == addr.Unmap() && (iface == "" || n.Interface == iface) {
			return n.MAC.String(), n.State
		}
	}
	return "", ""
}

func firstParseErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
