package cli

import (
	"errors"
	"flag"
	"net/netip"
	"strings"

	"github.com/sockdesk/sockdesk/netio"
)

// mcastFlags are the multicast flags of `udp listen` (--join, --iface) and `udp
// send` (--iface, --ttl, --no-loop).
type mcastFlags struct {
	join   listFlag
	iface  string
	ttl    string
	noLoop bool
}

func (f *mcastFlags) registerListen(fs *flag.FlagSet) {
	fs.Var(&f.join, "join", "multicast group to join (repeat, or a comma list)")
	fs.StringVar(&f.iface, "iface", "", "interface to join the groups on")
}

func (f *mcastFlags) registerSend(fs *flag.FlagSet) {
	fs.StringVar(&f.iface, "iface", "", "interface to send to a group through")
	fs.StringVar(&f.ttl, "ttl", "", "TTL / hop limit of datagrams to a group")
	fs.BoolVar(&f.noLoop, "no-loop", false, "this host's own members get no copy")
}

// groups reads --join: each value may be a comma list; all groups one family.
func (f *mcastFlags) groups() ([]string, error) {
	var out []string
	var first netip.Addr
	for _, v := range f.join {
		for _, s := range strings.Split(v, ",") {
			g, err := netio.ParseGroup(s)
			if err != nil {
				return nil, usageErr("--join: %s", errText(err))
			}
			if first.IsValid() && first.Is4() != g.Is4() {
				return nil, usageErr("--join: %s and %s are of different IP families; run one listener per family", first, g)
			}
			if !first.IsValid() {
				first = g
			}
			out = append(out, g.String())
		}
	}
	return out, nil
}

// checkIface reads --iface: it must name an interface of this host.
func (f *mcastFlags) checkIface() (string, error) {
	name := strings.TrimSpace(f.iface)
	if _, err := netio.LookupInterface(name); err != nil {
		return "", usageErr("--iface: %s", errText(err))
	}
	return name, nil
}

// listenConfig checks the listener's flags and fills cfg; bind is --bind, which
// with --join may only be the groups' wildcard address.
func (f *mcastFlags) listenConfig(cfg *netio.UDPConfig, bind string) error {
	groups, err := f.groups()
	if err != nil {
		return err
	}
	iface, err := f.checkIface()
	if err != nil {
		return err
	}
	if iface != "" && len(groups) == 0 {
		return usageErr("--iface: needs --join GROUP (the interface to join the group on)")
	}
	if len(groups) > 0 && bind != "" {
		want := "0.0.0.0"
		if strings.Contains(groups[0], ":") {
			want = "::"
		}
		if h, err := netip.ParseAddr(strings.Trim(bind, "[]")); err != nil || h.String() != want {
			return usageErr("--bind: %s would not receive datagrams sent to %s; leave --bind out (it binds %s)", bind, groups[0], want)
		}
	}
	cfg.Join, cfg.Iface = groups, iface
	return nil
}

// sendConfig checks the sender's flags against the destination and fills cfg:
// they only mean something for a group, so with a unicast --to they are an error
// rather than silently ignored.
func (f *mcastFlags) sendConfig(cfg *netio.UDPConfig, dst netip.Addr) error {
	iface, err := f.checkIface()
	if err != nil {
		return err
	}
	ttl, err := parseCount("ttl", f.ttl)
	if err != nil {
		return err
	}
	if f.ttl != "" && (ttl < 1 || ttl > netio.MaxMulticastTTL) {
		return usageErr("--ttl: %d is out of range (1 to %d)", ttl, netio.MaxMulticastTTL)
	}
	if !dst.Unmap().IsMulticast() {
		for _, fl := range []struct {
			name string
			set  bool
		}{{"iface", iface != ""}, {"ttl", f.ttl != ""}, {"no-loop", f.noLoop}} {
			if fl.set {
				return usageErr("--%s: only applies to a multicast destination, and %s is not one", fl.name, dst.Unmap())
			}
		}
	}
	cfg.Iface, cfg.MulticastTTL, cfg.MulticastNoLoop = iface, int(ttl), f.noLoop
	return nil
}

// joinError reports a listener whose --iface cannot be used for its groups (no
// IPv4 address for an IPv4 group) as bad input, like a missing interface; nil if
// err is something else.
func joinError(err error) error {
	var ie *netio.InterfaceError
	if errors.As(err, &ie) {
		return usageErr("--iface: %s", ie.Reason)
	}
	return nil
}
