// Package tcpinfo reads what the kernel knows about a TCP connection:
// round-trip time, segment size, retransmissions, congestion window. On
// Linux this is TCP_INFO; elsewhere Read returns ErrNotAvailable, and
// callers show nothing rather than invented numbers.
package tcpinfo

import (
	"errors"
	"fmt"
	"time"
)

// Info is a snapshot of one connection's TCP state, as the kernel reports
// it.
type Info struct {
	// State is the connection's state: "ESTABLISHED", "CLOSE_WAIT", ...
	State string
	// RTT is the smoothed round-trip time, RTTVar its mean deviation.
	RTT, RTTVar time.Duration
	// MinRTT is the smallest round-trip time seen; zero when the kernel
	// does not report it.
	MinRTT time.Duration
	// SendMSS is the largest segment this side sends (snd_mss);
	// AdvertisedMSS the one it announced to the peer (advmss); ReceiveMSS
	// its estimate of the peer's (rcv_mss).
	SendMSS, AdvertisedMSS, ReceiveMSS int
	// Retransmissions counts every segment sent again over the
	// connection's life (total_retrans).
	Retransmissions int
	// CongestionWindow is in segments (snd_cwnd); SlowStartThreshold too,
	// with a very large value meaning slow start has not ended.
	CongestionWindow, SlowStartThreshold int
	// PathMTU is the path MTU the kernel uses.
	PathMTU int
	// BytesAcked and BytesReceived count the payload bytes the peer
	// acknowledged and this side received; SegmentsOut and SegmentsIn
	// count segments. Zero on kernels older than 4.1/4.2.
	BytesAcked, BytesReceived uint64
	SegmentsOut, SegmentsIn   int
}

// ErrNotAvailable says this system does not report TCP_INFO to Sockdesk.
var ErrNotAvailable = errors.New("TCP connection statistics (TCP_INFO) are not available on this system")

// String is a one-line English summary for the command line.
func (i Info) String() string {
	return fmt.Sprintf("%s, RTT %v (±%v), MSS %d, congestion window %d segments, %d retransmissions",
		i.State, i.RTT, i.RTTVar, i.SendMSS, i.CongestionWindow, i.Retransmissions)
}
