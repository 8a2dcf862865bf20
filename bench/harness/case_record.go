package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// recordMode is how case 7 runs `sockdesk udp listen`: where its record of
// every event goes.
type recordMode struct {
	label string
	args  []string
	toOut bool // the record is stdout, redirected to the file; else --log FILE
}

var recordModes = []recordMode{
	{label: "udp listen --log FILE --log-format json --quiet", args: []string{"--log-format", "json", "--quiet"}},
	{label: "udp listen --json > FILE", args: []string{"--json"}, toOut: true},
}

// recordResult is one run of sockdesk in case 7.
type recordResult struct {
	received int64 // datagrams of the sender in the record
	kernel   uint64
	lost     int64 // neither received nor dropped at the socket: lost before it
	sum      jsonLogSummary
}

// udpRecord is case 7: the baseline sender sends cfg.recCount datagrams of
// cfg.recSize bytes at its full rate to sockdesk writing a JSON record of every
// event, into a log file or into its standard output redirected to a file, and
// in the same conditions to the baseline receiver. What counts is how many each
// receives, and that the record holds every datagram received and says how many
// the system dropped (dropped events), as the kernel counts them. Runs
// alternate, cfg.repeat times each, and the best of each is kept.
func (b *bench) udpRecord(ctx context.Context) error {
	var base udpRecvResult
	best := make([]recordResult, len(recordModes))
	for range b.cfg.repeat {
		r, err := b.baselineUDP(ctx, "7", b.cfg.recCount, b.cfg.recSize)
		if err != nil {
			return err
		}
		if r.received > base.received {
			base = r
		}
		for i, m := range recordModes {
			got, err := b.sockdeskRecord(ctx, m)
			if err != nil {
				return err
			}
			if got.received > best[i].received || best[i].sum.lines == 0 {
				best[i] = got
			}
		}
	}
	n := int64(b.cfg.recCount)
	pct := func(v int64) string { return fmt.Sprintf("%d (%.1f%%)", v, 100*float64(v)/float64(n)) }
	what := fmt.Sprintf("UDP receive %d x %d B at full rate: ", n, b.cfg.recSize)
	b.add(row{id: "7", what: what + "reference, the bare receiver", sockdesk: "-", baseline: pct(base.received)})
	for i, m := range recordModes {
		got := best[i]
		b.add(row{id: "7", what: what + m.label, sockdesk: pct(got.received), baseline: pct(base.received),
			ratio: fmt.Sprintf("%.3f", float64(got.received)/float64(base.received)), target: ">= 0.99",
			pass: passMiss(float64(got.received) >= 0.99*float64(base.received))})
		s := got.sum
		// Every received event is a datagram of the sender's, or the probe.
		ok := s.badLines == 0 && s.dups == 0 && int64(s.received) == got.received+1 && s.dropped == got.kernel && got.lost >= 0
		b.add(row{id: "7", what: "  every datagram received is in the record, every one dropped is counted",
			sockdesk: fmt.Sprintf("%d lines, %d dup; %d dropped", s.seqs, s.dups, s.dropped),
			baseline: fmt.Sprintf("%d sent; kernel: %d dropped", n, got.kernel), target: "all", pass: passMiss(ok)})
	}
	return nil
}

// sockdeskRecord runs one of case 7's sockdesk runs. After the sender, once the
// socket's queue is empty, one more datagram goes: the system tells a socket
// how many datagrams it dropped with the next one it queues, and the last ones
// of a burst are dropped with none after them.
func (b *bench) sockdeskRecord(ctx context.Context, m recordMode) (recordResult, error) {
	var r recordResult
	path := filepath.Join(b.dir, "record.jsonl")
	os.Remove(path)
	defer os.Remove(path)
	port, err := freePort("udp")
	if err != nil {
		return r, err
	}
	stdout, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if m.toOut {
		stdout, err = os.Create(path)
	}
	if err != nil {
		return r, err
	}
	defer stdout.Close()
	args := append([]string{"udp", "listen", "--port", fmt.Sprint(port), "--bind", "127.0.0.1"}, m.args...)
	if !m.toOut {
		args = append(args, "--log", path)
	}
	sd, err := start(ctx, stdout, b.bins.sockdesk, args...)
	if err != nil {
		return r, err
	}
	if err := waitForLog(path, `"event":"listening"`, 10*time.Second); err != nil {
		sd.stop(10 * time.Second)
		return r, err
	}
	var sent udpSent
	sendErr := runJSON(ctx, &sent, b.bins.udpsend, "-addr", hostPort(port), "-count", fmt.Sprint(b.cfg.recCount), "-size", fmt.Sprint(b.cfg.recSize))
	udpDrained(port, 30*time.Second)
	probeErr := sendProbe(port)
	sock, sockErr := udpDrained(port, 30*time.Second)
	// The probe is read once the queue is empty; the record writes it at once.
	time.Sleep(200 * time.Millisecond)
	_, stopErr := sd.stop(time.Minute)
	for _, err := range []error{sendErr, probeErr, sockErr, stopErr} {
		if err != nil {
			return r, err
		}
	}
	t0 := time.Now()
	sum, err := readJSONLog(path, b.cfg.recCount)
	if err != nil {
		return r, err
	}
	r = recordResult{received: int64(sum.seqs), kernel: sock.drops, sum: sum}
	r.lost = int64(b.cfg.recCount) - r.received - int64(sock.drops)
	b.notef("7", "sockdesk %s: %d of %d in the record (%d lines, %d received events, %d duplicates, %d bad), %d dropped in dropped events, %d at the socket as the kernel counts, %d lost before it; sender %.0f msg/s; record %.0f MB, checked in %.1fs; stderr: %s",
		m.label, sum.seqs, b.cfg.recCount, sum.lines, sum.received, sum.dups, sum.badLines, sum.dropped, sock.drops, r.lost,
		sent.MsgsPerS, float64(sum.fileBytes)/1e6, time.Since(t0).Seconds(), oneLine(sd.stderr.String()))
	return r, nil
}

// sendProbe sends one datagram that is not the sender's ("probe") to port.
func sendProbe(port int) error {
	c, err := net.Dial("udp", hostPort(port))
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte("probe"))
	return err
}
