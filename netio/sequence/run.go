package sequence

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// Options are what a Runner reports to.
type Options struct {
	// OnStep, if set, is called with each Result as the step ends (and with
	// the Skipped results after a failure), on the goroutine that runs the
	// sequence. It should return quickly; the app hands it to its UI pump.
	OnStep func(Result)
	// Sink, if set, gets every event of the connection (for a log view or a
	// log file), on the connection's goroutines, as netio's sinks do.
	Sink netio.Sink
	// Conn, if set, is a connection the caller already has (the app's session):
	// the runner sends with it instead of opening the file's connect: or
	// listen:, and the caller hands the connection's events to Runner.Emit.
	// A close step calls its Close; the end of the run leaves it open.
	Conn Conn
}

// Conn is what a runner needs of a connection it did not open.
type Conn interface {
	Send(p []byte) error
	Close() error
}

// Runner runs one Sequence once. Run it on a goroutine of its own and Stop it
// from any other; or cancel the context given to Run.
type Runner struct {
	seq  *Sequence
	opts Options
	box  *inbox

	mu      sync.Mutex
	cancel  context.CancelFunc
	stopped bool
	done    chan struct{}
}

// NewRunner returns a runner for seq.
func NewRunner(seq *Sequence, opts Options) *Runner {
	return &Runner{seq: seq, opts: opts, box: newInbox(seq.Listen && opts.Conn == nil, opts.Sink), done: make(chan struct{})}
}

// Emit takes an event of the connection: with Options.Conn, the caller's
// endpoint emits to the Runner (a netio.Sink) so that expects see what arrives.
// Messages that arrive before Run are kept for the first expect.
func (r *Runner) Emit(e netio.Event) { r.box.Emit(e) }

// Stop ends a run in progress (the step under way ends as Stopped, the rest
// are Skipped, the connection is closed) and waits until Run has returned. It
// may be called before Run, after it, and more than once.
func (r *Runner) Stop() {
	r.mu.Lock()
	r.stopped = true
	cancel := r.cancel
	r.mu.Unlock()
	if cancel == nil {
		return // Run has not started; it will see stopped
	}
	cancel()
	<-r.done
}

// Run connects (or listens), runs the steps in order until one fails, closes
// the connection and returns the report. It returns early, with the step under
// way Stopped, when ctx ends or Stop is called. Run may be called once.
func (r *Runner) Run(ctx context.Context) *Report {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.mu.Lock()
	if r.cancel != nil {
		r.mu.Unlock()
		panic("sequence: Run called twice")
	}
	r.cancel = cancel
	if r.stopped {
		cancel()
	}
	r.mu.Unlock()
	defer close(r.done)

	run := &run{
		Runner: r,
		ctx:    ctx,
		vals:   append([]string(nil), r.seq.Values...),
		rep:    &Report{Sequence: r.seq, Start: time.Now()},
		failed: -1,
	}
	run.box = r.box
	if run.connect() {
		run.steps(r.seq.Steps, 1, nil)
	}
	if run.link != nil {
		run.link.stop()
	}
	if run.failed >= 0 {
		run.skipAfter(run.rep.Results[run.failed].Step)
		run.rep.Failed = &run.rep.Results[run.failed]
	}
	run.rep.Duration = time.Since(run.rep.Start)
	return run.rep
}

// run is the state of one Run.
type run struct {
	*Runner
	ctx    context.Context
	box    *inbox
	link   link
	vals   []string // the variables' values now
	rep    *Report
	failed int // index in rep.Results of the failed or stopped step, or -1
}

func (x *run) report(res Result) {
	x.rep.Results = append(x.rep.Results, res)
	if res.Status == Failed || res.Status == Stopped {
		x.failed = len(x.rep.Results) - 1
	}
	if x.opts.OnStep != nil {
		x.opts.OnStep(res)
	}
}

func (x *run) connect() bool {
	res := Result{Step: x.seq.Connect, Start: time.Now()}
	var l link
	var what string
	var err error
	if x.opts.Conn != nil {
		l, what = &callerLink{c: x.opts.Conn}, "using the connection given"
	} else {
		l, what, err = dial(x.ctx, x.seq, x.box)
	}
	res.Duration = time.Since(res.Start)
	switch {
	case err == nil:
		x.link, res.Status, res.Detail = l, Passed, what
	case x.ctx.Err() != nil:
		res.Status, res.Got = Stopped, "stopped"
	default:
		res.Status, res.Got = Failed, err.Error()
	}
	x.report(res)
	return err == nil
}

// steps runs steps in order; round is the innermost repeat's round ({counter}).
// It reports false once a step has failed or the run was stopped.
func (x *run) steps(steps []*Step, round int, rounds []int) bool {
	for _, st := range steps {
		if st.Kind == KindRepeat {
			for i := 1; i <= st.Count; i++ {
				if !x.steps(st.Steps, i, append(rounds[:len(rounds):len(rounds)], i)) {
					return false
				}
			}
			continue
		}
		res := Result{Step: st, Rounds: rounds, Start: time.Now()}
		if x.ctx.Err() != nil {
			res.Status, res.Got = Stopped, "stopped"
		} else {
			x.step(st, round, &res)
		}
		res.Duration = time.Since(res.Start)
		x.report(res)
		if res.Status != Passed {
			return false
		}
	}
	return true
}

// step runs one step (not a repeat) and fills in res.
func (x *run) step(st *Step, round int, res *Result) {
	switch st.Kind {
	case KindSend, KindSendHex:
		x.send(st, round, res)
	case KindWait:
		t := time.NewTimer(st.Wait)
		defer t.Stop()
		select {
		case <-t.C:
			res.Detail = "waited " + st.Wait.String()
		case <-x.ctx.Done():
			res.Status, res.Got = Stopped, "stopped"
		}
	case KindClose:
		x.link.close()
		res.Detail = "closed the connection"
	case KindExpectClosed:
		x.expectClosed(st, res)
	case KindExpectNot:
		x.expectNot(st, round, res)
	default:
		x.expect(st, round, res)
	}
}

func (x *run) send(st *Step, round int, res *Result) {
	p := st.tpl.FillWith(nil, uint64(round), time.Now(), nil, x.vals)
	if st.sum != nil {
		p = st.sum.Append(p, st.sumOrder)
	}
	if err := x.link.send(p); err != nil {
		res.Status, res.Got = Failed, "could not send: "+err.Error()
		return
	}
	res.Detail = "sent " + x.showBytes(p, st.Kind == KindSendHex)
}

// expect takes messages until one matches (or, without skip, the first one).
func (x *run) expect(st *Step, round int, res *Result) {
	var want []byte
	if st.tpl != nil {
		want = st.tpl.FillWith(nil, uint64(round), time.Now(), nil, x.vals)
	}
	res.Expected = x.describeExpect(st, want)
	binary := st.Kind == KindExpectHex || st.Kind == KindExpectChecksum
	deadline := time.Now().Add(st.Timeout)
	for {
		e, how := x.box.take(x.ctx, deadline)
		switch how {
		case stopped:
			res.Status, res.Got = Stopped, "stopped"
			return
		case timedOut:
			res.Status = Failed
			res.Got = "nothing within " + st.Timeout.String()
			if len(res.Received) > 0 {
				res.Got = "no matching message within " + st.Timeout.String()
			}
			return
		case connClosed:
			res.Status, res.Got = Failed, closedText(x.box.closedEvent())
			return
		}
		shown := x.showEvent(e, binary)
		res.Received = append(res.Received, shown)
		if x.matches(st, want, e) {
			res.Detail = "got " + shown
			return
		}
		if !st.Skip {
			res.Status, res.Got = Failed, shown
			return
		}
	}
}

// matches checks one message against an expect step, and sets the variables
// of an expect_re's named groups when it matches.
func (x *run) matches(st *Step, want []byte, e netio.Event) bool {
	msg := e.Message()
	switch st.Kind {
	case KindExpect, KindExpectHex:
		if !bytes.Contains(msg, want) {
			return false
		}
	case KindExpectRe:
		text := e.MessageText()
		m := st.re.FindStringSubmatchIndex(text)
		if m == nil {
			return false
		}
		defer func() {
			for g, v := range st.reVars {
				if v >= 0 {
					x.vals[v] = ""
					if m[2*g] >= 0 {
						x.vals[v] = text[m[2*g]:m[2*g+1]]
					}
				}
			}
		}()
	}
	if st.sum != nil {
		ok := st.sum.Verify(msg, st.sumOrder).OK
		if st.Kind == KindExpectChecksum {
			return ok == st.sumOK
		}
		return ok
	}
	return true
}

// expectNot passes when no message that arrives (or is waiting) within the
// step's time contains the text. It takes none of them: a later expect sees them.
func (x *run) expectNot(st *Step, round int, res *Result) {
	want := st.tpl.FillWith(nil, uint64(round), time.Now(), nil, x.vals)
	res.Expected = fmt.Sprintf("no message containing %s for %v", x.showBytes(want, false), st.Timeout)
	var next uint64 // the first message not looked at, counted since the start
	_, first := x.box.waiting()
	next = first
	var hit *netio.Event
	how := x.box.wait(x.ctx, time.Now().Add(st.Timeout), func(b *inbox) bool {
		base := b.arrived - uint64(len(b.queue))
		for i := max(next, base); i < b.arrived; i++ {
			e := b.queue[i-base]
			res.Received = append(res.Received, x.showEvent(e, false))
			if bytes.Contains(e.Message(), want) {
				hit = &e
				return true
			}
		}
		next = b.arrived
		return false
	})
	switch how {
	case stopped:
		res.Status, res.Got = Stopped, "stopped"
	case gotIt:
		res.Status, res.Got = Failed, x.showEvent(*hit, false)
	default:
		res.Detail = fmt.Sprintf("nothing containing %s for %v", x.showBytes(want, false), st.Timeout)
	}
}

func (x *run) expectClosed(st *Step, res *Result) {
	res.Expected = "the peer to close the connection within " + st.Timeout.String()
	how := x.box.wait(x.ctx, time.Now().Add(st.Timeout), func(b *inbox) bool { return b.closed != nil })
	waiting, _ := x.box.waiting()
	for _, e := range waiting {
		res.Received = append(res.Received, x.showEvent(e, false))
	}
	switch how {
	case stopped:
		res.Status, res.Got = Stopped, "stopped"
	case timedOut:
		res.Status, res.Got = Failed, "the connection still open after "+st.Timeout.String()
	default:
		res.Detail = closedText(x.box.closedEvent())
	}
}

// skipAfter reports every step after failed, in file order, as Skipped.
func (x *run) skipAfter(failed *Step) {
	after := failed.Kind == KindConnect
	x.seq.Walk(func(st *Step) {
		switch {
		case st == failed:
			after = true
		case after && st.Kind != KindRepeat:
			x.report(Result{Step: st, Status: Skipped})
		}
	})
}

func (x *run) describeExpect(st *Step, want []byte) string {
	var s string
	switch st.Kind {
	case KindExpect:
		s = "a message containing " + x.showBytes(want, false)
	case KindExpectHex:
		s = "a message containing " + x.showBytes(want, true)
	case KindExpectRe:
		s = "a message matching /" + st.re.String() + "/"
	case KindExpectChecksum:
		verdict := "a good"
		if !st.sumOK {
			verdict = "a bad"
		}
		return fmt.Sprintf("a message with %s %s checksum", verdict, st.sum.Name())
	}
	if st.sum != nil {
		s += " with a good " + st.sum.Name() + " checksum"
	}
	if st.Skip {
		s += " (others skipped)"
	}
	return s
}

// maxShown bounds how much of a message a result shows.
const maxShown = 200

// showBytes shows bytes as the sequence's text, quoted, or as hex.
func (x *run) showBytes(p []byte, asHex bool) string {
	if asHex {
		return spacedHex(p)
	}
	return quoteText(x.seq.Charset.DecodeMessage(p))
}

// showEvent shows a received message: its text (or hex), and how its frame
// ended when that was not complete.
func (x *run) showEvent(e netio.Event, asHex bool) string {
	var s string
	if asHex {
		s = spacedHex(e.Data)
	} else {
		s = quoteText(e.Text)
	}
	if e.Frame > netio.FrameComplete {
		s += " (" + e.Frame.String() + " frame)"
	}
	return s
}

func quoteText(s string) string {
	r := []rune(s)
	cut := ""
	if len(r) > maxShown {
		s, cut = string(r[:maxShown]), fmt.Sprintf("… (%d characters)", len(r))
	}
	return `"` + charset.DisplayText(s) + `"` + cut
}

func spacedHex(p []byte) string {
	const maxBytes = 64
	var sb strings.Builder
	for i, b := range p {
		if i == maxBytes {
			fmt.Fprintf(&sb, " … (%d bytes)", len(p))
			break
		}
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02x", b)
	}
	return sb.String()
}

func closedText(e *netio.Event) string {
	if e == nil {
		return "the connection closed"
	}
	s := "the connection closed (" + string(e.Reason) + ")"
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}
