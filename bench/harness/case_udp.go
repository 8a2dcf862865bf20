package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// udpSent is what the baseline sender reports.
type udpSent struct {
	Msgs     int64   `json:"msgs"`
	Seconds  float64 `json:"seconds"`
	MsgsPerS float64 `json:"msgs_per_s"`
}

// udpGot is what the baseline receiver reports.
type udpGot struct {
	Msgs  int64   `json:"msgs"`
	Bytes int64   `json:"bytes"`
	Span  float64 `json:"first_to_last_s"`
	Rate  float64 `json:"rate"`
}

// udpRecvResult is one receiver's side of case 2.
type udpRecvResult struct {
	received int64
	drops    uint64 // by the kernel at the socket (/proc/net/udp)
	sendRate float64
	log      logSummary
}

// udpReceive is case 2: the baseline sender sends cfg.udpCount datagrams at its
// full rate to `sockdesk udp listen --log FILE`, and to the baseline receiver (a
// bare ReadFrom loop) in the same conditions. Both lose datagrams at this rate;
// what counts is how many each receives. Runs alternate, the best of each kept.
func (b *bench) udpReceive(ctx context.Context) error {
	var base, sd udpRecvResult
	for i := range b.cfg.repeat {
		for _, first := range []bool{i%2 == 0, i%2 != 0} {
			if first {
				r, err := b.baselineUDP(ctx, "2", b.cfg.udpCount, b.cfg.udpSize)
				if err != nil {
					return err
				}
				if r.received > base.received {
					base = r
				}
			} else {
				r, err := b.sockdeskUDP(ctx)
				if err != nil {
					return err
				}
				if r.received > sd.received || sd.received == 0 {
					sd = r
				}
			}
		}
	}
	n := int64(b.cfg.udpCount)
	pct := func(v int64) string { return fmt.Sprintf("%d (%.1f%%)", v, 100*float64(v)/float64(n)) }
	b.add(row{id: "2", what: fmt.Sprintf("UDP receive %d x %d B at full rate: udp listen --log", n, b.cfg.udpSize),
		sockdesk: pct(sd.received), baseline: pct(base.received), ratio: fmt.Sprintf("%.3f", float64(sd.received)/float64(base.received)),
		target: ">= 0.99", pass: passMiss(float64(sd.received) >= 0.99*float64(base.received))})
	l := sd.log
	ok := l.badLines == 0 && l.dups == 0 && int64(l.seqs) == sd.received && int64(l.received) == sd.received
	b.add(row{id: "2", what: "  every received datagram is in the log", sockdesk: fmt.Sprintf("%d lines, %d dup", l.received, l.dups),
		baseline: fmt.Sprintf("%d sent - %d dropped", n, sd.drops), target: "all", pass: passMiss(ok)})
	return nil
}

// baselineUDP runs the baseline receiver fed count datagrams of size bytes by
// the baseline sender, and notes what it got under case id.
func (b *bench) baselineUDP(ctx context.Context, id string, count, size int) (udpRecvResult, error) {
	var r udpRecvResult
	recv, err := start(ctx, nil, b.bins.udprecv, "-idle", "1s")
	if err != nil {
		return r, err
	}
	var port struct{ Port int }
	if err := recv.readJSON(&port); err != nil {
		return r, err
	}
	var sent udpSent
	if err := runJSON(ctx, &sent, b.bins.udpsend, "-addr", hostPort(port.Port), "-count", fmt.Sprint(count), "-size", fmt.Sprint(size)); err != nil {
		recv.stop(time.Minute)
		return r, err
	}
	sock, sockErr := udpDrained(port.Port, 10*time.Second)
	var got udpGot
	if err := recv.readJSON(&got); err != nil {
		return r, err
	}
	recv.drain()
	if err := recv.wait(time.Minute); err != nil {
		return r, err
	}
	r = udpRecvResult{received: got.Msgs, drops: sock.drops, sendRate: sent.MsgsPerS}
	b.notef(id, "baseline receiver: %d of %d received, %d dropped at the socket%s; sender %.0f msg/s",
		got.Msgs, count, sock.drops, unaccounted(int64(count), got.Msgs, sock.drops, sockErr), sent.MsgsPerS)
	return r, nil
}

func (b *bench) sockdeskUDP(ctx context.Context) (udpRecvResult, error) {
	var r udpRecvResult
	logPath := filepath.Join(b.dir, "udp.log")
	os.Remove(logPath)
	defer os.Remove(logPath)
	port, err := freePort("udp")
	if err != nil {
		return r, err
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return r, err
	}
	defer devnull.Close()
	sd, err := start(ctx, devnull, b.bins.sockdesk, "udp", "listen", "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--log", logPath)
	if err != nil {
		return r, err
	}
	if err := waitForLog(logPath, " LISTEN ", 10*time.Second); err != nil {
		sd.stop(10 * time.Second)
		return r, err
	}
	var sent udpSent
	sendErr := runJSON(ctx, &sent, b.bins.udpsend, "-addr", hostPort(port), "-count", fmt.Sprint(b.cfg.udpCount), "-size", fmt.Sprint(b.cfg.udpSize))
	sock, sockErr := udpDrained(port, 10*time.Second)
	_, stopErr := sd.stop(time.Minute)
	if sendErr != nil {
		return r, sendErr
	}
	if stopErr != nil {
		return r, stopErr
	}
	sum, err := readLog(logPath, b.cfg.udpCount)
	if err != nil {
		return r, err
	}
	r = udpRecvResult{received: int64(sum.received), drops: sock.drops, sendRate: sent.MsgsPerS, log: sum}
	b.notef("2", "sockdesk udp listen --log: %d of %d in the log (%d with a valid sequence number, %d duplicates), %d dropped at the socket%s; sender %.0f msg/s; stderr: %s",
		sum.received, b.cfg.udpCount, sum.seqs, sum.dups, sock.drops, unaccounted(int64(b.cfg.udpCount), int64(sum.received), sock.drops, sockErr), sent.MsgsPerS, oneLine(sd.stderr.String()))
	return r, nil
}

// unaccounted says how many datagrams were neither received nor dropped at the
// socket: lost before it (the loopback backlog) when the machine is busy.
func unaccounted(sent, received int64, drops uint64, err error) string {
	if err != nil {
		return fmt.Sprintf(" (socket figures unavailable: %v)", err)
	}
	if rest := sent - received - int64(drops); rest != 0 {
		return fmt.Sprintf(", %d lost before the socket", rest)
	}
	return ""
}
