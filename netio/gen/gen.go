package gen

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// A traffic generator sends a message again and again through an endpoint (a
// UDPEndpoint to one destination, or a TCPClient), at a pace or as fast as the
// socket takes it, until a count or a duration is reached:
//
//	g, err := New(Options{Message: tmpl, Rate: 10000, Count: 1e6})
//	go func() { res, err := g.RunUDP(ctx, ep, dst); ... }()
//	... g.Progress() from any goroutine, for a progress bar; cancel ctx to stop.
//
// Pacing does not drift: message i is due when the messages (or bytes) before it
// would have taken at the rate, counted from the start, not from the message
// before. The loop sleeps when it is ahead and, when behind (a timer wakes late; at
// high rates it always does), sends everything due at once, so the rate over the
// run is the rate asked for even where the system cannot sleep that finely.
//
// Events: the endpoint's sink gets no event per message. A display could not
// keep up with one, and building and queueing them would cost more than the
// sending. The endpoint's counters (Stats) and the generator's Progress count every
// message; Options.Sent, if set (a log file), gets a sent event for each.

// RateUnit says what Options.Rate counts.
type RateUnit int

const (
	PerMessage RateUnit = iota // Rate is messages per second
	PerByte                    // Rate is bytes per second
)

// Bounds of a run. Every run is bounded by a count or a duration, and these keep a
// typo from becoming a run of days or a buffer of gigabytes.
const (
	MaxCount    = 1_000_000_000
	MaxDuration = time.Hour
	MaxSize     = 1 << 20 // bytes in one message
	// MaxRate is far beyond what any socket sends; asking more is a typo.
	MaxRate = 1e12
)

// Pad is the byte that pads a message shorter than Options.Size.
const Pad = '.'

// Options describes one generator run.
type Options struct {
	// Message is what each message is made from, with its counter slots filled
	// in; nil is the empty message (padded to Size, if given).
	Message *payload.Template
	// Size, when > 0, makes every message exactly Size bytes: the filled-in
	// message is cut there, or padded with Pad bytes up to it.
	Size int
	// Checksum, if set, is appended to every message (after the cut or padding
	// to Size), in ChecksumOrder; with counter slots it differs per message.
	Checksum      *checksum.Checksum
	ChecksumOrder checksum.ByteOrder
	// Rate is the pace in Unit per second; 0 sends as fast as the socket takes.
	Rate float64
	Unit RateUnit
	// Count stops the run after that many messages, Duration after that long;
	// at least one is required, and with both the run stops at whichever comes
	// first.
	Count    uint64
	Duration time.Duration
	// Sent, if not nil, gets a sent event for every message, so that a log
	// file records what went out. It is called from the sending loop and must
	// be quick.
	Sent netio.Sink
}

// Error is an option the generator cannot run with. Field names it as the
// command line does: "message", "size", "rate", "count" or "duration".
type Error struct {
	Field  string
	Reason string
}

func (e *Error) Error() string { return "netio: generator: " + e.Field + ": " + e.Reason }

// End says why a run ended.
type End string

const (
	EndCount    End = "count"    // Count messages were sent
	EndDuration End = "duration" // Duration passed
	EndCanceled End = "canceled" // the context ended
	EndError    End = "error"    // a send failed; Run returned the error
)

// Progress is a snapshot of a run.
type Progress struct {
	Messages uint64        // messages sent so far
	Bytes    uint64        // their bytes
	Elapsed  time.Duration // since the run started (until it ended, once it has)
	// Fraction is how far the run is towards its bound (count or duration,
	// whichever is further along), 0 to 1, for a progress bar.
	Fraction float64
	End      End           // "" while the run goes on
	Last     time.Duration // when the last message went out, since the start
}

// MsgRate is the achieved rate in messages per second, measured from the first
// message to the last: n messages span n-1 intervals, so that 3 messages sent at
// 10/s show 10/s, not the 15/s that counting them over 0.2 s would.
func (p Progress) MsgRate() float64 {
	switch {
	case p.Messages >= 2 && p.Last > 0:
		return float64(p.Messages-1) / p.Last.Seconds()
	case p.Elapsed > 0:
		return float64(p.Messages) / p.Elapsed.Seconds()
	}
	return 0
}

// ByteRate is the achieved rate in bytes per second: MsgRate times the mean size
// of a message.
func (p Progress) ByteRate() float64 {
	if p.Messages == 0 {
		return 0
	}
	return p.MsgRate() * float64(p.Bytes) / float64(p.Messages)
}

// Generator runs one generator run; make a new one for the next. Its Progress
// may be read from any goroutine while it runs.
type Generator struct {
	opts   Options
	maxLen int    // the longest message the run can make
	fixed  []byte // the one message, when every message is the same; else nil
	pad    []byte // Size bytes of Pad, when Size > 0

	msgs, bytes atomic.Uint64
	last        atomic.Int64 // nanoseconds from the start to the last message
	ran         atomic.Bool

	mu         sync.Mutex
	start, end time.Time
	ended      End
}

// ErrUsed is returned by a second Run of the same Generator.
var ErrUsed = errors.New("netio: generator: already run; make a new one")

// New checks opts and returns a generator ready to run.
func New(opts Options) (*Generator, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if opts.Message == nil {
		opts.Message = payload.NewTemplate(nil)
	}
	g := &Generator{opts: opts, maxLen: opts.Message.Len(opts.lastNumber())}
	if opts.Size > 0 {
		g.maxLen = opts.Size
		g.pad = []byte(strings.Repeat(string(rune(Pad)), opts.Size))
	}
	if opts.Checksum != nil {
		g.maxLen += opts.Checksum.Width()
	}
	if g.maxLen == 0 && opts.Rate > 0 && opts.Unit == PerByte {
		return nil, &Error{"rate", "a rate in bytes needs messages of at least one byte"}
	}
	if opts.Message.Static() {
		g.fixed = g.message(nil, 1)
	}
	return g, nil
}

func (o *Options) check() error {
	switch {
	case o.Count == 0 && o.Duration == 0:
		return &Error{"count", "no bound: give a count, a duration, or both"}
	case o.Count > MaxCount:
		return &Error{"count", fmt.Sprintf("%d is too many (at most %d)", o.Count, MaxCount)}
	case o.Duration < 0:
		return &Error{"duration", fmt.Sprintf("%v is negative", o.Duration)}
	case o.Duration > MaxDuration:
		return &Error{"duration", fmt.Sprintf("%v is too long (at most %v)", o.Duration, MaxDuration)}
	case o.Size < 0:
		return &Error{"size", fmt.Sprintf("%d is negative", o.Size)}
	case o.Size > MaxSize:
		return &Error{"size", fmt.Sprintf("%d bytes is too large (at most %d)", o.Size, MaxSize)}
	case math.IsNaN(o.Rate) || o.Rate < 0:
		return &Error{"rate", fmt.Sprintf("%v is not a rate (0 = as fast as possible)", o.Rate)}
	case o.Rate > MaxRate:
		return &Error{"rate", fmt.Sprintf("%g is too high (at most %g)", o.Rate, float64(MaxRate))}
	case o.Unit != PerMessage && o.Unit != PerByte:
		return &Error{"rate", fmt.Sprintf("unknown unit %d", o.Unit)}
	}
	if o.Size == 0 && o.Message != nil && o.Message.Len(o.lastNumber()) > MaxSize {
		return &Error{"message", fmt.Sprintf("%d bytes is too large (at most %d)", o.Message.Len(o.lastNumber()), MaxSize)}
	}
	return nil
}

// MaxLen is the length of the longest message the run can make: check it against
// what a datagram carries before opening a socket.
func (g *Generator) MaxLen() int { return g.maxLen }

// lastNumber is the largest counter the run can reach, for the longest message.
func (o *Options) lastNumber() uint64 {
	n := uint64(math.MaxUint64)
	if o.Count > 0 {
		n = o.Count
	}
	if o.Duration > 0 && o.Rate > 0 && o.Unit == PerMessage {
		n = min(n, uint64(math.Ceil(o.Rate*o.Duration.Seconds()))+1)
	}
	return n
}

// message builds message n (counted from 1) in buf, which has room for the
// longest, so that nothing is allocated per message.
func (g *Generator) message(buf []byte, n uint64) []byte {
	if g.fixed != nil {
		return g.fixed
	}
	b := g.opts.Message.Append(buf[:0], n)
	if size := g.opts.Size; size > 0 {
		if len(b) >= size {
			b = b[:size]
		} else {
			b = append(b, g.pad[:size-len(b)]...)
		}
	}
	if c := g.opts.Checksum; c != nil {
		b = c.Append(b, g.opts.ChecksumOrder)
	}
	return b
}

// Progress is a snapshot of the run, safe to call from any goroutine, before,
// during and after Run.
func (g *Generator) Progress() Progress {
	g.mu.Lock()
	start, end, ended := g.start, g.end, g.ended
	g.mu.Unlock()
	p := Progress{Messages: g.msgs.Load(), Bytes: g.bytes.Load(), End: ended, Last: time.Duration(g.last.Load())}
	switch {
	case start.IsZero():
	case end.IsZero():
		p.Elapsed = time.Since(start)
	default:
		p.Elapsed = end.Sub(start)
	}
	if c := g.opts.Count; c > 0 {
		p.Fraction = float64(p.Messages) / float64(c)
	}
	if d := g.opts.Duration; d > 0 {
		p.Fraction = max(p.Fraction, float64(p.Elapsed)/float64(d))
	}
	if ended == EndCount || ended == EndDuration {
		p.Fraction = 1
	}
	p.Fraction = min(p.Fraction, 1)
	return p
}

// batchWriter is what the loop sends through: netio's UDPBatch and TCPBatch. Add
// takes one message (and must not keep it), Flush sends what Add queued, and
// Tally returns, and forgets, what went out since it was last called, so that
// counting costs once per burst rather than once per message.
type batchWriter interface {
	Add(msg []byte) error
	Flush() error
	Tally() (msgs, bytes uint64)
}

// maxBurst bounds the messages sent between two looks at the clock and the
// context: small enough that a duration ends on time and Ctrl-C is prompt (a few
// hundred microseconds of sending), large enough that the looks cost nothing.
const maxBurst = 256

// maxSleep bounds one sleep, so that a very slow rate still notices the end of
// its duration on time (the sleep is also cut to the deadline).
const maxSleep = time.Second

// run is the pacing loop shared by the protocols.
func (g *Generator) run(ctx context.Context, w batchWriter) (Progress, error) {
	if g.ran.Swap(true) {
		return g.Progress(), ErrUsed
	}
	start := time.Now()
	g.mu.Lock()
	g.start = start
	g.mu.Unlock()

	end, err := g.loop(ctx, start, w)
	g.publish(w, start)

	g.mu.Lock()
	g.end, g.ended = time.Now(), end
	g.mu.Unlock()
	return g.Progress(), err
}

// publish counts what went out since the last call; the time is that of the end
// of the burst, which is within one burst of the last message.
func (g *Generator) publish(w batchWriter, start time.Time) {
	if m, b := w.Tally(); m > 0 {
		g.last.Store(int64(time.Since(start)))
		g.msgs.Add(m)
		g.bytes.Add(b)
	}
}

func (g *Generator) loop(ctx context.Context, start time.Time, w batchWriter) (End, error) {
	var (
		count    = g.opts.Count
		duration = g.opts.Duration
		rate     = g.opts.Rate
		perByte  = g.opts.Unit == PerByte
		made     uint64 // messages made so far
		units    float64
		buf      = make([]byte, 0, g.maxLen)
		done     = ctx.Done()
		timer    *time.Timer
	)
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	fail := func(err error) (End, error) {
		if ctx.Err() != nil {
			// A send cut short by the end of the run (a Ctrl-C that closed the
			// socket under it) is the end, not a failure.
			return EndCanceled, nil
		}
		return EndError, err
	}
	for {
		if count > 0 && made >= count {
			if err := w.Flush(); err != nil {
				return fail(err)
			}
			return EndCount, nil
		}
		select {
		case <-done:
			w.Flush()
			return EndCanceled, nil
		default:
		}
		elapsed := time.Since(start)
		if duration > 0 && elapsed >= duration {
			// The end. What was due before it still goes, so that a timer that woke
			// late costs no messages; nothing due at or after it does.
			if rate == 0 || units/rate >= duration.Seconds() {
				if err := w.Flush(); err != nil {
					return fail(err)
				}
				return EndDuration, nil
			}
			elapsed = duration - 1
		}
		// Ahead of the schedule: sleep until the next message is due (or the run
		// ends). The schedule is in seconds since the start, so no error adds up.
		if rate > 0 {
			if ahead := units/rate - elapsed.Seconds(); ahead > 0 {
				wait := min(time.Duration(ahead*float64(time.Second))+1, maxSleep)
				if duration > 0 {
					wait = min(wait, duration-elapsed)
				}
				if timer == nil {
					timer = time.NewTimer(wait)
				} else {
					timer.Reset(wait)
				}
				select {
				case <-timer.C:
				case <-done:
					w.Flush()
					return EndCanceled, nil
				}
				continue
			}
		}
		// On or behind the schedule: send everything due by now, in one burst.
		now := elapsed.Seconds()
		for range maxBurst {
			if count > 0 && made >= count || rate > 0 && units/rate > now {
				break
			}
			made++
			msg := g.message(buf, made)
			if err := w.Add(msg); err != nil {
				return fail(err)
			}
			if perByte {
				units += float64(len(msg))
			} else {
				units++
			}
		}
		if err := w.Flush(); err != nil {
			return fail(err)
		}
		g.publish(w, start)
	}
}
