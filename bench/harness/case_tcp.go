package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// tcpSent is what the baseline sender reports: its time runs from connect to
// the receiver's close, so it covers the receiver reading every byte.
type tcpSent struct {
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
}

// tcpReceive is case 1: one client (the baseline sender) sends cfg.tcpBytes to
// `sockdesk tcp serve`, and the same to two baseline receivers: one that copies
// to io.Discard, and one that writes what it reads to a file, the floor for any
// receiver that logs every byte. sockdesk with --log is measured against the
// file writer, sockdesk without a log against io.Discard. Runs alternate,
// cfg.repeat times each, and the best of each is kept.
func (b *bench) tcpReceive(ctx context.Context) error {
	n := b.cfg.tcpBytes
	what := fmt.Sprintf("TCP receive %s, one client", sizeText(n))
	runs := []tcpRun{
		{log: true, quiet: true},
		{log: true, devNull: true},
		{quiet: true},
	}
	var base, file float64
	best := make([]tcpResult, len(runs))
	for range b.cfg.repeat {
		v, err := b.baselineTCP(ctx, "")
		if err != nil {
			return err
		}
		base = max(base, v)
		if v, err = b.baselineTCP(ctx, filepath.Join(b.dir, "copy.out")); err != nil {
			return err
		}
		file = max(file, v)
		for i, r := range runs {
			got, err := b.sockdeskTCP(ctx, r)
			if err != nil {
				return err
			}
			if got.mbps > best[i].mbps {
				best[i] = got
			}
		}
	}
	b.add(row{id: "1", what: what + ": reference, io.Copy to io.Discard", sockdesk: "-", baseline: fmt.Sprintf("%.0f MB/s", base)})
	b.add(row{id: "1", what: what + ": reference, a bare receiver writing it to a file", sockdesk: "-", baseline: fmt.Sprintf("%.0f MB/s", file),
		ratio: fmt.Sprintf("%.2f", file/base)})
	for i, r := range runs {
		got, ref, refName, target := best[i], file, "to a file", 0.90
		if !r.log {
			ref, refName, target = base, "io.Discard", 0.95
		}
		b.add(row{id: "1", what: what + ": " + r.label(), sockdesk: fmt.Sprintf("%.0f MB/s", got.mbps),
			baseline: fmt.Sprintf("%.0f MB/s %s", ref, refName), ratio: fmt.Sprintf("%.2f", got.mbps/ref),
			target: fmt.Sprintf(">= %.2f", target), pass: passMiss(got.mbps >= target*ref)})
		if r.log {
			ok := got.log.bytes == n && got.log.badLines == 0
			b.add(row{id: "1", what: "  the log accounts for every byte", sockdesk: fmt.Sprintf("%d B in %d lines", got.log.bytes, got.log.received),
				baseline: fmt.Sprintf("%d B sent", n), target: "all", pass: passMiss(ok)})
		} else {
			b.add(row{id: "1", what: "  the summary accounts for every byte", sockdesk: fmt.Sprintf("%d B in %d messages", got.summaryBytes, got.summaryMsgs),
				baseline: fmt.Sprintf("%d B sent", n), target: "all", pass: passMiss(got.summaryBytes == n)})
		}
	}
	return b.tcpFraming(ctx)
}

// baselineTCP runs the baseline receiver (to out, or discarding) fed by the
// baseline sender and returns MB/s.
func (b *bench) baselineTCP(ctx context.Context, out string) (float64, error) {
	var args []string
	if out != "" {
		args = []string{"-out", out}
		defer os.Remove(out)
	}
	recv, err := start(ctx, nil, b.bins.tcprecv, args...)
	if err != nil {
		return 0, err
	}
	var port struct{ Port int }
	if err := recv.readJSON(&port); err != nil {
		return 0, err
	}
	var sent tcpSent
	if err := runJSON(ctx, &sent, b.bins.tcpsend, "-addr", hostPort(port.Port), "-bytes", fmt.Sprint(b.cfg.tcpBytes)); err != nil {
		return 0, err
	}
	var got struct{ Bytes int64 }
	if err := recv.readJSON(&got); err != nil {
		return 0, err
	}
	recv.drain()
	if err := recv.wait(time.Minute); err != nil {
		return 0, err
	}
	if got.Bytes != b.cfg.tcpBytes {
		return 0, fmt.Errorf("baseline receiver got %d bytes of %d", got.Bytes, b.cfg.tcpBytes)
	}
	v := mbps(sent.Bytes, sent.Seconds)
	b.notef("1", "baseline receiver %s: %.0f MB/s (%.2fs)", map[bool]string{true: "to a file", false: "to io.Discard"}[out != ""], v, sent.Seconds)
	return v, nil
}

// tcpRun is how case 1 runs `sockdesk tcp serve`.
type tcpRun struct {
	log     bool     // --log FILE
	quiet   bool     // --quiet: messages counted, not shown
	devNull bool     // stdout to /dev/null (a file: every event is written there); else a pipe the harness reads
	extra   []string // more flags (--frame line)
	lineLen int      // the sender's line length; 0: its default, 64
}

func (r tcpRun) label() string {
	s := "tcp serve"
	if r.log {
		s += " --log FILE"
	}
	if r.quiet {
		s += " --quiet"
	}
	if len(r.extra) > 0 {
		s += " " + strings.Join(r.extra, " ")
	}
	if r.devNull {
		s += ", stdout to /dev/null"
	}
	return s
}

// tcpResult is one run of sockdesk in case 1.
type tcpResult struct {
	mbps         float64
	log          logSummary // with --log
	summaryMsgs  int64      // from --quiet's SUMMARY line
	summaryBytes int64
}

// sockdeskTCP runs `sockdesk tcp serve` as r says, fed by the baseline sender.
// Its stdout goes to /dev/null, where every event is written, or to a pipe the
// harness reads as it comes (under --quiet: the connection's lines and the
// summary).
func (b *bench) sockdeskTCP(ctx context.Context, r tcpRun) (tcpResult, error) {
	var res tcpResult
	logPath := filepath.Join(b.dir, "tcp.log")
	os.Remove(logPath)
	defer os.Remove(logPath)
	args := []string{"tcp", "serve", "--bind", "127.0.0.1"}
	if r.log {
		args = append(args, "--log", logPath)
	}
	if r.quiet {
		args = append(args, "--quiet")
	}
	args = append(args, r.extra...)
	var sd *child
	var port int
	var err error
	var out *lockedBuffer
	var stop func() error
	if !r.devNull {
		if sd, err = start(ctx, nil, b.bins.sockdesk, append(args, "--port", "0")...); err != nil {
			return res, err
		}
		// "12:00:00.000 LISTEN tcp on 127.0.0.1:PORT"; the rest is read as it comes.
		line, err := sd.readLine()
		if err != nil {
			return res, err
		}
		if port, err = portAtEnd(line); err != nil {
			return res, err
		}
		out = &lockedBuffer{}
		copied := make(chan struct{})
		go func() {
			defer close(copied)
			io.Copy(out, sd.out)
		}()
		stop = func() error {
			sd.interrupt()
			select {
			case <-copied:
			case <-time.After(time.Minute):
				sd.cmd.Process.Kill()
				<-copied
			}
			return sd.wait(time.Minute)
		}
	} else {
		if port, err = freePort("tcp"); err != nil {
			return res, err
		}
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return res, err
		}
		defer devnull.Close()
		if sd, err = start(ctx, devnull, b.bins.sockdesk, append(args, "--port", fmt.Sprint(port))...); err != nil {
			return res, err
		}
		if err := waitForLog(logPath, " LISTEN ", 10*time.Second); err != nil {
			sd.stop(10 * time.Second)
			return res, err
		}
		stop = func() error {
			_, err := sd.stop(time.Minute)
			return err
		}
	}
	var sent tcpSent
	sendArgs := []string{"-addr", hostPort(port), "-bytes", fmt.Sprint(b.cfg.tcpBytes)}
	if r.lineLen > 0 {
		sendArgs = append(sendArgs, "-line", fmt.Sprint(r.lineLen))
	}
	sendErr := runJSON(ctx, &sent, b.bins.tcpsend, sendArgs...)
	stopErr := stop()
	if sendErr != nil {
		return res, sendErr
	}
	if stopErr != nil {
		return res, stopErr
	}
	res.mbps = mbps(sent.Bytes, sent.Seconds)
	t0 := time.Now()
	if r.log {
		if res.log, err = readLog(logPath, 0); err != nil {
			return res, err
		}
	}
	if out != nil {
		res.summaryMsgs, res.summaryBytes = summaryOf(out.String())
	}
	b.notef("1", "sockdesk %s: %.0f MB/s (%.2fs); log %d lines, %d B, %d B received; summary %d messages, %d B; checked in %.1fs; stderr: %s",
		r.label(), res.mbps, sent.Seconds, res.log.lines, res.log.fileBytes, res.log.bytes, res.summaryMsgs, res.summaryBytes,
		time.Since(t0).Seconds(), oneLine(sd.stderr.String()))
	return res, nil
}

// summaryOf reads "SUMMARY received N messages, B B; ..." in --quiet's output.
func summaryOf(out string) (msgs, bytes int64) {
	i := strings.Index(out, "SUMMARY received ")
	if i < 0 {
		return -1, -1
	}
	fmt.Sscanf(out[i:], "SUMMARY received %d messages, %d B", &msgs, &bytes)
	return msgs, bytes
}

func hostPort(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// freePort returns a loopback port nothing uses (just closed): for children whose
// output goes to /dev/null, so that they cannot print theirs.
func freePort(network string) (int, error) {
	if network == "udp" {
		c, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port, nil
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// portAtEnd reads the port of a "LISTEN ... on HOST:PORT[, framing ...]" line.
func portAtEnd(line string) (int, error) {
	_, rest, found := strings.Cut(line, " on ")
	hp, _, _ := strings.Cut(rest, ",")
	i := strings.LastIndexByte(hp, ':')
	if !found || i < 0 || !strings.Contains(line, "LISTEN") {
		return 0, fmt.Errorf("not a listening line: %q", line)
	}
	return strconv.Atoi(hp[i+1:])
}

// waitForLog waits until the log file contains s (the log flushes every 200 ms).
func waitForLog(path, s string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), s) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s: no %q within %v", path, s, limit)
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d B", n)
}

// oneLine is a child's stderr on one line, for a note.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(strings.TrimSpace(s)), " ")
	if s == "" {
		return "(empty)"
	}
	return s
}
