// Package acceptloop serves TCP connections on goroutines that are stopped all
// at once: the small loopback servers of the app's screenshot demos and of the
// tests.
package acceptloop

import (
	"net"
	"sync"
)

// Serve accepts connections on ln until the returned stop is called, handing
// each to serve on a goroutine of its own and closing it when serve returns.
// stop closes the listener and every connection, and returns once the accept
// loop and every serve have returned (serve must return once its connection is
// closed).
func Serve(ln net.Listener, serve func(net.Conn)) (stop func()) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	stopped := false
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if stopped { // accepted as stop ran: it will not see this one
				mu.Unlock()
				c.Close()
				return
			}
			conns = append(conns, c)
			wg.Add(1)
			mu.Unlock()
			go func() {
				defer wg.Done()
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return func() {
		ln.Close()
		mu.Lock()
		stopped = true
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	}
}
