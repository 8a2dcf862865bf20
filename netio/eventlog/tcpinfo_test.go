package eventlog

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/tcpinfo"
	"github.com/sockdesk/sockdesk/netio"
)

func TestTCPInfoInJSONAndText(t *testing.T) {
	info := &tcpinfo.Info{State: "ESTABLISHED", RTT: 56 * time.Microsecond, RTTVar: 28 * time.Microsecond,
		SendMSS: 32768, AdvertisedMSS: 65483, ReceiveMSS: 536, CongestionWindow: 10, SlowStartThreshold: 2147483647,
		PathMTU: 65535, SegmentsOut: 3, SegmentsIn: 2, BytesAcked: 1}
	connected := netio.Event{Time: time.Unix(0, 0), Kind: netio.EventConnected, Proto: "tcp",
		TCPInfo: &netio.TCPInfo{Connect: 112400 * time.Nanosecond, Kernel: info}}
	b, err := JSON(connected)
	if err != nil {
		t.Fatal(err)
	}
	want := `"tcpinfo":{"connect_us":112,"state":"ESTABLISHED","rtt_us":56,"rttvar_us":28,"snd_mss":32768,"advmss":65483,"rcv_mss":536,"retransmissions":0,"cwnd":10,"ssthresh":2147483647,"pmtu":65535,"bytes_acked":1,"segs_out":3,"segs_in":2}`
	if !strings.Contains(string(b), want) {
		t.Errorf("JSON %s\nlacks %s", b, want)
	}
	if got, want := string(AppendTCPInfo(nil, connected)), "TCP: connect took 112µs; TCP_INFO: ESTABLISHED, RTT 56µs (±28µs), MSS 32768, congestion window 10 segments, 0 retransmissions, segments out 3, in 2"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// Where the system gives nothing, the JSON and the line say why.
	closed := netio.Event{Time: time.Unix(0, 0), Kind: netio.EventClosed, Proto: "tcp", TCPInfo: &netio.TCPInfo{KernelErr: tcpinfo.ErrNotAvailable}}
	b, _ = JSON(closed)
	if want := `"tcpinfo":{"error":"` + tcpinfo.ErrNotAvailable.Error() + `"}`; !strings.Contains(string(b), want) {
		t.Errorf("JSON %s\nlacks %s", b, want)
	}
	if got, want := string(AppendTCPInfo(nil, closed)), "TCP: "+tcpinfo.ErrNotAvailable.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	closed.TCPInfo = &netio.TCPInfo{Kernel: &tcpinfo.Info{State: "CLOSE_WAIT"}}
	if got := string(AppendTCPInfo(nil, closed)); !strings.HasPrefix(got, "TCP: TCP_INFO before closing: CLOSE_WAIT,") {
		t.Errorf("closed: %q", got)
	}

	// Other events carry none.
	plain := netio.Event{Kind: netio.EventReceived, Proto: "udp", Err: errors.New("x")}
	if b, _ := JSON(plain); strings.Contains(string(b), "tcpinfo") {
		t.Errorf("JSON %s has tcpinfo", b)
	}
	if got := AppendTCPInfo(nil, plain); len(got) != 0 {
		t.Errorf("line %q", got)
	}
}
