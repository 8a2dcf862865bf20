package netio

import (
	"net"
	"net/netip"
)

// IP families as shown to people: a dual-stack server says which one each client used.
const (
	FamilyIPv4 = "IPv4"
	FamilyIPv6 = "IPv6"
)

// Family names the IP family of a "host:port" address or a bare IP: "IPv4",
// "IPv6", or "" when it is neither. An IPv4-mapped IPv6 address (::ffff:a.b.c.d,
// how a dual-stack socket sees an IPv4 peer) counts as IPv4, because that is the
// family the peer used.
func Family(addr string) string {
	var a netip.Addr
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		a = ap.Addr()
	} else if ip, err := netip.ParseAddr(addr); err == nil {
		a = ip
	} else {
		return ""
	}
	return familyOf(a)
}

func familyOf(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return ""
	case a.Unmap().Is4():
		return FamilyIPv4
	default:
		return FamilyIPv6
	}
}

// netAddrString prints a socket's address unmapped (see addrPortString); other
// kinds of address print as they do.
func netAddrString(a net.Addr) string {
	if a == nil {
		return ""
	}
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return addrPortString(ap)
	}
	return a.String()
}
