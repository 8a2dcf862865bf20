package cli

import (
	"bufio"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/eventlog"
)

// skipCheckEvery is how many events the printer shows between two looks at
// what the queue skipped, when the terminal never catches up; it also looks
// every time it does.
const skipCheckEvery = 1024

// printer shows queued events on a terminal from its own goroutine, so a slow
// terminal never holds up a socket: an event that finds the queue full is
// skipped, and the printer says how many were, as it happens, in a line of its
// own ("SKIP 1234 events not shown: the terminal is too slow"; in JSON
// {"event":"skipped","skipped":1234}). It flushes whenever the queue is
// momentarily empty, so a burst is written in few system calls and the last
// line never waits for more.
type printer struct {
	q       *netio.Queue
	w       *bufio.Writer
	json    bool
	logged  bool   // a log file has every event: the notice says so
	shown   uint64 // skipped events already told
	sinceLk int    // events shown since the last look at the queue's count
	quit    chan struct{}
	done    chan struct{}
	err     error  // first write error; owned by the printer goroutine until done
	line    []byte // the line being formatted, reused
	lf      eventlog.LineFormatter
	jf      eventlog.JSONFormatter
	once    sync.Once

	// alsoFlush, if set, makes another output (--values-csv) current whenever
	// stdout is flushed, and every alsoFlushEvery when it is not.
	alsoFlush func()

	// after, if set, writes lines under an event's line in text output.
	after func(*bufio.Writer, netio.Event)
}

// alsoFlushEvery bounds how long the printer's other output waits in its
// buffer when stdout has nothing to flush (under --quiet no message is shown).
const alsoFlushEvery = 500 * time.Millisecond

// startPrinter shows q's events on out; after, if not nil, writes lines under
// each event's line in text output.
func startPrinter(q *netio.Queue, out io.Writer, asJSON, logged bool, alsoFlush func(), after func(*bufio.Writer, netio.Event)) *printer {
	p := &printer{
		q:      q,
		w:      bufio.NewWriterSize(out, 64<<10),
		json:   asJSON,
		logged: logged,
		quit:   make(chan struct{}),
		done:   make(chan struct{}),

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
				p.tellSkipped()
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
					p.tellSkipped()
					p.flush()
					return
				}
			}
		}
	}
}

func (p *printer) print(e netio.Event) {
	if p.sinceLk++; p.sinceLk >= skipCheckEvery {
		p.tellSkipped()
	}
	if p.err != nil {
		return // stdout is gone; keep draining so nothing waits on us
	}
	if p.json {
		p.line = p.jf.AppendJSON(p.line[:0], e)
	} else {
		p.line = p.lf.AppendLine(p.line[:0], e, false)
	}
	p.write(p.line)
	if cap(p.line) > 256<<10 {
		p.line = nil // one huge line must not stay resident for ever
	}
	if !p.json && p.after != nil && p.err == nil {
		p.after(p.w, e)
	}
}

// tellSkipped writes a line saying how many events were skipped since the last
// such line, if any were.
func (p *printer) tellSkipped() {
	p.sinceLk = 0
	n := p.q.Dropped()
	if n == p.shown || p.err != nil {
		return
	}
	skipped := n - p.shown
	p.shown = n
	b := p.line[:0]
	if p.json {
		b = strconv.AppendUint(append(b, `{"event":"skipped","skipped":`...), skipped, 10)
		b = append(b, '}')
	} else {
		b = time.Now().AppendFormat(b, "15:04:05.000")
		b = strconv.AppendUint(append(b, " SKIP "...), skipped, 10)
		b = append(b, " events not shown: the terminal is too slow"...)
		if p.logged {
			b = append(b, " (the log file has them)"...)
		}
	}
	p.line = b
	p.write(b)
}

func (p *printer) write(line []byte) {
	p.w.Write(line)
	if err := p.w.WriteByte('\n'); err != nil {
		p.err = err
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

// withExtras is a Record's line format followed by what after writes under
// the line (through a bufio.Writer, as the printer's does).
func withExtras(lines func([]byte, netio.Event) []byte, after func(*bufio.Writer, netio.Event)) func([]byte, netio.Event) []byte {
	var to appendWriter
	w := bufio.NewWriterSize(&to, 4<<10)
	return func(b []byte, e netio.Event) []byte {
		to.b = lines(b, e)
		after(w, e)
		w.Flush()
		return to.b
	}
}

// appendWriter appends what is written to b.
type appendWriter struct{ b []byte }

func (a *appendWriter) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}
