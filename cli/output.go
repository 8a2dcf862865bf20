package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/eventlog"
	"github.com/sockdesk/sockdesk/netio/layers"
)

// queueSize is how many events may wait for a slow terminal before the display copy
// is skipped, and queueBytes how much payload they may hold together (a peer
// streaming 64 KiB reads at a terminal must not make the screen's backlog
// gigabytes). The log file and the counters never wait on it. Variables only so
// that a test can fill the queue quickly.
var (
	queueSize        = 65536
	queueBytes int64 = 64 << 20
)

// recordChunkSize and recordChunks bound what standard output holds, when it is a
// file or a pipe, for a reader that is behind (16 MiB of lines) before the
// sockets wait for it. Variables only so that a test can fill it quickly.
var (
	recordChunkSize = 256 << 10
	recordChunks    = 64
)

// errCountReached and errTimedOut say why a session's context ended (context.Cause);
// both are normal ends with status 0.
var (
	errCountReached = errors.New("count reached")
	errTimedOut     = errors.New("timeout")
)

// session is what every socket command shares: the sink the engine emits to, the
// output that shows events, the optional log, and the context that ends the run on
// Ctrl-C, --count or --timeout.
//
// The sink is Tee(log, counter, extra..., output). The log, the counter and a
// standard output that is a file or a pipe are records: each sees every event, and
// when its writer falls a whole buffer behind the socket waits for it. Only a
// terminal's copy goes through a bounded queue and may be skipped (screen.go).
type session struct {
	// ctx ends when the parent ends, when --count messages were received, or when
	// --timeout has passed since startClock.
	ctx    context.Context
	cancel context.CancelCauseFunc
	sink   netio.Sink

	opts   sessionOpts
	stderr *lockedWriter
	queue  *netio.Queue       // a terminal's events, or nil
	pr     *printer           // shows queue on the terminal, or nil
	out    *eventlog.Record   // standard output as a record, or nil
	log    *eventlog.File     // --log, or nil
	save   *eventlog.SaveFile // --save, or nil
	values *valuesFile        // --values-csv, or nil
	timer  *time.Timer
	stdout io.Writer  // for the summary of --quiet, once the output has stopped
	quiet  *quietSink // counts what --quiet does not show; nil without it
	// stats, if set (watch), reads the endpoint's counters for the summary.
	stats func() netio.Stats

	// logFailed is set once a write error of the log has been reported on stderr
	// (as it happened), so that the end of the run does not report it again.
	logFailed atomic.Bool

	pcap *layers.PcapSink // --pcap, or nil
}

// lockedWriter serializes whole writes to stderr: the log reports its failure from
// a socket goroutine while the command may be writing its own line.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// startSession opens the log (if any) and starts the printer. extra sinks see every
// event synchronously, after the log and the counter.
func startSession(ctx context.Context, o sessionOpts, e *env, extra ...netio.Sink) (*session, error) {
	s := &session{opts: o, stderr: &lockedWriter{w: e.stderr}}
	if o.logPath != "" {
		l, err := eventlog.Open(o.logPath, o.logFormat)
		if err != nil {
			return nil, logOpenError(o.logPath, err)
		}
		s.log = l
		l.OnError(s.logTrouble)
	}
	if o.savePath != "" {
		sf, err := eventlog.CreateSaveFile(o.savePath, eventlog.SaveFilter{})
		if err != nil {
			if s.log != nil {
				s.log.Close()
			}
			return nil, saveFileError(o.savePath, err)
		}
		s.save = sf
		sf.OnError(s.saveTrouble)
		extra = append([]netio.Sink{sf}, extra...)
	}
	if o.valuesCSV != "" {
		vf, err := openValuesFile(o.valuesCSV, o.extract, s.valuesTrouble)
		if err != nil {
			if s.log != nil {
				s.log.Close()
			}
			if s.save != nil {
				s.save.Close()
			}
			return nil, err
		}
		s.values = vf
		extra = append(extra, vf)
	}
	if o.pcapPath != "" {
		p, err := openPcap(o, s.pcapTrouble)
		if err != nil {
			if s.log != nil {
				s.log.Close()
			}
			if s.save != nil {
				s.save.Close()
			}
			if s.values != nil {
				s.values.close(s.stderr)
			}
			return nil, err
		}
		s.pcap = p
		extra = append([]netio.Sink{p}, extra...)
	}
	s.ctx, s.cancel = context.WithCancelCause(ctx)
	sinks := []netio.Sink{s.logSink(), newCounter(o.count, s.cancel)}
	sinks = append(sinks, extra...)
	var screen netio.Sink
	format := eventlog.FormatText
	if o.json {
		format = eventlog.FormatJSON
	}
	// --values-csv is made current whenever stdout is written, so that a script
	// sees a message's row no later than its line, and every alsoFlushEvery
	// when nothing is (--quiet).
	var alsoFlush func()
	if s.values != nil {
		alsoFlush = s.values.flush
	}
	// Lines written under an event's line in text output (TCP_INFO, --anatomy).
	extras := newTextExtras(o)
	switch e.screen {
	case screenTerminal:
		s.queue = netio.NewQueueBytes(queueSize, queueBytes)
		s.pr = startPrinter(s.queue, e.stdout, o.json, s.log != nil, alsoFlush, extras.write)
		screen = s.queue
	case screenRecord:
		lines := eventlog.LineFormat(format, false)
		if !o.json {
			lines = withExtras(lines, extras.write)
		}
		opts := eventlog.RecordOptions{Format: lines, ChunkSize: recordChunkSize, Chunks: recordChunks,
			AfterWrite: alsoFlush, OnTick: alsoFlush}
		switch {
		case e.stdoutFile:
			// Written as a log file is: in large writes, at least every 200 ms.
			opts.Delay = eventlog.FileDelay
		case alsoFlush != nil:
			opts.Tick = alsoFlushEvery
		}
		s.out = eventlog.NewRecord(e.stdout, opts)
		screen = s.out
	}
	if o.quiet {
		s.quiet = &quietSink{next: screen}
		screen = s.quiet
	}
	// The checksum verdict and the extracted values are set before any sink sees
	// the event, so that the log, --values-csv and the screen all show them.
	s.sink = netio.CheckSink(o.check, o.checkOrder, netio.ExtractSink(o.extract, netio.Tee(append(sinks, screen)...)))
	s.stdout = e.stdout
	return s, nil
}

// watch gives the summary of --quiet the endpoint's counters (UDP: what the
// system dropped).
func (s *session) watch(stats func() netio.Stats) { s.stats = stats }

// logOpenError says why --log cannot be used. The path is the user's input and is
// checked before any socket opens, so it is bad input (status 2), like a bad port.
func logOpenError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return usageErr("--log: cannot write %q: %s", path, errText(err))
}

// logTrouble reports, as it happens, that the log stopped (a write failed: disk
// full, ...) or that its file was removed or renamed. The sockets keep running and
// the screen keeps showing events; a stopped log makes the run end with status 1.
// It runs on whichever goroutine noticed, and only writes one line.
func (s *session) logTrouble(err error) {
	if errors.Is(err, eventlog.ErrMoved) {
		fmt.Fprintf(s.stderr, "sockdesk: --log: %s\n", charset.DisplayText(errText(err)))
		return
	}
	if s.logFailed.Swap(true) {
		return
	}
	fmt.Fprintf(s.stderr, "sockdesk: --log: %s; events are no longer logged\n", charset.DisplayText(errText(err)))
}

// logSink avoids putting a typed nil *LogFile into the Tee, which would not be
// skipped as a nil Sink.
func (s *session) logSink() netio.Sink {
	if s.log == nil {
		return nil
	}
	return s.log
}

// startClock starts --timeout. Commands call it once their socket is open, so that
// the time a connect takes is not counted.
func (s *session) startClock() {
	if s.opts.timeout > 0 {
		s.timer = time.AfterFunc(s.opts.timeout, func() { s.cancel(errTimedOut) })
	}
}

// end finishes the session after the command has closed its endpoints (so that no
// event can arrive any more): it prints what is still queued, closes the log, and
// says how many events the screen missed. It returns err, or else a failure to write
// the output or the log.
func (s *session) end(err error) error {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.cancel(nil)
	var outErr error
	switch {
	case s.pr != nil:
		outErr = s.pr.stop()
	case s.out != nil:
		// Waits for the reader, however slow: what was emitted is all written.
		outErr = s.out.Close()
	}
	if s.quiet != nil && outErr == nil {
		outErr = s.quiet.summary(s.stdout, s.opts.json, s.stats)
	}
	var logErr, saveErr, valuesErr, pcapErr error
	if s.log != nil {
		logErr = s.log.Close()
	}
	if s.values != nil {
		valuesErr = s.values.close(s.stderr)
	}
	if s.pcap != nil {
		pcapErr = s.pcap.Close()
	}
	if s.save != nil {
		saveErr = s.save.Close()
	}
	if n := s.skipped(); n > 0 {
		// Only a log that kept working has the events the screen missed.
		if s.log != nil && logErr == nil {
			fmt.Fprintf(s.stderr, "sockdesk: %d events not shown (the terminal was too slow); the log file has them\n", n)
		} else {
			fmt.Fprintf(s.stderr, "sockdesk: %d events not shown (the terminal was too slow)\n", n)
		}
	}
	switch {
	case err != nil:
		return err
	case saveErr != nil:
		// Said on stderr when it happened; the status says the run failed.
		return &exitError{code: exitFailure}
	case valuesErr != nil:
		return valuesErr
	case pcapErr != nil:
		return failure("--pcap: %s", errText(pcapErr))
	case logErr != nil && s.logFailed.Load():
		// Said on stderr when it happened; the status still says the run failed.
		return &exitError{code: exitFailure}
	case logErr != nil:
		return failure("--log: %s", errText(logErr))
	case outErr != nil:
		return failure("writing output: %s", errText(outErr))
	}
	return nil
}

// counter counts received messages over all peers and ends the session at the limit.
// It is a synchronous sink, so it counts every message even when the screen copy of
// some is dropped.
type counter struct {
	limit  uint64
	n      atomic.Uint64
	cancel context.CancelCauseFunc
}

func newCounter(limit uint64, cancel context.CancelCauseFunc) netio.Sink {
	if limit == 0 {
		return nil
	}
	return &counter{limit: limit, cancel: cancel}
}

func (c *counter) Emit(e netio.Event) {
	if e.Kind == netio.EventReceived && c.n.Add(1) == c.limit {
		c.cancel(errCountReached)
	}
}

// BorrowsData: the counter keeps nothing of an event.
func (c *counter) BorrowsData() bool { return true }

// skipped is how many events the terminal did not show.
func (s *session) skipped() uint64 {
	if s.queue == nil {
		return 0
	}
	return s.queue.Dropped()
}
