package sequence

import (
	"context"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

// Bounds on the messages that wait for an expect: a peer that floods a
// sequence cannot make it hold more than this (the oldest go first, counted).
const (
	maxWaiting      = 10_000
	maxWaitingBytes = 64 << 20
)

// inbox is the sink of the sequence's connection: it keeps the received
// messages until the steps take them, and notes the connection's end. In
// listen mode it follows the first client only.
type inbox struct {
	listen bool
	next   netio.Sink // Options.Sink, or nil

	mu       sync.Mutex
	queue    []netio.Event // received, not yet taken, oldest first
	bytes    int           // of queue
	arrived  uint64        // messages ever received; queue holds the last len(queue) of them
	dropped  uint64        // messages dropped from the queue unread
	client   uint64        // listen: the client followed, 0 until one is accepted
	accepted *netio.Event
	local    string // the listening address, once known
	closed   *netio.Event
	wake     chan struct{}
}

func newInbox(listen bool, next netio.Sink) *inbox {
	return &inbox{listen: listen, next: next, wake: make(chan struct{}, 1)}
}

func (b *inbox) Emit(e netio.Event) {
	if b.next != nil {
		b.next.Emit(e)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e.Kind {
	case netio.EventListening:
		b.local = e.Local
	case netio.EventAccepted:
		if b.client == 0 {
			b.client, b.accepted = e.Client, &e
		}
	case netio.EventReceived:
		if b.listen && e.Client != b.client {
			return
		}
		b.queue = append(b.queue, e)
		b.bytes += len(e.Data)
		b.arrived++
		for len(b.queue) > maxWaiting || b.bytes > maxWaitingBytes && len(b.queue) > 1 {
			b.bytes -= len(b.queue[0].Data)
			b.queue[0] = netio.Event{}
			b.queue = b.queue[1:]
			b.dropped++
		}
	case netio.EventClosed:
		if e.Peer == "" || b.listen && e.Client != b.client || b.closed != nil {
			return
		}
		b.closed = &e
	default:
		return
	}
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// waitResult says how a wait ended.
type waitResult uint8

const (
	gotIt waitResult = iota
	timedOut
	connClosed
	stopped
)

// wait calls check under the inbox's lock until it reports done, the deadline
// passes, or ctx ends. check sees the inbox as it is.
func (b *inbox) wait(ctx context.Context, deadline time.Time, check func(*inbox) bool) waitResult {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		b.mu.Lock()
		done := check(b)
		b.mu.Unlock()
		if done {
			return gotIt
		}
		select {
		case <-b.wake:
		case <-timer.C:
			b.mu.Lock()
			done := check(b)
			b.mu.Unlock()
			if done {
				return gotIt
			}
			return timedOut
		case <-ctx.Done():
			return stopped
		}
	}
}

// take waits for the next message; with none left and the connection closed
// it returns connClosed.
func (b *inbox) take(ctx context.Context, deadline time.Time) (netio.Event, waitResult) {
	var e netio.Event
	var closed bool
	res := b.wait(ctx, deadline, func(b *inbox) bool {
		if len(b.queue) > 0 {
			e = b.queue[0]
			b.bytes -= len(e.Data)
			b.queue[0] = netio.Event{}
			b.queue = b.queue[1:]
			return true
		}
		closed = b.closed != nil
		return closed
	})
	if res == gotIt && closed {
		return e, connClosed
	}
	return e, res
}

// closedEvent is the connection's closed event, or nil while it is open.
func (b *inbox) closedEvent() *netio.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// waiting returns the messages not yet taken, oldest first, and the number of
// messages ever received before the first of them.
func (b *inbox) waiting() ([]netio.Event, uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]netio.Event(nil), b.queue...), b.arrived - uint64(len(b.queue))
}
