package netio

import (
	"testing"
)

// A sent event's time is when the bytes were handed to the system, so the
// reply's received event has a later time even when it is emitted first.
func TestSentTimePrecedesTheReply(t *testing.T) {
	for round := 0; round < 20; round++ {
		echo, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0", Echo: true})
		u, col := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
		if err := u.SendTo(echo.LocalAddr().String(), []byte("ping")); err != nil {
			t.Fatal(err)
		}
		reply := col.WaitFor(t, "the echo", kind(EventReceived), 1)[0]
		sent := col.WaitFor(t, "sent", kind(EventSent), 1)[0]
		if !sent.Time.Before(reply.Time) {
			t.Fatalf("udp: sent at %v, its echo received at %v", sent.Time, reply.Time)
		}

		srv, _ := startServer(t, TCPServerConfig{Echo: true})
		c, ccol := startClient(t, srv.Addr().String(), nil)
		if err := c.Send([]byte("ping")); err != nil {
			t.Fatal(err)
		}
		reply = ccol.WaitFor(t, "the echo", kind(EventReceived), 1)[0]
		sent = ccol.WaitFor(t, "sent", kind(EventSent), 1)[0]
		if !sent.Time.Before(reply.Time) {
			t.Fatalf("tcp: sent at %v, its echo received at %v", sent.Time, reply.Time)
		}
	}
}
