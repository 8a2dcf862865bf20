package eventlog

import (
	"strconv"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

// jsonTCPInfo is the JSON form of a netio.TCPInfo: connect_us, the measured
// connect time (connected events only), then TCP_INFO's numbers as the
// system gave them (times in microseconds, the congestion window and slow
// start threshold in segments), or error when the system gave none.
type jsonTCPInfo struct {
	ConnectUS       *int64 `json:"connect_us,omitempty"`
	State           string `json:"state,omitempty"`
	RTTUS           *int64 `json:"rtt_us,omitempty"`
	RTTVarUS        *int64 `json:"rttvar_us,omitempty"`
	MinRTTUS        *int64 `json:"min_rtt_us,omitempty"`
	SendMSS         *int   `json:"snd_mss,omitempty"`
	AdvertisedMSS   *int   `json:"advmss,omitempty"`
	ReceiveMSS      *int   `json:"rcv_mss,omitempty"`
	Retransmissions *int   `json:"retransmissions,omitempty"`
	CongestionWnd   *int   `json:"cwnd,omitempty"`
	SlowStartThresh *int   `json:"ssthresh,omitempty"`
	PathMTU         *int   `json:"pmtu,omitempty"`
	BytesAcked      uint64 `json:"bytes_acked,omitempty"`
	BytesReceived   uint64 `json:"bytes_received,omitempty"`
	SegmentsOut     int    `json:"segs_out,omitempty"`
	SegmentsIn      int    `json:"segs_in,omitempty"`
	Error           string `json:"error,omitempty"`
}

func newJSONTCPInfo(ti *netio.TCPInfo) *jsonTCPInfo {
	if ti == nil {
		return nil
	}
	us := func(d time.Duration) *int64 { v := d.Microseconds(); return &v }
	n := func(v int) *int { return &v }
	j := &jsonTCPInfo{}
	if ti.Connect > 0 {
		j.ConnectUS = us(ti.Connect)
	}
	if k := ti.Kernel; k != nil {
		j.State = k.State
		j.RTTUS, j.RTTVarUS = us(k.RTT), us(k.RTTVar)
		if k.MinRTT > 0 { // zero: not reported
			j.MinRTTUS = us(k.MinRTT)
		}
		j.SendMSS, j.AdvertisedMSS, j.ReceiveMSS = n(k.SendMSS), n(k.AdvertisedMSS), n(k.ReceiveMSS)
		j.Retransmissions, j.CongestionWnd, j.SlowStartThresh, j.PathMTU = n(k.Retransmissions), n(k.CongestionWindow), n(k.SlowStartThreshold), n(k.PathMTU)
		j.BytesAcked, j.BytesReceived = k.BytesAcked, k.BytesReceived
		j.SegmentsOut, j.SegmentsIn = k.SegmentsOut, k.SegmentsIn
	} else if ti.KernelErr != nil {
		j.Error = ti.KernelErr.Error()
	}
	return j
}

// AppendTCPInfo appends a one-line English account of a TCP client's
// connection as its connected or closed event carries it, e.g.
//
//	TCP: connect took 112µs; TCP_INFO: ESTABLISHED, RTT 56µs (±28µs), MSS 32768, congestion window 10 segments, 0 retransmissions
//
// It appends nothing for an event without TCPInfo.
func AppendTCPInfo(dst []byte, e netio.Event) []byte {
	ti := e.TCPInfo
	if ti == nil {
		return dst
	}
	b := append(dst, "TCP: "...)
	if ti.Connect > 0 {
		b = append(append(b, "connect took "...), ti.Connect.Round(time.Microsecond).String()...)
		b = append(b, "; "...)
	}
	switch {
	case ti.Kernel != nil:
		if e.Kind == netio.EventClosed {
			b = append(b, "TCP_INFO before closing: "...)
		} else {
			b = append(b, "TCP_INFO: "...)
		}
		b = append(b, ti.Kernel.String()...)
		if ti.Kernel.SegmentsOut > 0 || ti.Kernel.SegmentsIn > 0 {
			b = strconv.AppendInt(append(b, ", segments out "...), int64(ti.Kernel.SegmentsOut), 10)
			b = strconv.AppendInt(append(b, ", in "...), int64(ti.Kernel.SegmentsIn), 10)
		}
	case ti.KernelErr != nil:
		b = append(b, ti.KernelErr.Error()...)
	}
	return b
}
