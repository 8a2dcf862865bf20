package eventlog

import (
	"encoding/hex"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// This file keeps the JSON encoder that AppendJSON replaced, a struct and
// encoding/json, as the reference it must match byte for byte (json_test.go).
// A field added to the JSON form goes into both.

// refEvent is the JSON form of an Event: the contract of `--json` and of JSON logs.
type refEvent struct {
	Time    string         `json:"time"`
	TimeMS  int64          `json:"ts_ms"`
	Event   string         `json:"event"`
	Proto   string         `json:"proto"`
	Local   string         `json:"local,omitempty"`
	Peer    string         `json:"peer,omitempty"`
	Client  uint64         `json:"client,omitempty"`
	Family  string         `json:"family,omitempty"`
	Target  string         `json:"target,omitempty"`
	Dir     string         `json:"dir,omitempty"`
	Bytes   int            `json:"bytes"`
	Text    string         `json:"text"`
	Hex     string         `json:"hex"`
	Reason  string         `json:"reason,omitempty"`
	Error   string         `json:"error,omitempty"`
	Rule    int            `json:"rule,omitempty"`
	TLS     *netio.TLSInfo `json:"tls,omitempty"`
	Check   *refCheck      `json:"checksum,omitempty"`
	Frame   string         `json:"frame,omitempty"`
	Framing string         `json:"framing,omitempty"`

	// Values is extract.AppendJSON of the event's values; absent without any.
	Values json.RawMessage `json:"values,omitempty"`

	// TCPInfo: a TCP client's connected and closed events (tcpinfo.go).
	TCPInfo *refTCPInfo `json:"tcpinfo,omitempty"`

	Dropped uint64 `json:"dropped,omitempty"`
}

// refCheck is the JSON form of a checksum.Result; got and want are absent when
// the message was too short to carry the checksum.
type refCheck struct {
	Name string `json:"name"`
	OK   bool   `json:"ok"`
	Got  string `json:"got,omitempty"`
	Want string `json:"want,omitempty"`
}

// referenceJSON is JSON as it was written with encoding/json.
func referenceJSON(e netio.Event) ([]byte, error) {
	j := refEvent{
		Time:    e.Time.Format("2006-01-02T15:04:05.000Z07:00"),
		TimeMS:  e.Time.UnixMilli(),
		Event:   e.Kind.String(),
		Proto:   e.Proto,
		Local:   e.Local,
		Peer:    e.Peer,
		Client:  e.Client,
		Family:  e.Family,
		Target:  e.Target,
		Dir:     e.Dir.String(),
		Bytes:   len(e.Data),
		Text:    e.Text,
		Hex:     hex.EncodeToString(e.Data),
		Reason:  string(e.Reason),
		Rule:    e.Rule,
		TLS:     e.TLS,
		Frame:   e.Frame.String(),
		Framing: e.Framing,
		Dropped: e.Dropped,
		TCPInfo: newRefTCPInfo(e.TCPInfo),
	}
	if e.Err != nil {
		j.Error = e.Err.Error()
	}
	if c := e.Check; c != nil {
		j.Check = &refCheck{Name: c.Name, OK: c.OK}
		if !c.Short {
			j.Check.Got, j.Check.Want = c.GotHex(), c.WantHex()
		}
	}
	if len(e.Values) > 0 {
		j.Values = extract.AppendJSON(nil, e.Values)
	}
	b, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	return refJSONSafe(b), nil
}

// refJSONSafe rewrites, inside JSON text, the characters DisplayText escapes and
// encoding/json leaves raw (DEL, C1 controls, bidi overrides and isolates,
// zero-width characters) as \uXXXX escapes.
func refJSONSafe(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < 0x7F {
		i++
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x7F && r <= 0xFFFF && charset.NeedsEscape(r) {
			out = append(out, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// refTCPInfo is the JSON form of a netio.TCPInfo: connect_us, the measured
// connect time (connected events only), then TCP_INFO's numbers as the
// system gave them (times in microseconds, the congestion window and slow
// start threshold in segments), or error when the system gave none.
type refTCPInfo struct {
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

func newRefTCPInfo(ti *netio.TCPInfo) *refTCPInfo {
	if ti == nil {
		return nil
	}
	us := func(d time.Duration) *int64 { v := d.Microseconds(); return &v }
	n := func(v int) *int { return &v }
	j := &refTCPInfo{}
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
