package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/payload"
)

const (
	// sendQueueLen is how many single sends may wait for the worker (behind a
	// slow TCP write) before Send says to wait.
	sendQueueLen = 64

	minEveryMs = 1
	maxEveryMs = 3_600_000     // one hour
	maxTimes   = 1_000_000_000 // 0 means until stopped
)

// sendJob is one Send press: a single send, or a repeat when run is set. The
// message is filled in as each send goes: {counter} is 1 for a single send and
// 1, 2, ... through a repeat, {time} the time it left; then the checksum chosen
// when Send was pressed is appended, so that each message carries its own.
type sendJob struct {
	msg   *payload.Template
	sum   *checksum.Checksum // nil: none
	order checksum.ByteOrder
	run   *repeatRun    // nil for a single send
	every time.Duration // repeat interval
	times uint64        // repeat count; 0 = until stopped
	// to sends the bytes (worker goroutine); nil: the box's send. A message
	// button sends to its message's destination this way.
	to func([]byte) error
	// done hears how a single send went (UI goroutine); nil: the box's note.
	done func(error)
}

// sender is where the job's bytes go.
func (b *sendBox) sender(job sendJob) func([]byte) error {
	if job.to != nil {
		return job.to
	}
	return b.send
}

// payload is message n: the template filled in, the checksum appended.
func (j sendJob) payload(n uint64) []byte {
	p := j.msg.Append(nil, n)
	if j.sum != nil {
		p = j.sum.Append(p, j.order)
	}
	return p
}

// repeatRun is one repeat in progress. The UI goroutine owns the pointer
// (sendBox.running) and closes cancel to stop it; the worker only reads cancel.
type repeatRun struct {
	cancel chan struct{}
}

// parseEvery reads the repeat interval in milliseconds.
func parseEvery(s string) (time.Duration, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil || n < minEveryMs || n > maxEveryMs {
		return 0, errors.New(trf("Every: enter whole milliseconds from %d to %d", minEveryMs, maxEveryMs))
	}
	return time.Duration(n) * time.Millisecond, nil
}

// parseTimes reads the repeat count; 0 means until stopped.
func parseTimes(s string) (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil || n > maxTimes {
		return 0, errors.New(trf("Times: enter a whole number from 0 (until stopped) to %d", maxTimes))
	}
	return n, nil
}

// repeatSettings validates the interval and count, showing what is wrong next
// to those fields (UI goroutine).
func (b *sendBox) repeatSettings() (every time.Duration, times uint64, ok bool) {
	every, errEvery := parseEvery(b.every.Text)
	times, errTimes := parseTimes(b.times.Text)
	b.every.SetValidationError(errEvery)
	b.times.SetValidationError(errTimes)
	var msgs []string
	for _, err := range []error{errEvery, errTimes} {
		if err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	if len(msgs) > 0 {
		b.repeatNote.set("⚠ "+strings.Join(msgs, "; "), noteError)
	} else {
		b.repeatNote.set("", noteHint)
	}
	return every, times, len(msgs) == 0
}

// stopRepeat cancels the running repeat, if any, and turns Stop back into
// Send at once (UI goroutine). A send already under way finishes.
func (b *sendBox) stopRepeat() {
	if b.running == nil {
		return
	}
	close(b.running.cancel)
	b.running = nil
	b.showRunning(false)
}

// Stop ends a running repeat and the worker goroutine and waits for them: a
// send under way (a TCP write may block up to its deadline) is waited for,
// queued sends are dropped. Idempotent; safe from any goroutine. It touches no
// widget, so after it the worker reports nothing more through env.ui.
func (b *sendBox) Stop() {
	b.stopOnce.Do(func() {
		b.stopped.Store(true)
		close(b.quit)
	})
	<-b.done
}

// quitting reports whether Stop has been called.
func (b *sendBox) quitting() bool {
	select {
	case <-b.quit:
		return true
	default:
		return false
	}
}

// work is the worker goroutine: it runs jobs in order until Stop.
func (b *sendBox) work() {
	defer close(b.done)
	for {
		select {
		case <-b.quit:
			return
		case job := <-b.jobs:
			if b.quitting() {
				return
			}
			if job.run == nil {
				err := b.sender(job)(job.payload(1))
				if b.quitting() {
					return
				}
				if job.done != nil {
					b.env.ui.Do(func() { job.done(err) })
				} else {
					b.env.ui.Do(func() { b.sendDone(err) })
				}
				continue
			}
			err := b.runRepeat(job)
			if b.quitting() {
				return
			}
			b.env.ui.Do(func() { b.repeatDone(job.run, err) })
		}
	}
}

// runRepeat runs a repeat of the send box on its worker goroutine.
func (b *sendBox) runRepeat(job sendJob) error { return repeatJob(job, b.sender(job), b.quit) }

// repeatJob sends job.msg at once and then every job.every, job.times times
// (0: until cancelled), stopping at the first error, when job.run is
// cancelled or when quit closes. It runs on the goroutine that owns the
// repeat: the send box's worker, or a message button's repeat.
func repeatJob(job sendJob, send func([]byte) error, quit <-chan struct{}) error {
	stopped := func() bool {
		select {
		case <-quit:
			return true
		case <-job.run.cancel:
			return true
		default:
			return false
		}
	}
	tick := time.NewTicker(job.every)
	defer tick.Stop()
	for sent := uint64(0); ; {
		if stopped() {
			return nil
		}
		if err := send(job.payload(sent + 1)); err != nil {
			return err
		}
		sent++
		if job.times != 0 && sent >= job.times {
			return nil
		}
		select {
		case <-quit:
			return nil
		case <-job.run.cancel:
			return nil
		case <-tick.C:
		}
	}
}

// sendDone shows the result of a single send (UI goroutine).
func (b *sendBox) sendDone(err error) {
	if err != nil {
		b.showSendError(err)
	}
}

// repeatDone ends a repeat that ran out, failed or was cancelled (UI goroutine).
func (b *sendBox) repeatDone(run *repeatRun, err error) {
	if b.running == run {
		b.running = nil
		b.showRunning(false)
	}
	if err != nil {
		b.showSendError(&repeatStopped{err})
	}
}

// repeatStopped is the error that ended a repeat.
type repeatStopped struct{ err error }

func (e *repeatStopped) Error() string { return "repeat stopped: " + e.err.Error() }
func (e *repeatStopped) Unwrap() error { return e.err }
