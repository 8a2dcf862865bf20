package netio

import (
	"errors"
	"net"
	"net/netip"
	"syscall"

	"github.com/sockdesk/sockdesk/internal/neterr"
)

// UDPBatch sends many datagrams to one destination with few system calls: Add
// queues a message, Flush sends what was queued, one datagram each — where the
// system allows (batch_udp_linux.go) in one go, without a trip through the
// runtime per datagram. It is the seam the traffic generator sends through. A
// batch is used by one goroutine at a time; the endpoint stays usable meanwhile.
//
// Unlike SendToAddr, a batch emits no event to the endpoint's sink (a display
// could not keep up with one per message); the sent sink given to NewBatch, if
// any, gets a sent event for each datagram that went, and Tally adds what went to
// the endpoint's counters once per call.
type UDPBatch struct {
	u     *UDPEndpoint
	to    netip.AddrPort
	peer  string
	em    emitter // the batch's own sent sink
	batch []byte
	ends  []int // where each queued message ends in batch
	msgs  uint64
	bytes uint64
	raw   rawSender // the fast path, if prepare found one
}

// NewBatch returns a batch of datagrams to dst. It checks once what SendToAddr
// checks per datagram: the endpoint is started, and a broadcast destination needs
// the broadcast switch on. sent, if not nil, gets a sent event per datagram.
func (u *UDPEndpoint) NewBatch(dst *net.UDPAddr, sent Sink) (*UDPBatch, error) {
	if !u.live.Load() {
		return nil, opError(OpSend, "udp", dst.String(), ErrNotStarted)
	}
	to := dst.AddrPort()
	if !u.broadcast.Load() && u.isBroadcast(to.Addr()) {
		return nil, opError(OpSend, "udp", dst.String(), ErrBroadcastOff)
	}
	if err := u.prepareMulticast(to.Addr().Unmap()); err != nil {
		return nil, opError(OpSend, "udp", dst.String(), err)
	}
	w := &UDPBatch{u: u, to: to, peer: addrPortString(to), em: newEmitter("udp", sent)}
	w.prepare()
	return w, nil
}

// Add queues one datagram; p is copied.
func (w *UDPBatch) Add(p []byte) error {
	w.batch = append(w.batch, p...)
	w.ends = append(w.ends, len(w.batch))
	return nil
}

// msg is queued message i.
func (w *UDPBatch) msg(i int) []byte {
	from := 0
	if i > 0 {
		from = w.ends[i-1]
	}
	return w.batch[from:w.ends[i]]
}

// Flush sends the queued datagrams, then emits the sent events of what went: an
// ICMP error reported during the burst may come before them in a log. At the
// first datagram that cannot be sent it stops and returns the error; the queue is
// empty afterwards either way.
func (w *UDPBatch) Flush() error {
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
				w.em.emit(Event{Kind: EventSent, Local: w.u.local, Peer: w.peer, Data: data, Text: w.u.cs.Load().DecodeMessage(data)})
			}
		}
	}
	w.batch, w.ends = w.batch[:0], w.ends[:0]
	return err
}

// sendEach sends the queued messages from the i-th on, one call each, the way
// SendToAddr does (stale ICMP errors reported, the send tried again), and
// returns how many of all the queued ones went.
func (w *UDPBatch) sendEach(i int) (int, error) {
	for ; i < len(w.ends); i++ {
		if err := w.u.write(w.msg(i), w.to); err != nil {
			if errors.Is(err, syscall.EACCES) && !w.u.broadcast.Load() {
				err = ErrBroadcastOff
			}
			return i, opError(OpSend, "udp", w.peer, neterr.Inner(err))
		}
	}
	return i, nil
}

// Tally returns, and forgets, the datagrams and bytes sent since it was last
// called, and adds them to the endpoint's counters.
func (w *UDPBatch) Tally() (msgs, bytes uint64) {
	msgs, bytes = w.msgs, w.bytes
	w.msgs, w.bytes = 0, 0
	w.u.stats.addOutMany(msgs, bytes)
	return msgs, bytes
}
