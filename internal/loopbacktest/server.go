package loopbacktest

import (
	"net"
	"testing"

	"github.com/sockdesk/sockdesk/internal/acceptloop"
)

// Serve runs a TCP server on 127.0.0.1 that hands each connection to serve on a
// goroutine of its own, and returns its address. When the test ends the listener
// and every connection are closed and every serve has returned (serve must return
// once its connection is closed).
func Serve(t testing.TB, serve func(*net.TCPConn)) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := acceptloop.Serve(ln, func(c net.Conn) { serve(c.(*net.TCPConn)) })
	t.Cleanup(stop)
	return ln.Addr().String()
}
