package app

import (
	"sync"
	"sync/atomic"
	"time"

	"sockdesk/netio"
)

// pumpInterval is how often a session's pump hands a batch to the UI: about 30
// times a second, smooth to the eye and far below what would swamp Fyne's queue.
const pumpInterval = 33 * time.Millisecond

// heartbeatTicks: even without events the UI hears from the pump this often (in
// ticks), so counters and rates keep moving and fall to zero when traffic stops.
const heartbeatTicks = 15

// maxBatch is the most events one apply gets: 1–3 µs each in the log view
// (BenchmarkUIUnderLoad), so a batch stays well under 16 ms, one frame at 60 Hz.
// At 30 ticks a second the display takes about 120,000 events a second; past
// that the queue drops display copies (counted and shown), never log lines.
const maxBatch = 4096

// maxPending and maxPendingBytes bound what a pump holds while the UI has not taken
// the last batch yet; past them events stay in (and overflow from) the session's
// bounded queue. The byte bound matters when a peer streams large reads.
const (
	maxPending      = 50_000
	maxPendingBytes = 32 << 20
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
	quiet := 0
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		pending, pendingBytes = p.drain(pending, pendingBytes)
		quiet++
		if (len(pending) == 0 && quiet < heartbeatTicks) || p.inFlight.Load() {
			continue
		}
		quiet = 0
		// At most maxBatch events per tick keep one apply well inside a frame;
		// the rest wait for the next tick (and, past maxPending, the queue drops
		// display copies, as it does for any display that cannot keep up).
		n := min(len(pending), maxBatch)
		batch := pending[:n:n]
		pending = pending[n:]
		pendingBytes = 0
		for i := range pending {
			pendingBytes += len(pending[i].Data) + len(pending[i].Text)
		}
		if len(pending) == 0 {
			pending = nil
		}
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
