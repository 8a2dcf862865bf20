package netio

import (
	"context"
	"crypto/tls"
	"errors"
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
	"github.com/sockdesk/sockdesk/netio/respond"
)

// serverReadBuffer is the read size per server client: small enough that thousands of
// idle clients stay cheap; a client that streams grows its buffer to maxReadBuffer.
const serverReadBuffer = 16 << 10

// ErrNoClient is returned for a client id the server does not have (any more).
var ErrNoClient = errors.New("no such client")

// TCPServerConfig describes a listening TCP server.
type TCPServerConfig struct {
	Bind       string // "host:port"; ":0" picks a port
	MaxClients int    // 0 = no limit; clients over the limit are closed and counted
	Echo       bool   // send back whatever a client sends
	Charset    *charset.Charset
	Sink       Sink
	// Responder, if not nil, answers each chunk a rule matches on every
	// connection, on that connection.
	Responder *respond.Responder
	// TLS, if set, makes this a TLS server: each client's handshake runs on
	// its own goroutine, and only a client that completes it is accepted.
	TLS *TLSServerOptions
	// Frame cuts each connection's stream into messages (see netio/framing): one
	// received event per frame, checked and answered as a message. The zero
	// Spec is none: one event per read.
	Frame framing.Spec
	// MaxFrame bounds a frame (and what a connection holds for one); 0 means
	// framing.DefaultMaxFrame.
	MaxFrame int
}

// ClientInfo describes one connected client.
type ClientInfo struct {
	ID     uint64
	Addr   string
	Family string // "IPv4" or "IPv6": what the client used (a dual-stack server takes both)
	Since  time.Time
	Stats  Stats
}

// TCPServer accepts any number of clients, each served by its own goroutine.
type TCPServer struct {
	cfg      TCPServerConfig
	em       emitter
	ln       net.Listener
	local    string
	tlsCfg   *tls.Config // nil for plain TCP
	totals   Counters
	rejected atomic.Uint64
	nextID   atomic.Uint64
	live     atomic.Bool // Start has finished: ln is set
	cs       charsetRef  // Charset, changed by SetCharset

	mu      sync.Mutex
	clients map[uint64]*tcpConn
	closed  bool

	quit      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	ctxClose  ctxCloser
}

// NewTCPServer returns a server that listens on Start.
func NewTCPServer(cfg TCPServerConfig) *TCPServer {
	s := &TCPServer{
		cfg:     cfg,
		em:      newEmitter("tcp", cfg.Sink),
		clients: make(map[uint64]*tcpConn),
		quit:    make(chan struct{}),
	}
	s.cs.Store(cfg.Charset)
	return s
}

// SetCharset changes the charset for what every client sends and is sent from
// now on; nil means UTF-8. Safe to call from any goroutine while the server runs.
func (s *TCPServer) SetCharset(cs *charset.Charset) { s.cs.Store(cs) }

// Start listens, emits listening with the real address, and starts accepting. It
// returns once the listener is bound, before any client is served. Go sets
// SO_REUSEADDR on listeners, so a restart does not wait out TIME_WAIT.
func (s *TCPServer) Start(ctx context.Context) error {
	if err := hostport.CheckLocalBind(s.cfg.Bind); err != nil {
		return opError(OpListen, "tcp", "", err)
	}
	var own *TLSInfo
	if s.cfg.TLS != nil {
		cfg, cert, err := serverTLS(s.cfg.TLS)
		if err != nil {
			return err
		}
		s.tlsCfg, own = cfg, &TLSInfo{Cert: cert}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, network("tcp", s.cfg.Bind), s.cfg.Bind)
	if err != nil {
		return opError(OpListen, "tcp", s.cfg.Bind, portInUse("tcp", s.cfg.Bind, neterr.Inner(err)))
	}
	s.ln = ln
	s.local = ln.Addr().String()
	s.em.emit(Event{Kind: EventListening, Local: s.local, TLS: own, Framing: framingName(s.cfg.Frame)})
	s.live.Store(true)
	s.wg.Add(1)
	go s.acceptLoop()
	s.ctxClose.bind(ctx, func() { s.Close() })
	return nil
}

// Addr is the listening address (with the real port when :0 was asked for); nil
// before Start has succeeded.
func (s *TCPServer) Addr() net.Addr {
	if !s.live.Load() {
		return nil
	}
	return s.ln.Addr()
}

// Stats is the total over all clients, past and present.
func (s *TCPServer) Stats() Stats { return s.totals.Snapshot() }

// Rejected counts clients refused because MaxClients was reached.
func (s *TCPServer) Rejected() uint64 { return s.rejected.Load() }

func (s *TCPServer) acceptLoop() {
	defer s.wg.Done()
	acceptLoop(s.ln, s.em, s.local, s.quit, s.admit)
}

// admit adds a new connection to the table and starts its goroutine, or refuses it
// when the server is full or closing.
func (s *TCPServer) admit(conn net.Conn) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		conn.Close()
		return
	}
	if s.cfg.MaxClients > 0 && len(s.clients) >= s.cfg.MaxClients {
		s.mu.Unlock()
		s.rejected.Add(1)
		peer := conn.RemoteAddr().String()
		conn.Close()
		s.em.emit(Event{Kind: EventClosed, Local: s.local, Peer: peer, Reason: ReasonMaxClients})
		return
	}
	if s.tlsCfg != nil {
		conn = tls.Server(conn, s.tlsCfg)
	}
	c := newTCPConn(conn, s.nextID.Add(1), s.em, &s.cs, &s.totals, serverReadBuffer)
	c.echo = s.cfg.Echo
	c.resp = s.cfg.Responder
	c.frames = newFrameSplitter(s.cfg.Frame, s.cfg.MaxFrame, c.em.lend)
	s.clients[c.id] = c
	s.wg.Add(1)
	s.mu.Unlock()

	if s.tlsCfg == nil {
		c.ready.Store(true)
		s.em.emit(c.event(EventAccepted))
	}
	go s.serve(c)
}

func (s *TCPServer) serve(c *tcpConn) {
	defer s.wg.Done()
	c.onEnd = func() {
		s.mu.Lock()
		delete(s.clients, c.id)
		s.mu.Unlock()
	}
	if tc, ok := c.conn.(*tls.Conn); ok && !s.handshake(c, tc) {
		return
	}
	c.readLoop()
}

// handshake runs a TLS client's handshake and accepts it, or reports why it
// failed and ends it (the server goes on serving the others). A client counts
// against MaxClients while it shakes hands, but is listed and sent to only
// once accepted.
func (s *TCPServer) handshake(c *tcpConn, tc *tls.Conn) bool {
	timeout := s.cfg.TLS.HandshakeTimeout
	if timeout <= 0 {
		timeout = DefaultConnectTimeout
	}
	info, err := serverHandshake(tc, timeout)
	if err != nil {
		tc.Close()
		// Off the list before the error goes out, as a closed client is.
		c.onEnd()
		if !c.closingLocal.Load() { // not the server stopping
			e := c.event(EventError)
			e.Err = handshakeFailed(c.peer, err)
			s.em.emit(e)
		}
		close(c.done)
		return false
	}
	c.ready.Store(true)
	e := c.event(EventAccepted)
	e.TLS = info
	s.em.emit(e)
	return true
}

// Clients lists the connected clients in the order they arrived.
func (s *TCPServer) Clients() []ClientInfo {
	s.mu.Lock()
	out := make([]ClientInfo, 0, len(s.clients))
	for _, c := range s.clients {
		if !c.ready.Load() {
			continue
		}
		out = append(out, ClientInfo{ID: c.id, Addr: c.peer, Family: Family(c.peer), Since: c.since, Stats: c.stats.Snapshot()})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *TCPServer) client(id uint64) (*tcpConn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[id]
	if c == nil || !c.ready.Load() {
		return nil, fmt.Errorf("netio: client %d: %w", id, ErrNoClient)
	}
	return c, nil
}

// Send writes p to one client.
func (s *TCPServer) Send(id uint64, p []byte) error {
	c, err := s.client(id)
	if err != nil {
		return err
	}
	return c.write(p)
}

// sendAllWriters bounds how many clients SendAll writes to at once.
const sendAllWriters = 64

// SendAll writes p to every connected client and returns how many got it. A client
// that fails does not stop the others; the first error is returned. Writes run
// side by side (up to sendAllWriters at a time), so a client that has stopped
// reading holds up only its own write, until writeTimeout, not everyone's.
func (s *TCPServer) SendAll(p []byte) (int, error) {
	s.mu.Lock()
	all := make([]*tcpConn, 0, len(s.clients))
	for _, c := range s.clients {
		if c.ready.Load() {
			all = append(all, c)
		}
	}
	s.mu.Unlock()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		sent  int
		first error
	)
	slots := make(chan struct{}, sendAllWriters)
	for _, c := range all {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			err := c.write(p)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				sent++
			} else if first == nil {
				first = err
			}
		}()
	}
	wg.Wait()
	return sent, first
}

// Disconnect closes one client and waits until it is gone.
func (s *TCPServer) Disconnect(id uint64) error {
	c, err := s.client(id)
	if err != nil {
		return err
	}
	c.closeLocal()
	<-c.done
	return nil
}

// Close stops accepting, closes every client, waits for every goroutine and emits
// closed for the listener. Safe to call more than once.
func (s *TCPServer) Close() error {
	s.closeOnce.Do(func() {
		if !s.live.Load() {
			return
		}
		s.ctxClose.release()
		s.mu.Lock()
		s.closed = true
		for _, c := range s.clients {
			c.closeLocal()
		}
		s.mu.Unlock()
		close(s.quit)
		s.ln.Close()
		s.wg.Wait()
		s.em.emit(Event{Kind: EventClosed, Local: s.local, Reason: ReasonLocal})
	})
	return nil
}
