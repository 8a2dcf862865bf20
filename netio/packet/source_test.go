package packet

import (
	"net"
	"net/netip"
	"testing"
)

func TestSourceAddrOnLoopback(t *testing.T) {
	src, ok := SourceAddr(netip.MustParseAddr("127.0.0.7"))
	if !ok || !src.Is4() || !src.IsLoopback() {
		t.Errorf("the source towards 127.0.0.7 is %v (%v), want a loopback IPv4 address", src, ok)
	}
	if c, err := net.ListenPacket("udp6", "[::1]:0"); err == nil {
		c.Close()
		if src, ok := SourceAddr(netip.IPv6Loopback()); !ok || src != netip.IPv6Loopback() {
			t.Errorf("the source towards ::1 is %v (%v)", src, ok)
		}
	}
}
