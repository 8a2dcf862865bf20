package webtrace

import (
	"errors"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/tcpinfo"
)

// The close step carries the connection's facts: its ends as the connect
// step names them, who closed first, and TCP_INFO after the handshake and
// before the client closed (Linux), or why not.
func TestTraceConnFacts(t *testing.T) {
	for _, tc := range []struct {
		name         string
		serve        func(c net.Conn)
		serverFirst  bool
		closingState string
	}{
		{"server closes", func(c net.Conn) {
			readRequestHead(c)
			io.WriteString(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")
		}, true, "CLOSE_WAIT"},
		{"client closes", func(c net.Conn) {
			readRequestHead(c)
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			io.Copy(io.Discard, c)
		}, false, "ESTABLISHED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runTrace(t, Options{URL: rawHTTPServer(t, tc.serve)})
			for _, s := range res.Steps {
				if s.Kind != StepClose && s.Conn != nil {
					t.Errorf("%v step has connection facts", s.Kind)
				}
			}
			cf := stepOf(t, res, StepClose).Conn
			if cf == nil {
				t.Fatalf("no connection facts:\n%s", traceDump(res))
			}
			connect := stepOf(t, res, StepConnect)
			if cf.Local != connect.Detail("local address") || cf.Remote != connect.Detail("remote address") {
				t.Errorf("ends %s → %s, the connect step says %s → %s", cf.Local, cf.Remote, connect.Detail("local address"), connect.Detail("remote address"))
			}
			if cf.ServerClosedFirst != tc.serverFirst {
				t.Errorf("server closed first: %v, want %v", cf.ServerClosedFirst, tc.serverFirst)
			}
			if runtime.GOOS != "linux" {
				if cf.Connected != nil || cf.Closing != nil || !errors.Is(cf.KernelErr, tcpinfo.ErrNotAvailable) {
					t.Errorf("outside Linux: %+v", cf)
				}
				return
			}
			if cf.Connected == nil || cf.Closing == nil || cf.KernelErr != nil {
				t.Fatalf("TCP_INFO: %+v", cf)
			}
			if cf.Connected.State != "ESTABLISHED" || cf.Connected.SendMSS <= 0 || cf.Connected.CongestionWindow <= 0 {
				t.Errorf("after the handshake: %+v", *cf.Connected)
			}
			// The server's FIN, read as the body's end, puts the client's
			// socket in CLOSE_WAIT; a server still waiting leaves it
			// ESTABLISHED.
			if cf.Closing.State != tc.closingState {
				t.Errorf("before the client closed: state %s, want %s", cf.Closing.State, tc.closingState)
			}
			if cf.Closing.BytesReceived == 0 {
				t.Errorf("before the client closed: %+v", *cf.Closing)
			}
		})
	}
}
