//go:build linux

package packet

import (
	"encoding/binary"
	"net"
	"net/netip"
	"syscall"
	"testing"
)

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

// The IPv6 neighbour cache as netlink gives it (the web trace's next-hop
// MAC comes from here too): entries being resolved are left out, the others
// keep the kernel's opinion of them.
func TestParseNeighbours(t *testing.T) {
	mac, _ := net.ParseMAC("02:fc:00:00:00:01")
	var b []byte
	b = append(b, neighMsg(7, nudReachable, net.ParseIP("fd00::1"), mac)...)
	b = append(b, neighMsg(7, nudIncomplete, net.ParseIP("fd00::9"), nil)...)
	b = append(b, neighMsg(7, nudStale, net.ParseIP("fe80::1"), mac)...)
	b = append(b, neighMsg(7, nudPermanent, net.ParseIP("fd00::2"), mac)...)
	ns, err := parseNeighbours(b)
	if err != nil || len(ns) != 3 {
		t.Fatalf("got %+v, %v; want 3 entries", ns, err)
	}
	for _, tc := range []struct{ ip, state string }{
		{"fd00::1", "reachable"},
		{"fe80::1", "stale"},
		{"fd00::2", "permanent"},
	} {
		found := false
		for _, n := range ns {
			if n.Addr == netip.MustParseAddr(tc.ip) {
				found = true
				if n.MAC.String() != mac.String() || n.State != tc.state {
					t.Errorf("%s: %+v, want MAC %v, state %q", tc.ip, n, mac, tc.state)
				}
			}
		}
		if !found {
			t.Errorf("%s: not found in %+v", tc.ip, ns)
		}
	}
	if _, ok := lookupMAC(ns, netip.MustParseAddr("fd00::9")); ok {
		t.Error("an entry being resolved was found")
	}
}
