package netio

import (
	"context"
	"fmt"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/framing"
)

// TCPRelayConfig describes a TCP relay: a listener whose every client is connected
// onward to one target, with the bytes passed both ways.
type TCPRelayConfig struct {
	Listen     string           // "host:port" to listen on; ":0" picks a port
	Target     string           // "host:port" every client is connected on to
	Timeout    time.Duration    // connect timeout towards the target; 0 = DefaultConnectTimeout
	MaxClients int              // 0 = no limit; clients over the limit are closed and counted
	Charset    *charset.Charset // decodes the log text of both directions; nil = UTF-8
	Sink       Sink
	// Frame cuts each direction's stream into messages for the events (one
	// received event per frame); the bytes are still passed on as they are
	// read. The zero Spec is none: one event per read.
	Frame framing.Spec
	// MaxFrame bounds a frame; 0 means framing.DefaultMaxFrame.
	MaxFrame int
}

// RelayPair describes one client and its connection to the target.
type RelayPair struct {
	ID     uint64
	Client string // the client's address
	Target string // the target's address; the configured one while connecting
	Since  time.Time
	// Stats counts what was passed on: In is client → target, Out is target → client.
	Stats Stats
}

// TCPRelay accepts clients and connects each to the target (a "port forwarder"),
// showing both directions in one stream of events: received events with Dir
// DirToTarget or DirToClient, Peer the client and Target the target. Bytes are
// passed on as they arrive; the events go to the Sink, which never holds them up.
type TCPRelay struct {
	cfg      TCPRelayConfig
	em       emitter
	ln       net.Listener
	local    string
	totals   Counters
	rejected atomic.Uint64
	nextID   atomic.Uint64
	live     atomic.Bool // Start has finished: ln is set
	cs       charsetRef  // Charset, changed by SetCharset

	mu     sync.Mutex
	pairs  map[uint64]*relayPair
	closed bool

	dialCtx    context.Context // ends on Close, abandoning connects in progress
	cancelDial context.CancelFunc
	quit       chan struct{}
	wg         sync.WaitGroup
	closeOnce  sync.Once
	ctxClose   ctxCloser
}

// NewTCPRelay returns a relay that listens on Start.
func NewTCPRelay(cfg TCPRelayConfig) *TCPRelay {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultConnectTimeout
	}
	r := &TCPRelay{
		cfg:   cfg,
		em:    newEmitter("tcp", cfg.Sink),
		pairs: make(map[uint64]*relayPair),
		quit:  make(chan struct{}),
	}
	r.cs.Store(cfg.Charset)
	r.dialCtx, r.cancelDial = context.WithCancel(context.Background())
	return r
}

// Start checks the target address, listens, emits listening with the real address
// and starts accepting. It returns once the listener is bound. The target is not
// contacted until a client arrives. Cancelling ctx closes the relay.
func (r *TCPRelay) Start(ctx context.Context) error {
	host, _, err := hostport.Split(r.cfg.Target, false)
	if err != nil {
		return fmt.Errorf("netio: relay target: %w", err)
	}
	if host == "" {
		return fmt.Errorf("netio: relay target: %w", &hostport.Error{Input: r.cfg.Target, Reason: "missing host"})
	}
	if err := hostport.CheckLocalBind(r.cfg.Listen); err != nil {
		return opError(OpListen, "tcp", "", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, network("tcp", r.cfg.Listen), r.cfg.Listen)
	if err != nil {
		return opError(OpListen, "tcp", r.cfg.Listen, portInUse("tcp", r.cfg.Listen, neterr.Inner(err)))
	}
	r.ln = ln
	r.local = ln.Addr().String()
	r.em.emit(Event{Kind: EventListening, Local: r.local, Target: r.cfg.Target, Framing: framingName(r.cfg.Frame)})
	r.live.Store(true)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		acceptLoop(r.ln, r.em, r.local, r.quit, r.admit)
	}()
	r.ctxClose.bind(ctx, func() { r.Close() })
	return nil
}

// Addr is the listening address (with the real port when :0 was asked for); nil
// before Start has succeeded.
func (r *TCPRelay) Addr() net.Addr {
	if !r.live.Load() {
		return nil
	}
	return r.ln.Addr()
}

// SetCharset changes the charset the log text of both directions is decoded in,
// from the next read on; nil means UTF-8. Safe to call while the relay runs.
func (r *TCPRelay) SetCharset(cs *charset.Charset) { r.cs.Store(cs) }

// Target is the configured target address.
func (r *TCPRelay) Target() string { return r.cfg.Target }

// Stats is the total over all pairs, past and present: In is client → target, Out
// is target → client.
func (r *TCPRelay) Stats() Stats { return r.totals.Snapshot() }

// Rejected counts clients refused because MaxClients was reached.
func (r *TCPRelay) Rejected() uint64 { return r.rejected.Load() }

// admit starts a pair for a new client, or refuses it when the relay is full or
// closing. The target is dialled on the pair's goroutine, so a slow target never
// holds up the accept loop.
func (r *TCPRelay) admit(conn net.Conn) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		conn.Close()
		return
	}
	if r.cfg.MaxClients > 0 && len(r.pairs) >= r.cfg.MaxClients {
		r.mu.Unlock()
		r.rejected.Add(1)
		peer := conn.RemoteAddr().String()
		conn.Close()
		r.em.emit(Event{Kind: EventClosed, Local: r.local, Peer: peer, Reason: ReasonMaxClients})
		return
	}
	p := newRelayPair(conn, r.nextID.Add(1), r.cfg.Target, r)
	r.pairs[p.id] = p
	r.wg.Add(1)
	r.mu.Unlock()

	r.em.emit(p.event(EventAccepted, conn.LocalAddr().String()))
	go func() {
		defer r.wg.Done()
		p.run(r.cfg.Timeout, func() {
			r.mu.Lock()
			delete(r.pairs, p.id)
			r.mu.Unlock()
		})
	}()
}

// Pairs lists the current pairs in the order their clients arrived.
func (r *TCPRelay) Pairs() []RelayPair {
	r.mu.Lock()
	out := make([]RelayPair, 0, len(r.pairs))
	for _, p := range r.pairs {
		out = append(out, p.info())
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Disconnect closes one pair, both its connections, and waits until it is gone.
func (r *TCPRelay) Disconnect(id uint64) error {
	r.mu.Lock()
	p := r.pairs[id]
	r.mu.Unlock()
	if p == nil {
		return fmt.Errorf("netio: pair %d: %w", id, ErrNoClient)
	}
	p.closeLocal()
	<-p.done
	return nil
}

// Close stops accepting, closes every pair, waits for every goroutine and emits
// closed for the listener. Safe to call more than once.
func (r *TCPRelay) Close() error {
	r.closeOnce.Do(func() {
		r.cancelDial()
		if !r.live.Load() {
			return
		}
		r.ctxClose.release()
		r.mu.Lock()
		r.closed = true
		for _, p := range r.pairs {
			p.closeLocal()
		}
		r.mu.Unlock()
		close(r.quit)
		r.ln.Close()
		r.wg.Wait()
		r.em.emit(Event{Kind: EventClosed, Local: r.local, Reason: ReasonLocal})
	})
	return nil
}
