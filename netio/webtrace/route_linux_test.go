package webtrace

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

// The parsers read copies of real /proc files; the live tests only read /proc
// and ask the kernel about loopback. Nothing is sent anywhere.

// A host with a default route via 192.0.2.1 on eth0 and 192.0.2.0/24 on-link.
// The addresses are the kernel's 32-bit values in host byte order, which is
// how /proc/net/route prints them; the fixture is built for this machine's
// byte order.
func procRouteFixture() string {
	hexIP := func(s string) string {
		return fmt.Sprintf("%08X", binary.NativeEndian.Uint32(net.ParseIP(s).To4()))
	}
	return "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"eth0\t" + hexIP("0.0.0.0") + "\t" + hexIP("192.0.2.1") + "\t0003\t0\t0\t100\t" + hexIP("0.0.0.0") + "\t0\t0\t0\n" +
		"eth0\t" + hexIP("192.0.2.0") + "\t" + hexIP("0.0.0.0") + "\t0001\t0\t0\t0\t" + hexIP("255.255.255.0") + "\t0\t0\t0\n" +
		"wg0\t" + hexIP("0.0.0.0") + "\t" + hexIP("0.0.0.0") + "\t0001\t0\t0\t50\t" + hexIP("0.0.0.0") + "\t0\t0\t0\n" +
		"eth1\t" + hexIP("10.0.0.0") + "\t" + hexIP("0.0.0.0") + "\t0000\t0\t0\t0\t" + hexIP("255.0.0.0") + "\t0\t0\t0\n"
}

func TestParseIPv4Routes(t *testing.T) {
	routes, err := parseIPv4Routes([]byte(procRouteFixture()))
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) != 4 {
		t.Fatalf("got %d routes", len(routes))
	}
	for _, tc := range []struct {
		dst, iface, want string
	}{
		// The longest prefix wins.
		{"192.0.2.77", "eth0", "192.0.2.0/24 dev eth0"},
		// Two defaults: the one on the interface the kernel picked wins over a
		// lower metric elsewhere.
		{"198.51.100.1", "eth0", "default via 192.0.2.1 dev eth0 metric 100"},
		{"198.51.100.1", "wg0", "default dev wg0 metric 50"},
		// Without a preference, the lower metric.
		{"198.51.100.1", "", "default dev wg0 metric 50"},
		// A route that is down does not count.
		{"10.1.2.3", "eth0", "default via 192.0.2.1 dev eth0 metric 100"},
	} {
		r, ok := bestRoute(routes, net.ParseIP(tc.dst), tc.iface)
		if !ok {
			t.Errorf("%s: no route", tc.dst)
			continue
		}
		if got := routeString(&r.dst, r.gw, r.iface, r.metric); got != tc.want {
			t.Errorf("%s on %q: got %q, want %q", tc.dst, tc.iface, got, tc.want)
		}
	}
	if _, err := parseIPv4Routes([]byte("Iface\tDestination\neth0\tzz\n")); err == nil {
		t.Error("a malformed line should be an error")
	}
}

// Copied from a machine with IPv6: a default via fd00::1, the local routes
// (which only match this host's own addresses), and the reject route the
// kernel keeps on lo.
const procIPv6RouteFixture = `fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0
00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000004 00000000 80200001       lo
fd000000000000000000000000000002 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000003 00000000 80200001     eth0
ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000003 00000000 00000001     eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
`

func TestParseIPv6Routes(t *testing.T) {
	routes, err := parseIPv6Routes([]byte(procIPv6RouteFixture))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dst, want string }{
		{"2001:db8::1", "default via fd00::1 dev eth0 metric 1024"},
		{"fd00::5", "fd00::/64 dev eth0 metric 256"},
		{"fd00::2", "fd00::/64 dev eth0 metric 256"}, // the local /128 is skipped
		{"fe80::1", "fe80::/64 dev eth0 metric 256"},
	} {
		r, ok := bestRoute(routes, net.ParseIP(tc.dst), "eth0")
		if !ok {
			t.Errorf("%s: no route", tc.dst)
			continue
		}
		if got := routeString(&r.dst, r.gw, r.iface, r.metric); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.dst, got, tc.want)
		}
	}
	if _, err := parseIPv6Routes([]byte("00 00\n")); err == nil {
		t.Error("a malformed line should be an error")
	}
}

const procARPFixture = `IP address       HW type     Flags       HW address            Mask     Device
192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0
192.0.2.9        0x1         0x0         00:00:00:00:00:00     *        eth0
192.0.2.10       0x1         0x6         02:fc:00:00:00:0a     *        eth0
192.0.2.11       0x1         0x2         02:fc:00:00:00:0b     *        eth1
`

func TestParseARP(t *testing.T) {
	entries := parseARP([]byte(procARPFixture))
	for _, tc := range []struct{ ip, iface, mac, state string }{
		{"192.0.2.1", "eth0", "02:fc:00:00:00:05", ""},
		{"192.0.2.9", "eth0", "", ""}, // incomplete: asked, no answer yet
		{"192.0.2.10", "eth0", "02:fc:00:00:00:0a", "permanent"},
		{"192.0.2.11", "eth0", "", ""}, // known, but on another interface
		{"192.0.2.99", "eth0", "", ""},
	} {
		mac, state := lookupARP(entries, net.ParseIP(tc.ip), tc.iface)
		if mac != tc.mac || state != tc.state {
			t.Errorf("%s: got %q %q, want %q %q", tc.ip, mac, state, tc.mac, tc.state)
		}
	}
}

// neighMsg builds one RTM_NEWNEIGH message as the kernel sends it.
func neighMsg(ifindex int32, state uint16, ip net.IP, mac net.HardwareAddr) []byte {
	attr := func(typ uint16, val []byte) []byte {
		a := binary.NativeEndian.AppendUint16(nil, uint16(rtattrHeaderLen+len(val)))
		a = binary.NativeEndian.AppendUint16(a, typ)
		a = append(a, val...)
		for len(a)%4 != 0 {
			a = append(a, 0)
		}
		return a
	}
	body := []byte{syscall.AF_INET6, 0, 0, 0}
	body = binary.NativeEndian.AppendUint32(body, uint32(ifindex))
	body = binary.NativeEndian.AppendUint16(body, state)
	body = append(body, 0, 0)
	body = append(body, attr(ndaDst, ip.To16())...)
	if mac != nil {
		body = append(body, attr(ndaLLAddr, mac)...)
	}
	msg := binary.NativeEndian.AppendUint32(nil, uint32(syscall.NLMSG_HDRLEN+len(body)))
	msg = binary.NativeEndian.AppendUint16(msg, syscall.RTM_NEWNEIGH)
	msg = binary.NativeEndian.AppendUint16(msg, 0)
	msg = binary.NativeEndian.AppendUint32(msg, 1)
	msg = binary.NativeEndian.AppendUint32(msg, 0)
	return append(msg, body...)
}

func TestParseNeighbours(t *testing.T) {
	mac, _ := net.ParseMAC("02:fc:00:00:00:01")
	var b []byte
	b = append(b, neighMsg(7, nudReachable, net.ParseIP("fd00::1"), mac)...)
	b = append(b, neighMsg(7, nudIncomplete, net.ParseIP("fd00::9"), nil)...)
	b = append(b, neighMsg(7, nudStale, net.ParseIP("fe80::1"), mac)...)
	ns, err := parseNeighbours(b)
	if err != nil || len(ns) != 3 {
		t.Fatalf("got %v, %v", ns, err)
	}
	if ns[0].ifindex != 7 || ns[0].mac != "02:fc:00:00:00:01" || !ns[0].ip.Equal(net.ParseIP("fd00::1")) {
		t.Errorf("first entry %+v", ns[0])
	}
	for _, tc := range []struct{ ip, mac, state string }{
		{"fd00::1", "02:fc:00:00:00:01", "reachable"},
		{"fd00::9", "", ""},
		{"fe80::1", "02:fc:00:00:00:01", "stale"},
		{"fd00::5", "", ""},
	} {
		mac, state := lookupNeighbour(ns, net.ParseIP(tc.ip), "")
		if mac != tc.mac || state != tc.state {
			t.Errorf("%s: got %q %q, want %q %q", tc.ip, mac, state, tc.mac, tc.state)
		}
	}
}

// Live, loopback: the source address and interface come from the kernel.
func TestLookupRouteLoopback(t *testing.T) {
	ri, err := lookupRoute(net.IPAddr{IP: net.ParseIP("127.0.0.1")}, 80)
	if err != nil {
		t.Fatal(err)
	}
	summary, d := routeDetails(ri)
	if !ri.loopback || ri.iface != loopbackName() || !ri.src.Equal(net.ParseIP("127.0.0.1")) ||
		summary != "interface "+loopbackName()+", no gateway" || len(d) != 4 {
		t.Errorf("got %+v, %q %v", ri, summary, d)
	}
}

// Live, reading /proc only: the table this machine has yields a route for a
// documentation address whenever it has a default route.
func TestSystemRouteReadsProc(t *testing.T) {
	b, err := os.ReadFile(procRoute)
	if err != nil {
		t.Skipf("no %s here: %v", procRoute, err)
	}
	routes, err := parseIPv4Routes(b)
	if err != nil {
		t.Fatalf("%s does not parse: %v", procRoute, err)
	}
	if _, ok := bestRoute(routes, net.ParseIP("198.51.100.1"), ""); !ok {
		t.Skip("no default route on this machine")
	}
	ri := routeInfo{dst: net.ParseIP("198.51.100.1")}
	systemRoute(&ri)
	if !ri.available || ri.route == "" || ri.err != "" {
		t.Errorf("got %+v", ri)
	}
	summary, d := routeDetails(ri)
	if summary == "" || len(d) < 5 {
		t.Errorf("%q %v", summary, d)
	}
}
