package seqdiagram

import (
	"errors"
	"strconv"
	"time"

	"github.com/sockdesk/sockdesk/internal/tcpinfo"
	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// dur shows a measured duration: microseconds under a millisecond (a
// loopback round trip is tens of them), else as the web trace shows times.
func dur(d time.Duration) string {
	if d < time.Millisecond {
		return strconv.FormatInt(d.Microseconds(), 10) + " µs"
	}
	return webtrace.FormatDuration(d)
}

// rel is a moment from the diagram's start, "+1.25 ms".
func rel(d time.Duration) string { return "+" + dur(max(d, 0)) }

// kernelFacts are what the system's TCP_INFO said after the handshake and
// before this side closed, or why there is none.
func kernelFacts(atConnect, atClose *tcpinfo.Info, err error) []Fact {
	var out []Fact
	if atConnect != nil {
		out = append(out, Fact{tr("TCP_INFO after the handshake"), trf("RTT %s (±%s), MSS %d, congestion window %d segments, %d retransmissions",
			dur(atConnect.RTT), dur(atConnect.RTTVar), atConnect.SendMSS, atConnect.CongestionWindow, atConnect.Retransmissions)})
	}
	if atClose != nil {
		out = append(out, Fact{tr("TCP_INFO before closing"), trf("%s, RTT %s (±%s), congestion window %d segments, %d retransmissions, %d segments out, %d in",
			atClose.State, dur(atClose.RTT), dur(atClose.RTTVar), atClose.CongestionWindow, atClose.Retransmissions, atClose.SegmentsOut, atClose.SegmentsIn)})
	}
	switch {
	case len(out) > 0 || err == nil:
	case errors.Is(err, tcpinfo.ErrNotAvailable):
		out = append(out, Fact{tr("TCP_INFO"), tr("not available on this system: the round-trip time, segment size, retransmissions and congestion window are not shown")})
	default:
		out = append(out, Fact{tr("TCP_INFO"), trf("could not be read: %s", err.Error())})
	}
	return out
}

// peerClosedFirst reads who closed first from the system's state just before
// this side closed: CLOSE_WAIT means the peer's FIN had arrived.
func peerClosedFirst(atClose *tcpinfo.Info) bool {
	return atClose != nil && atClose.State == "CLOSE_WAIT"
}

// closeRows are the four-way close in the order it happened, the first FIN
// at the moment the socket API saw it, and TIME_WAIT on the side that closed
// first.
func closeRows(serverFirst bool, at, moment string) []Row {
	first, second := Client, Server
	if serverFirst {
		first, second = Server, Client
	}
	return []Row{
		{Kind: Arrow, From: first, Label: "FIN, ACK", At: at, Moment: moment},
		{Kind: Arrow, From: second, Label: "ACK"},
		{Kind: Arrow, From: second, Label: "FIN, ACK"},
		{Kind: Arrow, From: first, Label: "ACK"},
		{Kind: State, From: first, Label: "TIME_WAIT"},
	}
}

// handshakeRows are the three-way handshake from the client, the SYN at the
// connect call and the ACK when it returned, where those were measured.
func handshakeRows(start, done string) []Row {
	return []Row{
		{Kind: Arrow, From: Client, Label: "SYN", At: start, Moment: momentIf(start, tr("connect() called"))},
		{Kind: Arrow, From: Server, Label: "SYN, ACK"},
		{Kind: Arrow, From: Client, Label: "ACK", At: done, Moment: momentIf(done, tr("connect() returned"))},
	}
}

func momentIf(at, moment string) string {
	if at == "" {
		return ""
	}
	return moment
}

// notes say what a diagram is drawn from.
func notes() []string {
	return []string{
		tr("Drawn from what the socket API reports — the bytes written and read, when the connection was made and when it ended, who ended it — not captured: the handshake and close segments follow from those facts, and each data arrow is one write or one read, which the system may have sent as several segments."),
		tr("Times are measured by the program from the start; a segment without a time was never seen by the program, so none is given."),
	}
}
