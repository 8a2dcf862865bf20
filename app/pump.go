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

// maxPending bounds what a pump holds while the UI has not taken the last batch yet;
// past it events stay in (and overflow from) the session's bounded queue.
const maxPending = 50_000

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
	quiet := 0
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		pending = p.drain(pending)
		quiet++
		if (len(pending) == 0 && quiet < heartbeatTicks) || p.inFlight.Load() {
			continue
		}
		quiet = 0
		batch := pending
		pending = nil
		p.inFlight.Store(true)
		p.ui.Do(func() {
			p.apply(batch)
			p.inFlight.Store(false)
		})
	}
}

// drain moves what the queue holds into pending, up to maxPending.
func (p *pump) drain(pending []netio.Event) []netio.Event {
	events := p.queue.Events()
	for len(pending) < maxPending {
		select {
		case e := <-events:
			pending = append(pending, e)
		default:
			return pending
		}
	}
	return pending
}

// Stop ends the pump and waits for its goroutine. A batch already handed to
// fyne.Do may still be applied afterwards; apply must not mind.
func (p *pump) Stop() {
	p.once.Do(func() { close(p.stop) })
	<-p.done
}
