package cli

import (
	"bufio"
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

// queueSize is how many events may wait for a slow stdout before the display copy is
// dropped, and queueBytes how much payload they may hold together (a peer streaming
// 64 KiB reads at a terminal must not make the screen's backlog gigabytes). The log
// file and the counters never wait on it. Variables only so that a test can fill
// the queue quickly.
var (
	queueSize        = 65536
	queueBytes int64 = 64 << 20
)

// errCountReached and errTimedOut say why a session's context ended (context.Cause);
// both are normal ends with status 0.
var (
	errCountReached = errors.New("count reached")
	errTimedOut     = errors.New("timeout")
)

// session is what every socket command shares: the sink the engine emits to, the
// printer that shows events, the optional log, and the context that ends the run on
// Ctrl-C, --count or --timeout.
//
// The sink is Tee(log, counter, extra..., queue): the log and the
// counter run synchronously on the socket goroutine and see every event; only the
// screen copy goes through the bounded queue and may be dropped when stdout is slow.
type session struct {
	// ctx ends when the parent ends, when --count messages were received, or when
	// --timeout has passed since startClock.
	ctx    context.Context
	cancel context.CancelCauseFunc
	sink   netio.Sink

	opts   sessionOpts
	stderr *lockedWriter
	queue  *netio.Queue
	log    *eventlog.File
	save   *eventlog.SaveFile // --save, or nil
	values *valuesFile        // --values-csv, or nil
	pr     *printer
	timer  *time.Timer
	stdout io.Writer  // for the summary of --quiet, once the printer has stopped
	quiet  *quietSink // counts what --quiet does not show; nil without it

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
	s := &session{opts: o, stderr: &lockedWriter{w: e.stderr}, queue: netio.NewQueueBytes(queueSize, queueBytes)}
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
	var screen netio.Sink = s.queue
	if o.quiet {
		s.quiet = &quietSink{next: s.queue}
		screen = s.quiet
	}
	// The checksum verdict and the extracted values are set before any sink sees
	// the event, so that the log, --values-csv and the screen all show them.
	s.sink = netio.CheckSink(o.check, o.checkOrder, netio.ExtractSink(o.extract, netio.Tee(append(sinks, screen)...)))
	s.stdout = e.stdout
	var alsoFlush func()
	if s.values != nil {
		alsoFlush = s.values.flush
	}
	s.pr = startPrinter(s.queue, e.stdout, o.json, alsoFlush, newTextExtras(o).write)
	return s, nil
}

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
	outErr := s.pr.stop()
	if s.quiet != nil && outErr == nil {
		outErr = s.quiet.summary(s.stdout, s.opts.json)
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
	if n := s.queue.Dropped(); n > 0 {
		// Only a log that kept working has the events the screen missed.
		if s.log != nil && logErr == nil {
			fmt.Fprintf(s.stderr, "sockdesk: %d events not shown (output too slow); the log file has them\n", n)
		} else {
			fmt.Fprintf(s.stderr, "sockdesk: %d events not shown (output too slow)\n", n)
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

// printer writes queued events to stdout from its own goroutine, so a slow terminal or
// pipe never holds up a socket. It flushes whenever the queue is momentarily empty: a
// script reading line by line never waits for a buffer to fill, yet a burst is written
// in few system calls.
type printer struct {
	q    *netio.Queue
	w    *bufio.Writer
	json bool
	quit chan struct{}
	done chan struct{}
	err  error  // first write error; owned by the printer goroutine until done
	line []byte // the line being formatted, reused
	lf   eventlog.LineFormatter
	once sync.Once

	// alsoFlush, if set, makes another output (--values-csv) current whenever
	// stdout is flushed, and every alsoFlushEvery when it is not.
	alsoFlush func()

	// after, if set, writes lines under an event's line in text output.
	after func(*bufio.Writer, netio.Event)
}

// alsoFlushEvery bounds how long the printer's other output waits in its
// buffer when stdout has nothing to flush (under --quiet no message is shown).
const alsoFlushEvery = 500 * time.Millisecond

// startPrinter prints q's events to out; after, if not nil, writes lines under
// each event's line in text output.
func startPrinter(q *netio.Queue, out io.Writer, asJSON bool, alsoFlush func(), after func(*bufio.Writer, netio.Event)) *printer {
	p := &printer{
		q:    q,
		w:    bufio.NewWriterSize(out, 64<<10),
		json: asJSON,
		quit: make(chan struct{}),
		done: make(chan struct{}),

		alsoFlush: alsoFlush,
		after:     after,
	}
	go p.run()
	return p
}

func (p *printer) run() {
	defer close(p.done)
	events := p.q.Events()
	var tick <-chan time.Time
	if p.alsoFlush != nil {
		t := time.NewTicker(alsoFlushEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-tick:
			p.alsoFlush()
		case e := <-events:
			p.q.Release(e)
			p.print(e)
			if len(events) == 0 {
				p.flush()
			}
		case <-p.quit:
			// The endpoints are closed: what is queued now is all there will be.
			for {
				select {
				case e := <-events:
					p.q.Release(e)
					p.print(e)
				default:
					p.flush()
					return
				}
			}
		}
	}
}

func (p *printer) print(e netio.Event) {
	if p.err != nil {
		return // stdout is gone; keep draining so nothing waits on us
	}
	if p.json {
		b, err := eventlog.JSON(e)
		if err != nil {
			b = []byte(fmt.Sprintf(`{"event":"error","error":%q}`, err.Error()))
		}
		p.w.Write(b)
	} else {
		p.line = p.lf.AppendLine(p.line[:0], e, false)
		p.w.Write(p.line)
	}
	if cap(p.line) > 256<<10 {
		p.line = nil // one huge line must not stay resident for ever
	}
	if err := p.w.WriteByte('\n'); err != nil {
		p.err = err
	}
	if !p.json && p.after != nil {
		p.after(p.w, e)
	}
}

func (p *printer) flush() {
	if p.err == nil {
		p.err = p.w.Flush()
	}
	if p.alsoFlush != nil {
		p.alsoFlush()
	}
}

// stop prints what is left, stops the goroutine and returns the first write error.
func (p *printer) stop() error {
	p.once.Do(func() { close(p.quit) })
	<-p.done
	return p.err
}
