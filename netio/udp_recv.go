package netio

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/sockdesk/sockdesk/internal/recvinfo"
)

// dropReportEvery is how often at most a UDP endpoint emits a dropped event
// while the system keeps dropping: a line a second, not one per datagram read.
const dropReportEvery = time.Second

// udpReceiver reads datagrams together with what the system says about each:
// the TTL it arrived with and its destination (internal/recvinfo) and, on
// Linux, how many datagrams the socket had dropped by then (SO_RXQ_OVFL). It
// belongs to the endpoint's read loop; only Counters are shared.
type udpReceiver struct {
	conn  *net.UDPConn
	batch *batchReader // Linux: datagrams read many per system call; nil elsewhere
	buf   []byte       // elsewhere: the datagram read, and
	oob   []byte       // its out-of-band data; made once, reused by every read
	info  bool         // recvinfo is enabled: TTL and destination come with each datagram
	stats *Counters

	// The system's count is cumulative, 32 bits, since the socket opened.
	counted    bool   // SO_RXQ_OVFL is on
	lastCount  uint32 // the highest count seen
	dropped    uint64 // drops seen, in all
	reported   uint64 // drops already in a dropped event
	lastReport time.Time
	deadline   bool // a read deadline is set, to report pending drops
}

// datagramMeta is what came with one datagram.
type datagramMeta struct {
	ttl int
	dst netip.Addr
}

// newUDPReceiver asks the system for what it can say about each datagram; what
// it refuses is simply not reported.
func newUDPReceiver(conn *net.UDPConn, stats *Counters) *udpReceiver {
	r := &udpReceiver{conn: conn, stats: stats}
	r.info = recvinfo.Enable(conn) == nil
	if rc, err := conn.SyscallConn(); err == nil && enableDropCount(rc) == nil {
		r.counted = true
		stats.dropsCounted.Store(true)
	}
	if r.batch = newBatchReader(conn); r.batch == nil {
		r.buf, r.oob = make([]byte, 65536), make([]byte, recvinfo.OOBSize+64)
	}
	return r
}

// read returns the next datagram, valid until the next read, with its sender
// and what came with it.
func (r *udpReceiver) read() ([]byte, netip.AddrPort, datagramMeta, error) {
	var meta datagramMeta
	var data, oob []byte
	var from netip.AddrPort
	var err error
	switch {
	case r.batch != nil:
		data, from, oob, err = r.batch.read()
	case !r.info && !r.counted:
		var n int
		n, from, err = r.conn.ReadFromUDPAddrPort(r.buf)
		return r.buf[:n], from, meta, err
	default:
		var n, oobn int
		n, oobn, _, from, err = r.conn.ReadMsgUDPAddrPort(r.buf, r.oob)
		data, oob = r.buf[:n], r.oob[:oobn]
	}
	if err != nil {
		return nil, from, meta, err
	}
	meta, drops, ok := parseMeta(oob)
	if ok {
		r.observe(drops)
	}
	return data, from, meta, nil
}

// observe takes the system's cumulative count; counts from datagrams queued
// earlier than one already seen are lower and change nothing.
func (r *udpReceiver) observe(count uint32) {
	if d := count - r.lastCount; d != 0 && d < 1<<31 { // forward, across a wrap too
		r.lastCount = count
		r.dropped += uint64(d)
		r.stats.dropped.Store(r.dropped)
	}
}

// pendingDrops is how many drops are seen and not yet reported.
func (r *udpReceiver) pendingDrops() uint64 { return r.dropped - r.reported }

// dropsDue returns the drops to report now, if any: at most one report every
// dropReportEvery. What has to wait is reported when the read that a deadline
// set for it ends (dueOnTimeout), or at the end (finalDrops).
func (r *udpReceiver) dropsDue() uint64 {
	if r.pendingDrops() == 0 {
		return 0
	}
	now := time.Now()
	if next := r.lastReport.Add(dropReportEvery); now.Before(next) {
		if !r.deadline {
			r.deadline = true
			r.conn.SetReadDeadline(next)
		}
		return 0
	}
	return r.take(now)
}

// dueOnTimeout reports whether err is the deadline set for pending drops, and
// returns them.
func (r *udpReceiver) dueOnTimeout(err error) (uint64, bool) {
	if !r.deadline || !errors.Is(err, os.ErrDeadlineExceeded) {
		return 0, false
	}
	return r.take(time.Now()), true
}

// finalDrops returns what is still to report when the endpoint closes.
func (r *udpReceiver) finalDrops() uint64 { return r.take(time.Now()) }

func (r *udpReceiver) take(now time.Time) uint64 {
	if r.deadline {
		r.deadline = false
		r.conn.SetReadDeadline(time.Time{})
	}
	n := r.pendingDrops()
	r.reported = r.dropped
	if n > 0 {
		r.lastReport = now
	}
	return n
}
