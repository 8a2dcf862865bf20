package app

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/sequence"
)

// resultInterval is how often a run's results are handed to the UI: a batch
// at most every 50 ms, one fyne.Do each, however fast the steps go.
const resultInterval = 50 * time.Millisecond

// seqRun is a run under way.
type seqRun struct {
	runner *sequence.Runner
	cancel context.CancelFunc
	conn   *sessionConn // the session's connection it runs over; nil when it opened its own
	feed   *resultFeed
	tap    *netio.Sink // what the session's sink hands its events to, while the run is over them
	text   string      // the text it runs: its lines are marked while the editor still holds it
}

// start parses the text and runs it (Run).
func (b *sequenceBox) start() {
	if b.run != nil || b.closed {
		return
	}
	seq, ok := b.check()
	if !ok {
		b.setStatus(func() string { return tr("Fix the file first: its problem is shown under it") })
		return
	}
	conn, err := b.conn()
	if err == nil {
		err = b.fits(seq, conn != nil)
	}
	if err != nil {
		b.setStatusError(err)
		return
	}
	run := &seqRun{conn: conn, feed: &resultFeed{}, text: b.editor.Text()}
	opts := sequence.Options{OnStep: run.feed.add}
	if conn != nil {
		opts.Conn = conn
	} else {
		opts.Sink = b.s.sink // its own connection's events, in this session's log
	}
	run.runner = sequence.NewRunner(seq, opts)
	if conn != nil {
		var tap netio.Sink = acceptSink{next: run.runner, accept: conn.accept}
		run.tap = &tap
		b.s.sink.tap.Store(run.tap)
	}
	ctx, cancel := context.WithCancel(context.Background())
	run.cancel = cancel
	b.run = run

	b.results.clear()
	b.s.log.SetMark(nil)
	b.editor.Mark(0)
	b.runBtn.Disable()
	b.stopBtn.Enable()
	b.s.drawer.SetMarked(toolSequence, true)
	if conn != nil {
		peer := conn.peer
		b.setStatus(func() string { return trf("Running over this session's connection to %s…", peer) })
	} else {
		b.s.bar.setActionEnabled(false) // one connection in the log at a time
		what := seq.Connect.Value
		b.setStatus(func() string { return trf("Running: %s…", what) })
	}

	done := make(chan struct{})
	fed := make(chan struct{})
	b.wg.Add(2)
	go func() {
		defer b.wg.Done()
		defer close(fed)
		run.feed.pace(b.s.ui, done, b.showResults)
	}()
	go func() {
		defer b.wg.Done()
		rep := run.runner.Run(ctx)
		if run.tap != nil {
			b.s.sink.tap.CompareAndSwap(run.tap, nil)
		}
		close(done)
		<-fed // the last batch is handed over before the end
		b.s.ui.Do(func() { b.finished(run, rep) })
	}()
}

// stop ends the run under way: the step in progress ends as stopped.
func (b *sequenceBox) stop() {
	if b.run == nil {
		return
	}
	b.run.cancel()
	b.stopBtn.Disable()
	b.setStatus(func() string { return tr("Stopping…") })
}

// showResults applies a batch of results (UI goroutine).
func (b *sequenceBox) showResults(batch []sequence.Result, dropped uint64) {
	if b.closed {
		return
	}
	b.results.add(batch, dropped)
}

// finished shows how the run ended (UI goroutine): the failed step
// highlighted with what it expected and what came, its line marked in the
// file, and its messages marked in the log.
func (b *sequenceBox) finished(run *seqRun, rep *sequence.Report) {
	run.cancel()
	if b.closed || b.run != run {
		return
	}
	b.run, b.ran = nil, run.text
	batch, dropped := run.feed.take()
	b.results.add(batch, dropped)
	b.runBtn.Enable()
	b.stopBtn.Disable()
	b.s.drawer.SetMarked(toolSequence, false)
	if run.conn == nil {
		b.s.bar.setActionEnabled(true)
	}
	total := stepDuration(rep.Duration)
	passed, skipped := countSteps(rep, sequence.Passed), countSteps(rep, sequence.Skipped)
	f := rep.Failed
	switch {
	case f == nil:
		b.setStatus(func() string { return trf("Passed: %d steps in %s", passed, total) })
		return
	case f.Status == sequence.Stopped:
		title := f
		b.setStatus(func() string { return trf("Stopped at %s", resultTitle(title)) })
	default:
		title := f
		b.setStatus(func() string {
			return trf("Failed at %s · %d passed, %d not run", resultTitle(title), passed, skipped)
		})
		b.s.log.SetMark(failedMessages(rep, run.conn))
	}
	b.results.showFailed()
	b.markLine(f.Step.Line)
}

// markLine marks a step's line in the file, unless the text was changed since
// it ran (the step may be elsewhere now).
func (b *sequenceBox) markLine(line int) {
	if b.editor.Text() == b.ran {
		b.editor.Mark(line)
	}
}

// countSteps counts the results with status s, the connection's left out:
// what the status line calls steps are the file's.
func countSteps(rep *sequence.Report, s sequence.Status) int {
	n := 0
	for i := range rep.Results {
		if r := &rep.Results[i]; r.Status == s && r.Step.Kind != sequence.KindConnect {
			n++
		}
	}
	return n
}

// picked follows a result row a person picked: its line is marked in the
// file, and for the failed step the log shows its marked messages.
func (b *sequenceBox) picked(r *sequence.Result) {
	b.markLine(r.Step.Line)
	if r.Status == sequence.Failed {
		b.s.log.ShowMarked()
	}
}

// failedMessages picks the log's events of a run's failed step: what arrived
// (and the connection's end, an error) from the moment the last step that took
// a message had it, until the failed step gave up. Messages that came before
// that and were left waiting (two lines in one read) are not told apart by
// time; the step's details list every message it saw.
func failedMessages(rep *sequence.Report, conn *sessionConn) func(*netio.Event) bool {
	f := rep.Failed
	from := rep.Start
	for i := range rep.Results {
		r := &rep.Results[i]
		if r == f {
			break
		}
		if r.Status == sequence.Passed && takesMessages(r.Step.Kind) {
			from = r.Start.Add(r.Duration)
		}
	}
	to := f.Start.Add(f.Duration)
	return func(e *netio.Event) bool {
		switch e.Kind {
		case netio.EventReceived, netio.EventClosed, netio.EventError:
		default:
			return false
		}
		if conn != nil && conn.accept != nil && !conn.accept(e) {
			return false
		}
		return !e.Time.Before(from) && !e.Time.After(to)
	}
}

// takesMessages reports whether a step of kind k takes the messages it matches.
func takesMessages(k sequence.Kind) bool {
	switch k {
	case sequence.KindExpect, sequence.KindExpectRe, sequence.KindExpectHex, sequence.KindExpectChecksum:
		return true
	}
	return false
}

// fits checks that seq is for this kind of session: udp:// in UDP; tcp:// or
// tls:// in TCP. A run that opens its own connection must also be the
// session's side of it: connect: in a TCP client, listen: in a TCP server.
func (b *sequenceBox) fits(seq *sequence.Sequence, open bool) error {
	what := seq.Connect.Value
	switch {
	case b.kind == seqUDP && seq.Scheme != "udp":
		return errors.New(trf("A UDP session runs udp:// sequences; this one is for %s", what))
	case b.kind != seqUDP && seq.Scheme == "udp":
		return errors.New(trf("A TCP session runs tcp:// and tls:// sequences; this one is for %s", what))
	case open:
		return nil
	case b.kind == seqTCPClient && seq.Listen:
		return errors.New(trf("This sequence listens (%s): run it in a TCP server session, or connect this session first to run it over the connection", what))
	case b.kind == seqTCPServer && !seq.Listen:
		return errors.New(trf("This sequence connects (%s): run it in a TCP client session, or start this server first to run it with a client", what))
	}
	return nil
}

// Stop ends a run and waits for its goroutines; the panel calls it first on
// Close.
func (b *sequenceBox) Stop() {
	b.closed = true
	if b.run != nil {
		b.run.cancel()
		if b.run.tap != nil {
			b.s.sink.tap.CompareAndSwap(b.run.tap, nil)
		}
	}
	b.wg.Wait()
}

// resultFeed carries results from the runner's goroutine (OnStep) to the UI in
// batches. It keeps at most the newest maxShownResults while the UI has not
// taken them, counting the others.
type resultFeed struct {
	mu       sync.Mutex
	pending  []sequence.Result
	dropped  uint64
	inFlight atomic.Bool
}

// add is the runner's OnStep: it only queues the result.
func (f *resultFeed) add(r sequence.Result) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending = append(f.pending, r)
	if len(f.pending) >= 2*maxShownResults {
		n := len(f.pending) - maxShownResults
		f.pending = append(f.pending[:0], f.pending[n:]...)
		f.dropped += uint64(n)
	}
}

// take hands over what is queued.
func (f *resultFeed) take() ([]sequence.Result, uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	batch, dropped := f.pending, f.dropped
	f.pending, f.dropped = nil, 0
	return batch, dropped
}

// pace hands what is queued to apply through ui every resultInterval until
// done closes, one batch at a time: while the UI has not applied one, the next
// waits.
func (f *resultFeed) pace(ui uiRunner, done <-chan struct{}, apply func([]sequence.Result, uint64)) {
	tick := time.NewTicker(resultInterval)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		if f.inFlight.Load() {
			continue
		}
		batch, dropped := f.take()
		if len(batch) == 0 && dropped == 0 {
			continue
		}
		f.inFlight.Store(true)
		ui.Do(func() {
			apply(batch, dropped)
			f.inFlight.Store(false)
		})
	}
}

// acceptSink passes on the events accept lets through (all, when nil).
type acceptSink struct {
	next   netio.Sink
	accept func(*netio.Event) bool
}

func (a acceptSink) Emit(e netio.Event) {
	if a.accept == nil || a.accept(&e) {
		a.next.Emit(e)
	}
}
