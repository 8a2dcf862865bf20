package netio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// RunUDP runs the generator through u, every message one datagram to dst, and
// returns the final progress when the run ends: by its count or duration, by ctx
// (both with a nil error), or at the first send that fails (with its error). The
// destination is resolved and checked once, not per message as SendTo would.
func (g *Generator) RunUDP(ctx context.Context, u *UDPEndpoint, dst *net.UDPAddr) (GenProgress, error) {
	if u.conn == nil {
		return g.Progress(), fmt.Errorf("netio: udp send to %s: %w", dst, ErrNotStarted)
	}
	if g.maxLen > MaxUDPPayload {
		field := "message"
		if g.opts.Size > 0 {
			field = "size"
		}
		return g.Progress(), &GenError{field, fmt.Sprintf("%d bytes is more than a UDP datagram can carry (%d bytes)", g.maxLen, MaxUDPPayload)}
	}
	to := dst.AddrPort()
	if !u.broadcast.Load() && u.isBroadcast(to.Addr()) {
		return g.Progress(), fmt.Errorf("netio: udp send to %s: %w", dst, ErrBroadcastOff)
	}
	w := &udpGen{u: u, to: to, peer: addrPortString(to), em: emitter{proto: "udp", sink: g.opts.Sent}}
	w.prepare()
	return g.run(ctx, w)
}

// udpGen queues the messages of a burst and sends them, one datagram each, when
// the burst ends: where the system allows (gen_udp_linux.go) in one go, without
// a trip through the runtime per datagram.
type udpGen struct {
	u     *UDPEndpoint
	to    netip.AddrPort
	peer  string
	em    emitter // the generator's Sent sink
	batch []byte
	ends  []int // where each queued message ends in batch
	msgs  uint64
	bytes uint64
	raw   rawSender // the fast path, if prepare found one
}

func (w *udpGen) add(p []byte) error {
	w.batch = append(w.batch, p...)
	w.ends = append(w.ends, len(w.batch))
	return nil
}

// msg is queued message i.
func (w *udpGen) msg(i int) []byte {
	from := 0
	if i > 0 {
		from = w.ends[i-1]
	}
	return w.batch[from:w.ends[i]]
}

// flush sends the burst, then emits the sent events of what went: an ICMP error
// reported during the burst may come before them in a log.
func (w *udpGen) flush() error {
	if len(w.ends) == 0 {
		return nil
	}
	n, err := w.send()
	if n > 0 {
		w.msgs += uint64(n)
		w.bytes += uint64(w.ends[n-1])
		if w.em.sink != nil {
			for i := range n {
				data := append([]byte(nil), w.msg(i)...)
				w.em.emit(Event{Kind: EventSent, Local: w.u.local, Peer: w.peer, Data: data, Text: w.u.cfg.Charset.DecodeAll(data)})
			}
		}
	}
	w.batch, w.ends = w.batch[:0], w.ends[:0]
	return err
}

// sendEach sends the queued messages from the i-th on, one call each, the way
// SendToAddr does (stale ICMP errors reported, the send tried again), and
// returns how many of all the queued ones went.
func (w *udpGen) sendEach(i int) (int, error) {
	for ; i < len(w.ends); i++ {
		if err := w.u.write(w.msg(i), w.to); err != nil {
			if errors.Is(err, syscall.EACCES) && !w.u.broadcast.Load() {
				err = ErrBroadcastOff
			}
			return i, fmt.Errorf("netio: udp send to %s: %w", w.peer, innerError(err))
		}
	}
	return i, nil
}

func (w *udpGen) tally() (msgs, bytes uint64) {
	msgs, bytes = w.msgs, w.bytes
	w.msgs, w.bytes = 0, 0
	w.u.stats.addOutMany(msgs, bytes)
	return msgs, bytes
}
