package netio

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"

	"github.com/sockdesk/sockdesk/internal/hostport"
)

// MaxMulticastTTL is the largest TTL (IPv4) or hop limit (IPv6) a datagram can carry.
const MaxMulticastTTL = 255

// ParseGroup reads a multicast group address ("239.1.2.3", "ff01::1"). Names are
// not resolved: a group is a literal, and a typo must not become a DNS lookup.
func ParseGroup(s string) (netip.Addr, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}, errors.New("missing multicast group address")
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("%q is not an IP address", s)
	}
	a = a.Unmap()
	if !a.IsMulticast() {
		return netip.Addr{}, fmt.Errorf("%s is not a multicast address (IPv4: 224.0.0.0/4, IPv6: ff00::/8)", a)
	}
	return a, nil
}

// parseGroups reads the groups to join; they must all be of one family, because
// one socket (bound to one family's wildcard address) receives them.
func parseGroups(in []string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, s := range in {
		g, err := ParseGroup(s)
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && g.Is4() != out[0].Is4() {
			return nil, fmt.Errorf("groups %s and %s are of different IP families; use one listener per family", out[0], g)
		}
		out = append(out, g)
	}
	return out, nil
}

// InterfaceError is an interface that cannot be used for multicast: there is no
// such interface, or it has no IPv4 address to name it by for an IPv4 group.
type InterfaceError struct {
	Name   string
	Reason string // the whole message, e.g. "no interface named eth9"
}

func (e *InterfaceError) Error() string { return e.Reason }

// LookupInterface finds an interface by name for multicast; "" means none chosen
// (the system picks by its routes) and returns nil.
func LookupInterface(name string) (*net.Interface, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, nil
	}
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return nil, &InterfaceError{Name: name, Reason: "no interface named " + name}
	}
	return ifc, nil
}

// ifaceIPv4 is the interface's first IPv4 address: IPv4 multicast options name an
// interface by address (the form every system accepts).
func ifaceIPv4(ifc *net.Interface) ([4]byte, error) {
	if ifc == nil {
		return [4]byte{}, nil // INADDR_ANY: the system's choice
	}
	addrs, err := ifc.Addrs()
	if err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if ip4 := n.IP.To4(); ip4 != nil {
					return [4]byte(ip4), nil
				}
			}
		}
	}
	return [4]byte{}, &InterfaceError{Name: ifc.Name, Reason: "interface " + ifc.Name + " has no IPv4 address"}
}

func ifaceIndex(ifc *net.Interface) int {
	if ifc == nil {
		return 0 // the system's choice
	}
	return ifc.Index
}

func ifaceLabel(ifc *net.Interface) string {
	if ifc == nil {
		return "the default interface"
	}
	return ifc.Name
}

// groupBind is the address a listener for groups binds. A socket bound to a
// unicast address does not receive datagrams sent to a group, so the host must be
// empty (meaning the wildcard of the groups' family: 0.0.0.0 or ::) or that
// wildcard itself. Binding the wildcard also receives unicast to the port, which is
// what a workbench wants to see.
func groupBind(bind string, groups []netip.Addr) (string, error) {
	host, port, err := hostport.Split(bind, true)
	if err != nil {
		return "", err
	}
	want := netip.IPv6Unspecified()
	if groups[0].Is4() {
		want = netip.IPv4Unspecified()
	}
	if host != "" {
		h, err := netip.ParseAddr(host)
		if err != nil || h != want {
			return "", &hostport.Error{Input: bind, Reason: fmt.Sprintf("bind address %s would not receive datagrams sent to %s; leave it empty or use %s", host, groups[0], want)}
		}
	}
	return hostport.Join(want.String(), port), nil
}

// JoinError is a group that could not be joined: not a multicast address, of the
// other family than its companions, or refused by the system. Err may be an
// *InterfaceError when the interface is the problem.
type JoinError struct {
	Group string
	Err   error
}

func (e *JoinError) Error() string {
	if e.Group == "" {
		return "netio: join: " + e.Err.Error()
	}
	return "netio: join " + e.Group + ": " + e.Err.Error()
}

func (e *JoinError) Unwrap() error { return e.Err }

// membership is one group joined on one interface, to be left at Close.
type membership struct {
	group netip.Addr
	ifc   *net.Interface
	ifv4  [4]byte
}

func (m membership) join(rc syscall.RawConn) error {
	if m.group.Is4() {
		return joinIPv4(rc, m.group.As4(), m.ifv4)
	}
	return joinIPv6(rc, m.group.As16(), ifaceIndex(m.ifc))
}

func (m membership) leave(rc syscall.RawConn) error {
	if m.group.Is4() {
		return leaveIPv4(rc, m.group.As4(), m.ifv4)
	}
	return leaveIPv6(rc, m.group.As16(), ifaceIndex(m.ifc))
}

// joinGroups joins every configured group on the configured interface and returns
// the line the listening event shows, e.g. "joined 239.1.2.3 on lo".
func (u *UDPEndpoint) joinGroups(rc syscall.RawConn, groups []netip.Addr, ifc *net.Interface) (string, error) {
	if len(groups) == 0 {
		return "", nil
	}
	names := make([]string, 0, len(groups))
	for _, g := range groups {
		m := membership{group: g, ifc: ifc}
		if g.Is4() {
			ip, err := ifaceIPv4(ifc)
			if err != nil {
				return "", &JoinError{Group: g.String(), Err: err}
			}
			m.ifv4 = ip
		}
		if err := m.join(rc); err != nil {
			return "", &JoinError{Group: g.String(), Err: fmt.Errorf("on %s: %w", ifaceLabel(ifc), err)}
		}
		u.joined = append(u.joined, m)
		names = append(names, g.String())
	}
	return "joined " + strings.Join(names, ", ") + " on " + ifaceLabel(ifc), nil
}

// leaveGroups leaves what joinGroups joined. Closing the socket would leave them
// too; leaving first says so explicitly and frees the membership at once, and a
// failure is of no consequence because the close follows.
func (u *UDPEndpoint) leaveGroups(rc syscall.RawConn) {
	for _, m := range u.joined {
		_ = m.leave(rc)
	}
	u.joined = nil
}

// mcastSend holds the per-family multicast send options, applied to the socket the
// first time a datagram goes to a group of that family: a dual-stack socket sends
// to IPv4 groups with the IPv4 options and to IPv6 groups with the IPv6 ones.
type mcastSend struct {
	mu   sync.Mutex
	done [2]bool // [0] IPv4, [1] IPv6
	err  [2]error
}

// prepareMulticast applies Iface, MulticastTTL and MulticastNoLoop for dst's family
// once, and returns the same error for every later send if that failed.
func (u *UDPEndpoint) prepareMulticast(dst netip.Addr) error {
	if !dst.IsMulticast() {
		return nil
	}
	fam := 1
	if dst.Is4() {
		fam = 0
	}
	s := &u.mcast
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.done[fam] {
		s.done[fam] = true
		s.err[fam] = u.applyMulticastOptions(dst.Is4())
	}
	return s.err[fam]
}

func (u *UDPEndpoint) applyMulticastOptions(v4 bool) error {
	cfg := u.cfg
	if cfg.Iface == "" && cfg.MulticastTTL == 0 && !cfg.MulticastNoLoop {
		return nil // the system's defaults: its route, TTL 1, loop on
	}
	ifc, err := LookupInterface(cfg.Iface)
	if err != nil {
		return err
	}
	rc, err := u.conn.SyscallConn()
	if err != nil {
		return err
	}
	if v4 {
		if ifc != nil {
			ip, err := ifaceIPv4(ifc)
			if err != nil {
				return err
			}
			if err := setMulticastIfIPv4(rc, ip); err != nil {
				return fmt.Errorf("use interface %s: %w", ifc.Name, err)
			}
		}
		if cfg.MulticastTTL > 0 {
			if err := setMulticastTTLIPv4(rc, cfg.MulticastTTL); err != nil {
				return fmt.Errorf("set TTL %d: %w", cfg.MulticastTTL, err)
			}
		}
		if err := setMulticastLoopIPv4(rc, !cfg.MulticastNoLoop); err != nil {
			return err
		}
		// On a dual-stack (IPv6) socket Linux takes the loop switch for IPv4
		// groups from the IPv6 option, so set that one as well.
		if !u.isIPv4Socket() {
			return setMulticastLoopIPv6(rc, !cfg.MulticastNoLoop)
		}
		return nil
	}
	if ifc != nil {
		if err := setMulticastIfIPv6(rc, ifc.Index); err != nil {
			return fmt.Errorf("use interface %s: %w", ifc.Name, err)
		}
	}
	if cfg.MulticastTTL > 0 {
		if err := setMulticastHopsIPv6(rc, cfg.MulticastTTL); err != nil {
			return fmt.Errorf("set hop limit %d: %w", cfg.MulticastTTL, err)
		}
	}
	return setMulticastLoopIPv6(rc, !cfg.MulticastNoLoop)
}

// multicastSendHint explains the usual reason an IPv6 group is unreachable: the
// interface is not multicast-capable (Linux's lo has no MULTICAST flag, so there is
// no ff00::/8 route on it).
func (u *UDPEndpoint) multicastSendHint(dst netip.Addr, err error) error {
	if !dst.IsMulticast() || !errors.Is(err, syscall.ENETUNREACH) {
		return err
	}
	ifc, lerr := LookupInterface(u.cfg.Iface)
	if lerr != nil || ifc == nil || ifc.Flags&net.FlagMulticast != 0 {
		return err
	}
	return fmt.Errorf("%w (interface %s is not multicast-capable: it has no MULTICAST flag)", err, ifc.Name)
}

// checkMulticast validates the multicast settings before a socket is opened.
func (u *UDPEndpoint) checkMulticast() ([]netip.Addr, *net.Interface, error) {
	if u.cfg.MulticastTTL < 0 || u.cfg.MulticastTTL > MaxMulticastTTL {
		return nil, nil, fmt.Errorf("netio: multicast TTL %d is out of range (1 to %d, or 0 for the system default)", u.cfg.MulticastTTL, MaxMulticastTTL)
	}
	groups, err := parseGroups(u.cfg.Join)
	if err != nil {
		return nil, nil, &JoinError{Err: err}
	}
	ifc, err := LookupInterface(u.cfg.Iface)
	if err != nil {
		return nil, nil, fmt.Errorf("netio: multicast: %w", err)
	}
	return groups, ifc, nil
}

func (u *UDPEndpoint) isIPv4Socket() bool {
	a, ok := u.conn.LocalAddr().(*net.UDPAddr)
	return ok && a.IP.To4() != nil
}
