package tcpinfo

import (
	"fmt"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Read asks the kernel for c's TCP_INFO. c is a *net.TCPConn (or anything
// with a raw socket); a closed or non-TCP socket is an error.
func Read(c syscall.Conn) (Info, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return Info{}, fmt.Errorf("tcpinfo: %w", err)
	}
	var ti *unix.TCPInfo
	var serr error
	if err := rc.Control(func(fd uintptr) {
		ti, serr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	}); err != nil {
		return Info{}, fmt.Errorf("tcpinfo: %w", err)
	}
	if serr != nil {
		return Info{}, fmt.Errorf("tcpinfo: getsockopt TCP_INFO: %w", serr)
	}
	state, ok := stateNames[ti.State]
	if !ok {
		state = "state " + strconv.Itoa(int(ti.State))
	}
	us := func(v uint32) time.Duration { return time.Duration(v) * time.Microsecond }
	return Info{
		State:              state,
		RTT:                us(ti.Rtt),
		RTTVar:             us(ti.Rttvar),
		MinRTT:             us(ti.Min_rtt),
		SendMSS:            int(ti.Snd_mss),
		AdvertisedMSS:      int(ti.Advmss),
		ReceiveMSS:         int(ti.Rcv_mss),
		Retransmissions:    int(ti.Total_retrans),
		CongestionWindow:   int(ti.Snd_cwnd),
		SlowStartThreshold: int(ti.Snd_ssthresh),
		PathMTU:            int(ti.Pmtu),
		BytesAcked:         ti.Bytes_acked,
		BytesReceived:      ti.Bytes_received,
		SegmentsOut:        int(ti.Segs_out),
		SegmentsIn:         int(ti.Segs_in),
	}, nil
}

// stateNames are the kernel's TCP states, numbered as in <netinet/tcp.h>.
var stateNames = map[uint8]string{
	1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
	6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
}
