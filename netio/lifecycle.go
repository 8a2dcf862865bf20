package netio

import (
	"context"
	"net"
	"net/netip"
	"sync"
)

// ctxCloser ties an endpoint's Close to the context it was started with. The
// registration is guarded because the context may end (and call Close) while Start
// is still storing it.
type ctxCloser struct {
	mu   sync.Mutex
	stop func() bool
}

// bind arranges for closeFn to run when ctx ends.
func (c *ctxCloser) bind(ctx context.Context, closeFn func()) {
	c.mu.Lock()
	c.stop = context.AfterFunc(ctx, closeFn)
	c.mu.Unlock()
}

// release forgets the context, so an endpoint closed by hand does not leave a
// callback registered on a long-lived context.
func (c *ctxCloser) release() {
	c.mu.Lock()
	if c.stop != nil {
		c.stop()
	}
	c.mu.Unlock()
}

// network picks "udp4"/"tcp4" for an IPv4 bind address, so that binding 0.0.0.0
// means IPv4 only as people expect; anything else (a name, "::", empty) uses the
// dual-stack network.
func network(proto, hostport string) string {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return proto
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.Is4() {
		return proto + "4"
	}
	return proto
}

// addrPortString prints an address the way people write it: an IPv4 peer of a
// dual-stack socket as 127.0.0.1:5000, not [::ffff:127.0.0.1]:5000.
func addrPortString(ap netip.AddrPort) string {
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()).String()
}
