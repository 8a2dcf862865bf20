package netio

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/netio/framing"
)

// relayBuffer is the read size of each direction of a pair.
const relayBuffer = 32 << 10

// relayPair is one client of a relay and its connection to the target: two
// goroutines (the pair's own, and one it starts) each copy one direction.
type relayPair struct {
	id         uint64
	client     net.Conn
	clientAddr string
	targetAddr string // configured, then the connected address
	since      time.Time
	em         emitter
	cs         *charsetRef // the relay's
	frame      framing.Spec
	maxFrame   int
	stats      Counters
	total      *Counters
	dialCtx    context.Context
	cancelDial context.CancelFunc

	mu      sync.Mutex
	target  net.Conn // nil until connected
	closing bool     // closeLocal was called
	first   *pairEnd // how the first direction to finish ended
	done    chan struct{}
}

// pairEnd is how one direction of a pair ended: dir names the stream, so its
// sender is the side that closed (DirNone when we closed the pair).
type pairEnd struct {
	dir    Direction
	reason CloseReason
	err    error
}

func newRelayPair(client net.Conn, id uint64, target string, r *TCPRelay) *relayPair {
	p := &relayPair{
		id:         id,
		client:     client,
		clientAddr: client.RemoteAddr().String(),
		targetAddr: target,
		since:      time.Now(),
		em:         r.em,
		cs:         &r.cs,
		frame:      r.cfg.Frame,
		maxFrame:   r.cfg.MaxFrame,
		total:      &r.totals,
		done:       make(chan struct{}),
	}
	p.dialCtx, p.cancelDial = context.WithCancel(r.dialCtx)
	return p
}

func (p *relayPair) event(kind EventKind, local string) Event {
	p.mu.Lock()
	target := p.targetAddr
	p.mu.Unlock()
	return Event{Kind: kind, Local: local, Peer: p.clientAddr, Client: p.id, Target: target}
}

func (p *relayPair) info() RelayPair {
	p.mu.Lock()
	defer p.mu.Unlock()
	return RelayPair{ID: p.id, Client: p.clientAddr, Target: p.targetAddr, Since: p.since, Stats: p.stats.Snapshot()}
}

// run connects to the target, copies both ways until both directions are done,
// closes both connections and emits closed saying who closed first. leave runs
// just before the closed event goes out: the relay takes the pair off its list
// there, so whoever sees "closed" and asks for the list does not find it on it.
func (p *relayPair) run(timeout time.Duration, leave func()) {
	defer close(p.done)
	defer p.cancelDial()
	clientLocal := p.client.LocalAddr().String()
	tc, err := p.dial(timeout)
	if err != nil {
		p.client.Close()
		if !p.isClosing() {
			e := p.event(EventError, clientLocal)
			e.Err = err
			p.em.emit(e)
		}
		e := p.event(EventClosed, clientLocal)
		e.Reason = ReasonLocal
		leave()
		p.em.emit(e)
		return
	}
	connected := p.event(EventConnected, tc.LocalAddr().String())
	connected.Dir = DirToTarget
	p.em.emit(connected)

	var toTarget string
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		toTarget = p.pipe(p.client, tc, DirToTarget)
	}()
	toClient := p.pipe(tc, p.client, DirToClient)
	wg.Wait()
	p.client.Close()
	tc.Close()

	e := p.event(EventClosed, clientLocal)
	p.mu.Lock()
	end := *p.first
	p.mu.Unlock()
	e.Dir, e.Reason = end.dir, end.reason
	if end.reason == ReasonError {
		e.Err = end.err
	}
	// Bytes held back as the start of a character that never finished.
	e.Text = toTarget + toClient
	leave()
	p.em.emit(e)
}

// dial connects to the target within timeout, unless the pair is closed first.
func (p *relayPair) dial(timeout time.Duration) (net.Conn, error) {
	d := net.Dialer{Timeout: timeout}
	tc, err := d.DialContext(p.dialCtx, "tcp", p.targetAddr)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, opError(OpConnectRelay, "tcp", p.targetAddr, &NoAnswerError{After: timeout, Err: neterr.Inner(err)})
		}
		return nil, opError(OpConnectRelay, "tcp", p.targetAddr, neterr.Inner(err))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		tc.Close()
		return nil, opError(OpConnectRelay, "tcp", p.targetAddr, net.ErrClosed)
	}
	p.target = tc
	p.targetAddr = tc.RemoteAddr().String()
	return tc, nil
}

// pipe copies src to dst until src ends. Each read is emitted (before it is
// written on, so that a reply is never logged ahead of its request) and passed on
// whole; with framing, the frames it completes are emitted instead, and the bytes
// are still passed on as read. The end of src (FIN) is passed on as a half-close
// of dst, so the other direction goes on; a reset or an error ends both
// directions. It returns the decoder's held-back text.
func (p *relayPair) pipe(src, dst net.Conn, dir Direction) string {
	dec := newStreamDecoder(p.cs)
	buf := make([]byte, relayBuffer)
	local := src.LocalAddr().String()
	frames := newFrameSplitter(p.frame, p.maxFrame, p.em.lend)
	var idle time.Duration
	if frames != nil {
		idle = frames.fr.IdleTimeout()
	}
	for {
		if idle > 0 {
			if frames.fr.Pending() {
				src.SetReadDeadline(time.Now().Add(idle))
			} else {
				src.SetReadDeadline(time.Time{})
			}
		}
		n, err := src.Read(buf)
		msgs := 0
		if frames != nil {
			// A local close moves the deadline to the past too: that is no pause.
			expire := n == 0 && idle > 0 && errors.Is(err, os.ErrDeadlineExceeded) && !p.isClosing()
			if expire {
				err = nil
			}
			msgs = p.emitFrames(frames.split(buf[:n], expire, err != nil), dec, dir, local)
		} else if n > 0 {
			data := p.em.received(buf[:n])
			e := p.event(EventReceived, local)
			e.Dir, e.Data, e.Text = dir, data, dec.decode(data)
			p.em.emit(e)
			msgs = 1
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				// dst's side is gone: it is the one that closed.
				if frames != nil && err == nil {
					p.emitFrames(frames.split(nil, false, true), dec, dir, local)
				}
				p.abort(pairEnd{dir: opposite(dir), reason: p.reason(werr), err: p.wrap(dst, werr)})
				return dec.flush()
			}
		}
		p.count(dir, n, msgs)
		if errors.Is(err, io.EOF) {
			p.noteEnd(pairEnd{dir: dir, reason: ReasonPeerClosed})
			if tc, ok := dst.(interface{ CloseWrite() error }); ok {
				tc.CloseWrite()
			}
			return dec.flush()
		}
		if err != nil {
			p.abort(pairEnd{dir: dir, reason: p.reason(err), err: p.wrap(src, err)})
			return dec.flush()
		}
	}
}

// emitFrames emits one read's frames, all stamped with the read's time, and
// returns how many there were.
func (p *relayPair) emitFrames(frames []splitFrame, dec *streamDecoder, dir Direction, local string) int {
	if len(frames) == 0 {
		return 0
	}
	now := time.Now()
	e := p.event(EventReceived, local)
	e.Time, e.Dir = now, dir
	for _, f := range frames {
		e.Data, e.Text = f.data, dec.decode(f.data)
		e.Frame, e.Ending = f.status, f.ending
		p.em.emit(e)
	}
	return len(frames)
}

// count counts n bytes and msgs messages relayed in dir.
func (p *relayPair) count(dir Direction, n, msgs int) {
	if n == 0 && msgs == 0 {
		return
	}
	if dir == DirToTarget {
		p.stats.addInBytes(n)
		p.stats.addInMsgs(msgs)
		p.total.addInBytes(n)
		p.total.addInMsgs(msgs)
	} else {
		p.stats.addOutMany(uint64(msgs), uint64(n))
		p.total.addOutMany(uint64(msgs), uint64(n))
	}
}

func opposite(d Direction) Direction {
	if d == DirToTarget {
		return DirToClient
	}
	return DirToTarget
}

// reason classifies the error that ended a direction.
func (p *relayPair) reason(err error) CloseReason {
	switch {
	case p.isClosing():
		return ReasonLocal
	case neterr.IsReset(err), errors.Is(err, syscall.EPIPE):
		return ReasonReset
	default:
		return ReasonError
	}
}

func (p *relayPair) wrap(c net.Conn, err error) error {
	return opError(OpRelay, "tcp", c.RemoteAddr().String(), neterr.Inner(err))
}

// noteEnd records how a direction ended, if it is the first to.
func (p *relayPair) noteEnd(end pairEnd) {
	p.mu.Lock()
	if p.first == nil {
		p.first = &end
	}
	p.mu.Unlock()
}

// abort ends both directions after a reset or an error: a relay cannot pass a
// reset on as such, so the other side sees its connection closed.
func (p *relayPair) abort(end pairEnd) {
	p.noteEnd(end)
	p.client.Close()
	p.mu.Lock()
	tc := p.target
	p.mu.Unlock()
	if tc != nil {
		tc.Close()
	}
}

func (p *relayPair) isClosing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closing
}

// closeLocal closes the pair from our side (Disconnect, Close): a connect in
// progress is abandoned, both connections are closed, and the pair's goroutines
// see it and end. It does not wait; wait on done for that.
func (p *relayPair) closeLocal() {
	p.mu.Lock()
	p.closing = true
	if p.first == nil {
		p.first = &pairEnd{reason: ReasonLocal}
	}
	tc := p.target
	p.mu.Unlock()
	p.cancelDial()
	// A past deadline unblocks a Read at once on every platform.
	p.client.SetDeadline(time.Now())
	p.client.Close()
	if tc != nil {
		tc.SetDeadline(time.Now())
		tc.Close()
	}
}
