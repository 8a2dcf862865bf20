package main

import (
	"context"
	"fmt"
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
// `sockdesk tcp serve --log FILE`, and the same to the baseline receiver
// (io.Copy to io.Discard). For reference it also feeds a receiver that only
// writes what it reads to a file: the floor for any receiver that logs every byte.
func (b *bench) tcpReceive(ctx context.Context) error {
	n := b.cfg.tcpBytes
	what := fmt.Sprintf("TCP receive %s, one client", sizeText(n))
	base, err := b.baselineTCP(ctx, "")
	if err != nil {
		return err
	}
	file, err := b.baselineTCP(ctx, filepath.Join(b.dir, "copy.out"))
	if err != nil {
		return err
	}
	ratio := func(v float64) string { return fmt.Sprintf("%.2f", v/base) }
	b.add(row{id: "1", what: what + ": reference, io.Copy to a file", sockdesk: "-", baseline: fmt.Sprintf("%.0f MB/s", file), ratio: ratio(file)})
	for _, mode := range []struct {
		screen tcpScreen
		label  string
	}{
		{screenDevNull, "tcp serve --log, screen to /dev/null"},
		{screenBlocked, "tcp serve --log, screen blocked"},
		{screenQuiet, "tcp serve --log --quiet"},
	} {
		got, sum, err := b.sockdeskTCP(ctx, mode.screen, nil, 0)
		if err != nil {
			return err
		}
		b.add(row{id: "1", what: what + ": " + mode.label, sockdesk: fmt.Sprintf("%.0f MB/s", got), baseline: fmt.Sprintf("%.0f MB/s", base),
			ratio: ratio(got), target: ">= 0.90", pass: passMiss(got >= 0.9*base)})
		ok := sum.bytes == n && sum.badLines == 0
		b.add(row{id: "1", what: "  the log accounts for every byte", sockdesk: fmt.Sprintf("%d B in %d lines", sum.bytes, sum.received),
			baseline: fmt.Sprintf("%d B sent", n), target: "all", pass: passMiss(ok)})
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

// tcpScreen is what case 1 does with sockdesk's standard output.
type tcpScreen int

const (
	screenDevNull tcpScreen = iota // every event is also formatted for the screen
	screenBlocked                  // a pipe nobody reads: the display queue fills and drops its copies
	screenQuiet                    // --quiet: messages are counted, not shown (display off)
)

// sockdeskTCP runs `sockdesk tcp serve --log FILE` (and extra flags) fed by the
// baseline sender (with lines of lineLen bytes; 0: its default, 64).
// With its screen output to /dev/null every event is also formatted for the
// screen; with the screen blocked (a pipe nobody reads) the display queue fills
// and drops its copies, by design, and only the log and counters see events;
// with --quiet the screen is not tried at all.
func (b *bench) sockdeskTCP(ctx context.Context, screen tcpScreen, extra []string, lineLen int) (float64, logSummary, error) {
	logPath := filepath.Join(b.dir, "tcp.log")
	os.Remove(logPath)
	defer os.Remove(logPath)
	var sd *child
	var port int
	var err error
	if screen != screenDevNull {
		args := []string{"tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--log", logPath}
		if screen == screenQuiet {
			args = append(args, "--quiet")
		}
		args = append(args, extra...)
		if sd, err = start(ctx, nil, b.bins.sockdesk, args...); err != nil {
			return 0, logSummary{}, err
		}
		// "12:00:00.000 LISTEN tcp on 127.0.0.1:PORT"; nothing more is read until the end.
		line, err := sd.readLine()
		if err != nil {
			return 0, logSummary{}, err
		}
		if port, err = portAtEnd(line); err != nil {
			return 0, logSummary{}, err
		}
	} else {
		if port, err = freePort("tcp"); err != nil {
			return 0, logSummary{}, err
		}
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return 0, logSummary{}, err
		}
		defer devnull.Close()
		args := append([]string{"tcp", "serve", "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--log", logPath}, extra...)
		if sd, err = start(ctx, devnull, b.bins.sockdesk, args...); err != nil {
			return 0, logSummary{}, err
		}
		if err := waitForLog(logPath, " LISTEN ", 10*time.Second); err != nil {
			sd.stop(10 * time.Second)
			return 0, logSummary{}, err
		}
	}
	var sent tcpSent
	sendArgs := []string{"-addr", hostPort(port), "-bytes", fmt.Sprint(b.cfg.tcpBytes)}
	if lineLen > 0 {
		sendArgs = append(sendArgs, "-line", fmt.Sprint(lineLen))
	}
	sendErr := runJSON(ctx, &sent, b.bins.tcpsend, sendArgs...)
	shown, stopErr := sd.stop(time.Minute)
	if sendErr != nil {
		return 0, logSummary{}, sendErr
	}
	if stopErr != nil {
		return 0, logSummary{}, stopErr
	}
	t0 := time.Now()
	sum, err := readLog(logPath, 0)
	if err != nil {
		return 0, sum, err
	}
	v := mbps(sent.Bytes, sent.Seconds)
	label := map[tcpScreen]string{screenDevNull: "screen to /dev/null", screenBlocked: "screen blocked", screenQuiet: "--quiet"}[screen]
	b.notef("1", "sockdesk tcp serve --log %s, %s: %.0f MB/s (%.2fs); log %d lines, %d B, %d B received; screen got %d B; checked in %.1fs; stderr: %s",
		strings.Join(extra, " "), label, v, sent.Seconds, sum.lines, sum.fileBytes, sum.bytes, shown, time.Since(t0).Seconds(), oneLine(sd.stderr.String()))
	return v, sum, nil
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
