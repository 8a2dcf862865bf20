package app

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

// pumpInterval is how often a session's pump looks at its queue: an event after a
// quiet spell is shown within this time.
const pumpInterval = 33 * time.Millisecond

// streamInterval is the shortest time between two batches while events keep
// coming. Each batch makes the window draw a frame, and while the log follows a
// stream every visible row is new text to rasterize (the largest cost on Fyne's
// goroutine in the real window, bench/uiwindow); ten frames a second is as fast as
// anyone reads a scrolling log and leaves that goroutine free for clicks and typing.
const streamInterval = 100 * time.Millisecond

// floodInterval replaces streamInterval while the display cannot keep up anyway:
// events come faster than a batch a streamInterval carries (maxBatch events in
// 100 ms: some 40,000 a second), so the queue drops display copies. Then no one
// reads the rows going by, and every frame is twenty and more rows of new text
// to rasterize and upload as textures: at a frame a second the window's memory and
// Fyne's goroutine keep their budgets with room to spare (bench/uiwindow, with
// the log given the window's height; at two or three a second the batch p99 and
// the click latency crossed their targets in some runs). The counters, the log
// file and the records see every event as ever; the log's status line counts
// what the display left out.
const floodInterval = time.Second

// heartbeatTicks: even without events the UI hears from the pump this often (in
// ticks), so counters and rates keep moving and fall to zero when traffic stops.
const heartbeatTicks = 15

// maxBatch is the most events one apply gets. In the real window under a full-rate
// feed (bench/uiwindow) a batch costs 3-5 ms whether it holds 4,096 or 8,192 events
// (most of it is the list's refresh, not the events), and the smaller one kept the
// p99 under 16 ms in every run. At ten batches a second while a stream runs the
// display takes about 40,000 events a second, more than anyone reads; past that
// the queue drops display copies (counted and shown), never log lines. Its size is
// also a memory bound: at full rate the queue, the batch waiting and the batch being
// applied are all full.
const maxBatch = 4096

// maxPending and maxPendingBytes bound what a pump holds while the UI has not taken
// the last batch yet: one batch, ready to go; past them events stay in (and
// overflow from) the session's bounded queue. The byte bound matters when a peer
// streams large reads.
const (
	maxPending      = maxBatch
	maxPendingBytes = 8 << 20
)

// pump drains a session's event queue on its own goroutine and applies what it
// collected on Fyne's goroutine, one fyne.Do per tick, never one per event. While a
// batch is still waiting to be applied no second one is scheduled, so a busy UI
// thread is never buried under callbacks.
type pump struct {
	ui       uiRunner
	queue    *netio.Queue
	apply    func([]netio.Event)
	stop     chan struct{}
	done     chan struct{}
	inFlight atomic.Bool
	once     sync.Once
}

// startPump starts draining q; apply runs through ui with each batch, and with an
// empty batch every heartbeatTicks when nothing arrives.
func startPump(ui uiRunner, q *netio.Queue, apply func([]netio.Event)) *pump {
	p := &pump{ui: ui, queue: q, apply: apply, stop: make(chan struct{}), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *pump) run() {
	defer close(p.done)
	tick := time.NewTicker(pumpInterval)
	defer tick.Stop()
	var pending []netio.Event
	var pendingBytes int
	var lastShown time.Time // when a batch with events was last handed over
	var fullAt time.Time    // when pending filled up, zero while it has room
	flooded := false        // events come faster than the display takes them
	quiet := 0
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		pending, pendingBytes = p.drain(pending, pendingBytes)
		if len(pending) >= maxPending && fullAt.IsZero() {
			fullAt = time.Now()
		}
		quiet++
		if (len(pending) == 0 && quiet < heartbeatTicks) || p.inFlight.Load() {
			continue
		}
		interval := streamInterval
		if flooded {
			interval = floodInterval
		}
		if len(pending) > 0 && time.Since(lastShown) < interval {
			continue
		}
		if len(pending) > 0 {
			// A flood fills a batch before a stream's interval is out.
			flooded = !fullAt.IsZero() && fullAt.Sub(lastShown) < streamInterval
			lastShown = time.Now()
			fullAt = time.Time{}
		}
		quiet = 0
		// The UI takes the whole of pending (at most maxBatch events, which keeps
		// one apply well inside a frame); while it is busy with them the queue
		// holds what comes, and drops display copies past its bound, as it does
		// for any display that cannot keep up.
		batch := pending
		pending, pendingBytes = nil, 0
		p.inFlight.Store(true)
		p.ui.Do(func() {
			p.apply(batch)
			p.inFlight.Store(false)
		})
	}
}

// drain moves what the queue holds into pending, up to maxPending events and
// maxPendingBytes of payload, and returns pending and its payload bytes.
func (p *pump) drain(pending []netio.Event, size int) ([]netio.Event, int) {
	events := p.queue.Events()
	if pending == nil && len(events) > 0 {
		// Sized for what is queued, so a batch is not grown (and its copies left
		// as garbage) one doubling at a time.
		pending = make([]netio.Event, 0, min(len(events), maxPending))
	}
	for len(pending) < maxPending && size < maxPendingBytes {
		select {
		case e := <-events:
			p.queue.Release(e)
			pending = append(pending, e)
			size += len(e.Data) + len(e.Text)
		default:
			return pending, size
		}
	}
	return pending, size
}

// Stop ends the pump and waits for its goroutine. A batch already handed to
// fyne.Do may still be applied afterwards; apply must not mind.
func (p *pump) Stop() {
	p.once.Do(func() { close(p.stop) })
	<-p.done
}
