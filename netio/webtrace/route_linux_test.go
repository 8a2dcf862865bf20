package webtrace

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os"
	"testing"

	"github.com/sockdesk/sockdesk/netio/packet"
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

// The route's next hop is looked up in netio/packet's neighbour table, on
// the route's interface.
func TestNeighbourOn(t *testing.T) {
	mac := func(s string) net.HardwareAddr { m, _ := net.ParseMAC(s); return m }
	ns := []packet.Neighbour{
		{Addr: netip.MustParseAddr("192.0.2.1"), MAC: mac("02:fc:00:00:00:05"), Interface: "eth0"},
		{Addr: netip.MustParseAddr("192.0.2.10"), MAC: mac("02:fc:00:00:00:0a"), Interface: "eth0", State: "permanent"},
		{Addr: netip.MustParseAddr("192.0.2.11"), MAC: mac("02:fc:00:00:00:0b"), Interface: "eth1"},
		{Addr: netip.MustParseAddr("fd00::1"), MAC: mac("02:fc:00:00:00:01"), Interface: "eth0", State: "reachable"},
	}
	for _, tc := range []struct{ ip, iface, mac, state string }{
		{"192.0.2.1", "eth0", "02:fc:00:00:00:05", ""},
		{"192.0.2.10", "eth0", "02:fc:00:00:00:0a", "permanent"},
		{"192.0.2.11", "eth0", "", ""}, // known, but on another interface
		{"192.0.2.11", "", "02:fc:00:00:00:0b", ""},
		{"192.0.2.99", "eth0", "", ""},
		{"fd00::1", "eth0", "02:fc:00:00:00:01", "reachable"},
	} {
		mac, state := neighbourOn(ns, net.ParseIP(tc.ip), tc.iface)
		if mac != tc.mac || state != tc.state {
			t.Errorf("%s on %q: got %q %q, want %q %q", tc.ip, tc.iface, mac, state, tc.mac, tc.state)
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
