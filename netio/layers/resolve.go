package layers

import (
	"net/netip"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// What the system's tables said is remembered for a while: a busy session
// would otherwise read the neighbour table, or open a routing socket, for
// every message, and the tables change far more slowly than that.
const (
	rememberFor    = 10 * time.Second
	rememberAtMost = 1024 // entries, so a scan of many peers cannot grow it for ever
)

// memo remembers a function's answers for rememberFor.
type memo[K comparable, V any] struct {
	mu      sync.Mutex
	entries map[K]memoEntry[V]
	ask     func(K) V
}

type memoEntry[V any] struct {
	v  V
	at time.Time
}

func (m *memo[K, V]) get(k K) V {
	now := time.Now()
	m.mu.Lock()
	if e, ok := m.entries[k]; ok && now.Sub(e.at) < rememberFor {
		m.mu.Unlock()
		return e.v
	}
	m.mu.Unlock()
	v := m.ask(k) // outside the lock: it reads system tables
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil || len(m.entries) >= rememberAtMost {
		m.entries = map[K]memoEntry[V]{}
	}
	m.entries[k] = memoEntry[V]{v, now}
	return v
}

type addrPair struct{ local, peer netip.Addr }

var links = memo[addrPair, packet.Link]{ask: func(p addrPair) packet.Link { return packet.LinkFor(p.local, p.peer) }}

// LinkFor is packet.LinkFor (the MAC addresses of a message's two ends, from
// the interface list and the neighbour table), remembered for a few
// seconds. It is the pcapng.Options.LinkFor a file of a busy session wants.
func LinkFor(local, peer netip.Addr) packet.Link {
	local, peer = local.Unmap(), peer.Unmap()
	if local.IsLoopback() || peer.IsLoopback() {
		return packet.Link{}
	}
	return links.get(addrPair{local, peer})
}

type sourceAnswer struct {
	addr netip.Addr
	ok   bool
}

var sources = memo[netip.Addr, sourceAnswer]{ask: func(peer netip.Addr) sourceAnswer {
	a, ok := packet.SourceAddr(peer)
	return sourceAnswer{a, ok}
}}

// concreteLocal returns local with a wildcard address (0.0.0.0, ::) replaced
// by the address the routing table picks for peer, and whether it was
// replaced. Without a route the wildcard stays.
func concreteLocal(local, peer netip.AddrPort) (netip.AddrPort, bool) {
	if !local.Addr().Unmap().IsUnspecified() || !peer.IsValid() {
		return local, false
	}
	a := sources.get(peer.Addr().Unmap())
	if !a.ok {
		return local, false
	}
	return netip.AddrPortFrom(a.addr, local.Port()), true
}
