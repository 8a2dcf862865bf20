package eventlog

import (
	"strconv"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

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
