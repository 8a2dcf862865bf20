package packet

import (
	"net/netip"
	"testing"
)

func TestParseARP(t *testing.T) {
	table := `IP address       HW type     Flags       HW address            Mask     Device
192.0.2.1        0x1         0x2         52:54:00:12:34:56     *        eth0
192.0.2.2        0x1         0x0         00:00:00:00:00:00     *        eth0
192.0.2.3        0x1         0x6         52:54:00:ab:cd:ef     *        eth1
garbage
`
	ns := parseARP([]byte(table))
	if len(ns) != 2 {
		t.Fatalf("%d entries, want 2 (the incomplete one left out): %+v", len(ns), ns)
	}
	mac, ok := lookupMAC(ns, netip.MustParseAddr("192.0.2.3"))
	if !ok || mac.String() != "52:54:00:ab:cd:ef" || ns[1].State != "permanent" || ns[1].Interface != "eth1" {
		t.Errorf("192.0.2.3: %v %v %+v", mac, ok, ns[1])
	}
	if _, ok := lookupMAC(ns, netip.MustParseAddr("192.0.2.2")); ok {
		t.Error("an incomplete entry was found")
	}
}

// The real tables: reading them must work on Linux (netlink needs no
// privilege), whatever they hold.
func TestNeighboursReadsTheSystemTables(t *testing.T) {
	ns, err := Neighbours()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if !n.Addr.IsValid() || len(n.MAC) == 0 {
			t.Errorf("entry without address or MAC: %+v", n)
		}
	}
	if l := LinkFor(netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.2")); l.LocalMAC != nil || l.PeerMAC != nil {
		t.Errorf("loopback has no MACs, got %+v", l)
	}
}
