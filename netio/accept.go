package netio

import (
	"errors"
	"net"
	"time"
)

// acceptLoop accepts connections on ln and hands each to admit, until ln is
// closed. A failed Accept (out of file descriptors and the like) is reported, and
// the loop waits and goes on, the way net/http's Serve does, instead of spinning or
// giving up; closing quit ends that wait.
func acceptLoop(ln net.Listener, em emitter, local string, quit <-chan struct{}, admit func(net.Conn)) {
	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			em.emit(Event{Kind: EventError, Local: local, Err: opError(OpAccept, "tcp", "", err)})
			select {
			case <-time.After(backoff):
				continue
			case <-quit:
				return
			}
		}
		backoff = 0
		admit(conn)
	}
}
