package netio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/respond"
)

// MaxUDPPayload is the largest UDP payload IPv4 can carry (65,535 - 20 - 8).
const MaxUDPPayload = 65507

// UDPConfig describes a UDP endpoint.
type UDPConfig struct {
	// Bind is the local address to bind, "host:port"; "" or ":0" binds any address
	// and port (a sender that only needs replies).
	Bind      string
	Broadcast bool             // SO_BROADCAST: allow sending to broadcast addresses
	Echo      bool             // send every datagram back to its source
	Charset   *charset.Charset // for decoding what arrives and showing what is sent; nil = UTF-8 (see SetCharset)
	Sink      Sink             // where events go; nil drops them
	// Responder, if not nil, answers each datagram a rule matches, to its sender.
	Responder *respond.Responder
	// ReadBuffer is the receive buffer to ask the system for (SO_RCVBUF; the
	// system caps it and may double it): what waits there while the reader is
	// busy. 0 asks for 4 MiB.
	ReadBuffer int

	// Multicast (multicast.go). Join lists groups (one family) joined at Start and
	// left at Close; the socket then binds the family's wildcard address with Bind's
	// port. Iface names the interface to join on and to send to groups through
	// ("" = the system's choice). MulticastTTL is the TTL / hop limit of datagrams to
	// groups (0 = the system's default, 1). MulticastNoLoop stops this host's own
	// members from getting a copy of what is sent to a group.
	Join            []string
	Iface           string
	MulticastTTL    int
	MulticastNoLoop bool
}

// UDPEndpoint is a bound UDP socket that sends to any destination and receives from
// anyone. Start it, use it from any goroutine, Close it.
type UDPEndpoint struct {
	cfg       UDPConfig
	em        emitter
	conn      *net.UDPConn
	local     string
	broadcast atomic.Bool
	closing   atomic.Bool
	// live is set once Start has finished: the methods other goroutines call
	// check it before touching conn, which Start sets.
	live   atomic.Bool
	bcasts map[netip.Addr]bool // this host's broadcast addresses, read at Start
	stats  Counters
	rx     *udpReceiver // the read loop's: TTL, destination and drops of each datagram
	joined []membership // groups to leave at Close
	mcast  mcastSend

	cs charsetRef // Charset, changed by SetCharset

	closeOnce sync.Once
	ctxClose  ctxCloser
	wg        sync.WaitGroup
}

// NewUDP returns an endpoint that does nothing until Start.
func NewUDP(cfg UDPConfig) *UDPEndpoint {
	u := &UDPEndpoint{cfg: cfg, em: newEmitter("udp", cfg.Sink)}
	u.cs.Store(cfg.Charset)
	return u
}

// Start binds the socket, emits listening with the real local address, and starts
// receiving. It returns once the socket is bound. Cancelling ctx closes the endpoint.
func (u *UDPEndpoint) Start(ctx context.Context) error {
	bind := u.cfg.Bind
	if bind == "" {
		bind = ":0"
	}
	if err := hostport.CheckLocalBind(bind); err != nil {
		return opError(OpBind, "udp", "", err)
	}
	groups, ifc, err := u.checkMulticast()
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	if len(groups) > 0 {
		if bind, err = groupBind(bind, groups); err != nil {
			return opError(OpBind, "udp", "", err)
		}
		lc.Control = reuseAddr
	}
	pc, err := lc.ListenPacket(ctx, network("udp", bind), bind)
	if err != nil {
		return opError(OpBind, "udp", bind, portInUse("udp", bind, neterr.Inner(err)))
	}
	u.conn = pc.(*net.UDPConn)
	// A large receive buffer lets bursts wait in the kernel rather than be dropped
	// while the reader is busy; the kernel caps it, so failure is harmless.
	readBuffer := u.cfg.ReadBuffer
	if readBuffer <= 0 {
		readBuffer = 4 << 20
	}
	_ = u.conn.SetReadBuffer(readBuffer)
	u.rx = newUDPReceiver(u.conn, &u.stats)
	u.local = u.conn.LocalAddr().String()
	u.bcasts = broadcastAddrs()
	if err := u.setBroadcast(u.cfg.Broadcast); err != nil {
		u.abandon()
		return err
	}
	// Where the system can, have ICMP errors (port unreachable) reported for the
	// datagrams we send, so that "nothing listens there" shows instead of silence.
	// Without it Linux drops them for an unconnected socket; failure only means
	// the silence stays.
	rc, err := u.conn.SyscallConn()
	if err != nil {
		u.abandon()
		return opError(OpBind, "udp", bind, err)
	}
	_ = enableICMPErrors(rc)
	joined, err := u.joinGroups(rc, groups, ifc)
	if err != nil {
		u.abandon() // closing also leaves any group joined before the failure
		return err
	}
	u.em.emit(Event{Kind: EventListening, Local: u.local, Text: joined})
	u.live.Store(true)
	u.wg.Add(1)
	go u.readLoop()
	u.ctxClose.bind(ctx, func() { u.Close() })
	return nil
}

// abandon closes a socket Start could not finish setting up; the endpoint then
// never started, so Close has nothing to do and emits nothing.
func (u *UDPEndpoint) abandon() {
	u.conn.Close()
	u.conn = nil
	u.joined = nil
}

// LocalAddr is the bound address (with the real port when :0 was asked for); nil
// before Start has succeeded.
func (u *UDPEndpoint) LocalAddr() net.Addr {
	if !u.live.Load() {
		return nil
	}
	return u.conn.LocalAddr()
}

// Stats reads the endpoint's counters.
func (u *UDPEndpoint) Stats() Stats { return u.stats.Snapshot() }

// SetBroadcast turns the broadcast switch (SO_BROADCAST) on or off.
func (u *UDPEndpoint) SetBroadcast(on bool) error {
	if !u.live.Load() {
		return opError(OpSetBroadcast, "udp", "", ErrNotStarted)
	}
	return u.setBroadcast(on)
}

func (u *UDPEndpoint) setBroadcast(on bool) error {
	rc, err := u.conn.SyscallConn()
	if err == nil {
		err = setBroadcast(rc, on)
	}
	if err != nil {
		return opError(OpSetBroadcast, "udp", "", err)
	}
	u.broadcast.Store(on)
	return nil
}

// ErrBroadcastOff is returned when sending to a broadcast address with the
// broadcast switch off.
var ErrBroadcastOff = errors.New("destination is a broadcast address: turn broadcast on to send to it")

// ResolveUDP resolves a "host:port" destination; the port must not be 0.
func ResolveUDP(dst string) (*net.UDPAddr, error) {
	host, port, err := hostport.Split(dst, false)
	if err != nil {
		return nil, err
	}
	if host == "" {
		return nil, &hostport.Error{Input: dst, Reason: "missing host"}
	}
	addr, err := net.ResolveUDPAddr("udp", hostport.Join(host, port))
	if err != nil {
		return nil, fmt.Errorf("netio: resolve %s: %w", dst, err)
	}
	return addr, nil
}

// SendTo resolves dst ("host:port") and sends p to it as one datagram.
func (u *UDPEndpoint) SendTo(dst string, p []byte) error {
	addr, err := ResolveUDP(dst)
	if err != nil {
		return err
	}
	return u.SendToAddr(addr, p)
}

// SendToAddr sends p to addr as one datagram and emits sent.
func (u *UDPEndpoint) SendToAddr(addr *net.UDPAddr, p []byte) error {
	if !u.live.Load() {
		return opError(OpSend, "udp", addr.String(), ErrNotStarted)
	}
	if len(p) > MaxUDPPayload {
		return opError(OpSend, "udp", addr.String(), &SizeError{Size: len(p), Max: MaxUDPPayload})
	}
	ap := addr.AddrPort()
	if !u.broadcast.Load() && u.isBroadcast(ap.Addr()) {
		return opError(OpSend, "udp", addr.String(), ErrBroadcastOff)
	}
	if err := u.prepareMulticast(ap.Addr().Unmap()); err != nil {
		return opError(OpSend, "udp", addr.String(), err)
	}
	at := time.Now()
	if err := u.write(p, ap); err != nil {
		if errors.Is(err, syscall.EACCES) && !u.broadcast.Load() {
			err = ErrBroadcastOff
		}
		return opError(OpSend, "udp", addr.String(), u.multicastSendHint(ap.Addr().Unmap(), neterr.Inner(err)))
	}
	u.sent(ap, p, 0, at)
	return nil
}

// sent counts and reports a datagram that left; rule is the auto-reply rule
// that sent it, or 0. at is when it was handed to the system: before the
// write, so that it is earlier than any reply's arrival even when the reply's
// event is emitted first (the reader does not wait for the writer).
func (u *UDPEndpoint) sent(to netip.AddrPort, p []byte, rule int, at time.Time) {
	u.stats.addOut(len(p))
	data := append([]byte(nil), p...)
	u.em.emit(Event{Time: at, Kind: EventSent, Local: u.local, Peer: addrPortString(to), Data: data, Text: u.cs.Load().DecodeMessage(data), Rule: rule})
}

func (u *UDPEndpoint) isBroadcast(a netip.Addr) bool { return isBroadcastIn(a, u.bcasts) }

func (u *UDPEndpoint) readLoop() {
	defer u.wg.Done()
	var lastFrom netip.AddrPort
	var lastPeer, lastFamily string
	defer func() { u.reportDrops(u.rx.finalDrops()) }()
	for {
		buf, from, meta, err := u.rx.read()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || u.closing.Load() {
				return
			}
			if drops, ok := u.rx.dueOnTimeout(err); ok {
				u.reportDrops(drops)
				continue
			}
			u.receiveError(err)
			continue
		}
		u.reportDrops(u.rx.dropsDue())
		data := u.em.received(buf)
		u.stats.addIn(len(data))
		if from != lastFrom || lastPeer == "" {
			// Datagrams mostly come in runs from one source: its address is
			// formatted once per run, not once per datagram.
			lastFrom, lastPeer, lastFamily = from, addrPortString(from), familyOf(from.Addr())
		}
		text := u.cs.Load().DecodeMessage(data)
		u.em.emit(Event{Kind: EventReceived, Local: u.local, Peer: lastPeer, Family: lastFamily, Data: data, Text: text, TTL: meta.ttl, Dst: meta.dst})
		if u.cfg.Echo {
			u.answer(from, data, 0, "echo")
		}
		if reply, rule, ok := u.cfg.Responder.Reply(data, text); ok {
			u.answer(from, reply, rule, fmt.Sprintf("auto-reply rule %d", rule))
		}
	}
}

// reportDrops emits a dropped event for n datagrams the system dropped, if any.
func (u *UDPEndpoint) reportDrops(n uint64) {
	if n > 0 {
		u.em.emit(Event{Kind: EventDropped, Local: u.local, Dropped: n})
	}
}

// answer sends p back to a datagram's sender from the read loop (echo, auto-reply);
// a failure is reported and listening goes on.
func (u *UDPEndpoint) answer(to netip.AddrPort, p []byte, rule int, what string) {
	if len(p) > MaxUDPPayload {
		u.em.emit(Event{Kind: EventError, Local: u.local, Peer: addrPortString(to), Err: fmt.Errorf("netio: udp %s: %d bytes is more than a datagram carries", what, len(p))})
		return
	}
	at := time.Now()
	if err := u.write(p, to); err != nil {
		u.em.emit(Event{Kind: EventError, Local: u.local, Peer: addrPortString(to), Err: fmt.Errorf("netio: udp %s: %w", what, err)})
		return
	}
	u.sent(to, p, rule, at)
}

// ErrPortUnreachable is the error of an ICMP "port unreachable" that came back for
// a datagram: nothing listens on the destination port. errors.Is also matches
// syscall.ECONNREFUSED, which is how the system reports it.
var ErrPortUnreachable = errors.New("port unreachable: nothing is listening there")

// write sends one datagram. With ICMP errors enabled, an error that came back for
// an earlier datagram is returned by whichever call on the socket comes next: if
// that is this send, the datagram was not sent. The stale error is then reported
// as the reader would have, and the send tried once more.
func (u *UDPEndpoint) write(p []byte, to netip.AddrPort) error {
	_, err := u.conn.WriteToUDPAddrPort(p, to)
	if err == nil {
		return nil
	}
	stale := u.reportICMP()
	// An unconnected UDP send never fails with "refused" on its own account, so
	// that one is stale even if the reader drained the queue first.
	if stale > 0 || icmpQueue && errors.Is(err, syscall.ECONNREFUSED) {
		_, err = u.conn.WriteToUDPAddrPort(p, to)
	}
	return err
}

// receiveError reports a failed read and keeps listening. ICMP errors for earlier
// sends surface here: on Linux each is read from the socket's error queue with
// the destination it was about, elsewhere (Windows) as one error without it.
func (u *UDPEndpoint) receiveError(err error) {
	// With the error queue, "refused" is always an ICMP error; if the queue was
	// empty, a send that met the same error drained and reported it first.
	if u.reportICMP() > 0 || icmpQueue && errors.Is(err, syscall.ECONNREFUSED) {
		return
	}
	u.em.emit(Event{Kind: EventError, Local: u.local, Err: opError(OpReceive, "udp", "", neterr.Inner(err))})
	// A read error that repeats at once must not spin a core.
	time.Sleep(time.Millisecond)
}

// reportICMP drains the socket's ICMP error queue, emits an error event for each
// entry, and returns how many there were.
func (u *UDPEndpoint) reportICMP() int {
	rc, err := u.conn.SyscallConn()
	if err != nil {
		return 0
	}
	reports := readICMPErrors(rc)
	for _, r := range reports {
		peer := addrPortString(r.dst)
		e := opError(OpSend, "udp", peer, r.err)
		if errors.Is(r.err, syscall.ECONNREFUSED) {
			e = opError(OpSend, "udp", peer, fmt.Errorf("%w (%w)", ErrPortUnreachable, r.err))
		}
		u.em.emit(Event{Kind: EventError, Local: u.local, Peer: peer, Err: e})
	}
	return len(reports)
}

// SetCharset changes the charset for what is sent and received from now on; nil
// means UTF-8. Safe to call from any goroutine while the endpoint runs.
func (u *UDPEndpoint) SetCharset(cs *charset.Charset) { u.cs.Store(cs) }

// Close stops receiving, closes the socket, waits for the reader to finish and emits
// closed. It is safe to call more than once and from any goroutine.
func (u *UDPEndpoint) Close() error {
	u.closeOnce.Do(func() {
		if !u.live.Load() {
			return
		}
		u.ctxClose.release()
		u.closing.Store(true)
		if rc, err := u.conn.SyscallConn(); err == nil {
			u.leaveGroups(rc)
		}
		u.conn.Close()
		u.wg.Wait()
		u.em.emit(Event{Kind: EventClosed, Local: u.local, Reason: ReasonLocal})
	})
	return nil
}
