package netio

import (
	"net/netip"
	"time"

	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// EventKind says what happened on an endpoint.
type EventKind int

const (
	EventListening EventKind = iota // a socket is bound and ready
	EventAccepted                   // a TCP server accepted a client
	EventConnected                  // a TCP client finished its handshake
	EventReceived                   // bytes arrived
	EventSent                       // bytes left
	EventClosed                     // a connection (or the endpoint) closed; see Reason
	EventError                      // something went wrong; see Err
	EventDropped                    // the system dropped datagrams before they were read; see Dropped
)

var eventNames = [...]string{"listening", "accepted", "connected", "received", "sent", "closed", "error", "dropped"}

func (k EventKind) String() string {
	if k >= 0 && int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "unknown"
}

// CloseReason says why a connection closed.
type CloseReason string

const (
	ReasonPeerClosed CloseReason = "peer closed"         // the peer sent FIN (close or half-close)
	ReasonReset      CloseReason = "reset"               // the peer sent RST
	ReasonLocal      CloseReason = "local"               // we closed it (Disconnect, Close)
	ReasonMaxClients CloseReason = "max clients reached" // a server refused a client over its limit
	ReasonError      CloseReason = "error"               // a read or write failed otherwise; see Err
)

// Event is one happening on an endpoint. Events are values: once emitted, nobody
// changes an Event or its Data, so every sink may keep it — except a Borrower,
// which is lent a received event's bytes for the call only (borrow.go). Time is when it
// happened; for sent, when the bytes were handed to the system (the write's
// start), so a reply's received event, which may be emitted before its request's
// sent event, still has the later time.
type Event struct {
	Time   time.Time
	Kind   EventKind
	Proto  string    // "udp" or "tcp"
	Local  string    // local address, host:port
	Peer   string    // remote address, host:port; empty for listening
	Client uint64    // TCP server: the client's id; TCP relay: the pair's id (1, 2, ...); 0 otherwise
	Family string    // a peer's events: "IPv4" or "IPv6", the family the peer used
	Target string    // TCP relay: the target's address, host:port; empty otherwise
	Dir    Direction // TCP relay: which way the bytes went (or whose side closed first)
	Data   []byte    // the raw bytes received or sent; never modified once emitted (Text may share them), unless lent to a Borrower
	Text   string    // Data decoded with the session's charset (undecodable bytes as \xNN); listening: groups joined
	Reason CloseReason
	Err    error
	Rule   int // sent: the auto-reply rule (1-based) that sent it; 0 otherwise
	// TLS: on connected and accepted, what the handshake agreed on and the
	// peer's certificate; on a TLS server's listening, its own certificate
	// (Cert only). nil for plain TCP and UDP.
	TLS *TLSInfo
	// Check is the verdict on the checksum at the end of Data, for a received
	// event that went through a CheckSink; nil when no checksum is checked.
	Check *checksum.Result
	// Frame is how the frame ended, for a received event of a TCP stream cut
	// into frames (see netio/framing); FrameNone when the stream is not framed.
	Frame FrameStatus
	// Ending is how many bytes at the end of Data end the frame without being
	// part of its message (line: the LF or CRLF; delim: the sequence); 0 otherwise.
	// See Message.
	Ending int
	// Framing is the endpoint's framing spec (e.g. "line") on its listening and
	// connected events when it frames; empty otherwise.
	Framing string
	// Values are the numbers the extraction stage (ExtractSink) found in a
	// received event, in the order they stand in the message; nil without the
	// stage or when the message held none. Like Data, never modified once
	// emitted.
	Values []extract.Value

	// TCPInfo: on a TCP client's connected and closed events, the measured
	// connect time and the system's TCP_INFO (tcpstats.go); nil otherwise.
	TCPInfo *TCPInfo

	// Dropped, on a dropped event, is how many datagrams the system dropped
	// at the socket (its receive buffer was full) since the previous dropped
	// event: they arrived but were never read.
	Dropped uint64
	// TTL and Dst, on a UDP received event where the system tells them
	// (Linux, macOS, the BSDs): the TTL (IPv4) or hop limit (IPv6) the
	// datagram arrived with, and the address it was sent to (the IP header's
	// destination, which on a socket bound to 0.0.0.0 or :: says which of
	// this host's addresses it reached; an IPv4 datagram on a dual-stack
	// socket may show as IPv4-mapped). Zero (TTL 0, Dst invalid) when unknown:
	// a hop limit of 0 cannot be told apart, and only a datagram that never
	// left this host can arrive with it.
	TTL int
	Dst netip.Addr
}

// Sink receives events. Emit is called on socket goroutines and must not block for
// long: a sink that feeds a slow consumer drops what it cannot hold (see Queue).
type Sink interface {
	Emit(Event)
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(Event)

// Emit calls f(e).
func (f SinkFunc) Emit(e Event) { f(e) }

// Tee returns a sink that emits every event to each of sinks in order; nil sinks
// are skipped, so optional sinks can be passed as they are.
func Tee(sinks ...Sink) Sink {
	var live multiSink
	for _, s := range sinks {
		if s != nil {
			live = append(live, s)
		}
	}
	return live
}

type multiSink []Sink

func (m multiSink) Emit(e Event) {
	for _, s := range m {
		s.Emit(e)
	}
}

// emitter stamps events with the endpoint's protocol and the time, and hands them to
// the sink. Socket goroutines share it.
type emitter struct {
	proto string
	sink  Sink
	lend  bool // the sink borrows: received bytes may be lent to it, not copied
}

func newEmitter(proto string, sink Sink) emitter {
	return emitter{proto: proto, sink: sink, lend: Borrows(sink)}
}

// received is what a received event carries of read, bytes in a buffer the
// next read reuses: read itself, lent, when the sink borrows; a copy of its
// own otherwise, for the sink may keep it.
func (em emitter) received(read []byte) []byte {
	if em.lend {
		return read
	}
	return append([]byte(nil), read...)
}

func (em emitter) emit(e Event) {
	if em.sink == nil {
		return
	}
	e.Proto = em.proto
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	em.sink.Emit(e)
}
