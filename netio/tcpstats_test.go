package netio

import (
	"errors"
	"runtime"
	"testing"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/internal/tcpinfo"
)

// checkKernel checks a TCP_INFO snapshot: on Linux it is there, in state
// want, with the numbers a loopback connection has; elsewhere it is absent
// and says so.
func checkKernel(t *testing.T, what string, ti *TCPInfo, want string) *tcpinfo.Info {
	t.Helper()
	if ti == nil {
		t.Fatalf("%s: no TCPInfo", what)
	}
	if runtime.GOOS != "linux" {
		if ti.Kernel != nil || !errors.Is(ti.KernelErr, tcpinfo.ErrNotAvailable) {
			t.Errorf("%s: kernel %+v, error %v; want ErrNotAvailable", what, ti.Kernel, ti.KernelErr)
		}
		return nil
	}
	k := ti.Kernel
	if k == nil {
		t.Fatalf("%s: no TCP_INFO: %v", what, ti.KernelErr)
	}
	if k.State != want || k.RTT <= 0 || k.SendMSS <= 0 || k.CongestionWindow <= 0 || k.PathMTU <= 0 {
		t.Errorf("%s: TCP_INFO %+v, want state %s and an RTT, MSS, window and path MTU", what, *k, want)
	}
	return k
}

// The connected and closed events of a client carry the measured connect time
// and TCP_INFO; a closed event's snapshot is taken before the socket closes,
// so its state says who had closed (CLOSE_WAIT: the peer).
func TestTCPClientEventsCarryTCPInfo(t *testing.T) {
	srv, sEvents := startServer(t, TCPServerConfig{Echo: true})
	cli, cEvents := startClient(t, srv.Addr().String(), nil)

	conn := cEvents.WaitFor(t, "connected", kind(EventConnected), 1)[0]
	if conn.TCPInfo == nil || conn.TCPInfo.Connect <= 0 || conn.TCPInfo.Connect > eventtest.WaitTimeout {
		t.Fatalf("connected: TCPInfo %+v, want a measured connect time", conn.TCPInfo)
	}
	checkKernel(t, "connected", conn.TCPInfo, "ESTABLISHED")

	msg := []byte("measure me")
	if err := cli.Send(msg); err != nil {
		t.Fatal(err)
	}
	cEvents.WaitFor(t, "the echo", kind(EventReceived), 1)
	if live, err := cli.TCPInfo(); runtime.GOOS == "linux" && (err != nil || live.BytesAcked < uint64(len(msg))) {
		t.Errorf("TCPInfo(): %+v, %v; want the %d bytes acknowledged", live, err, len(msg))
	}

	// The server closes first: the client's socket is in CLOSE_WAIT when read.
	if err := srv.Disconnect(1); err != nil {
		t.Fatal(err)
	}
	closed := cEvents.WaitFor(t, "closed", kind(EventClosed), 1)[0]
	if closed.Reason != ReasonPeerClosed || closed.TCPInfo == nil || closed.TCPInfo.Connect != 0 {
		t.Fatalf("closed: %s, TCPInfo %+v", show(closed), closed.TCPInfo)
	}
	if k := checkKernel(t, "closed by the peer", closed.TCPInfo, "CLOSE_WAIT"); k != nil && k.BytesReceived != uint64(len(msg))+1 {
		// The kernel counts the sequence numbers received: the FIN takes one.
		t.Errorf("closed: %d bytes received, want %d and the FIN", k.BytesReceived, len(msg))
	}
	if _, err := cli.TCPInfo(); err == nil {
		t.Error("TCPInfo() after the end: no error")
	}
	// The server's events carry none.
	for _, e := range sEvents.Events() {
		if e.TCPInfo != nil {
			t.Errorf("server event with TCPInfo: %s", show(e))
		}
	}
}

// Closed here: the snapshot is read before this side's FIN goes out.
func TestTCPClientClosedHereCarriesTCPInfo(t *testing.T) {
	srv, _ := startServer(t, TCPServerConfig{})
	cli, cEvents := startClient(t, srv.Addr().String(), nil)
	cEvents.WaitFor(t, "connected", kind(EventConnected), 1)
	cli.Close()
	closed := cEvents.WaitFor(t, "closed", kind(EventClosed), 1)[0]
	if closed.Reason != ReasonLocal {
		t.Fatalf("closed: %s", show(closed))
	}
	checkKernel(t, "closed here", closed.TCPInfo, "ESTABLISHED")
	if _, err := NewTCPClient(TCPClientConfig{Addr: "127.0.0.1:9"}).TCPInfo(); !errors.Is(err, ErrNotStarted) {
		t.Errorf("TCPInfo() before Start: %v", err)
	}
}
