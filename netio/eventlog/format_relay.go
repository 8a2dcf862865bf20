package eventlog

import (
	"strconv"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// isRelayPairEvent reports whether e is about one pair of a TCP relay (as
// opposed to its listener), which FormatLine words with both ends.
func isRelayPairEvent(e netio.Event) bool { return e.Target != "" && e.Peer != "" }

// appendRelayPair appends the part of a relay pair's line after the protocol,
// with the direction spelled out, e.g.
//
//	[client 127.0.0.1:5123 → target 127.0.0.1:9000] 5 B: hello
//	[target 127.0.0.1:9000 → client 127.0.0.1:5123] 2 B: hi
//	[client 127.0.0.1:5123 ↔ target 127.0.0.1:9000] client closed first
func appendRelayPair(b []byte, e netio.Event) []byte {
	if e.Kind == netio.EventAccepted {
		b = append(append(b, " [client "...), e.Peer...)
		b = append(append(b, "] accepted (local "...), e.Local...)
		return append(append(b, "), connecting to target "...), e.Target...)
	}
	b = append(append(append(b, " ["...), relayEnds(e)...), ']')
	switch e.Kind {
	case netio.EventConnected:
		b = append(append(append(b, " connected (local "...), e.Local...), ')')
	case netio.EventReceived, netio.EventSent:
		b = append(strconv.AppendInt(append(b, ' '), int64(len(e.Data)), 10), " B"...)
		if len(e.Values) > 0 {
			b = extract.AppendText(append(b, ", "...), e.Values)
		}
		b = charset.AppendDisplayText(append(b, ": "...), e.Text)
	case netio.EventClosed:
		b = append(append(b, ' '), relayClosedPhrase(e.Dir, e.Reason)...)
		if e.Text != "" {
			b = append(charset.AppendDisplayText(append(b, " (unfinished bytes: "...), e.Text), ')')
		}
	}
	return b
}

// relayEnds names both ends of a relay event in the direction its bytes went:
// "client A → target T", "target T → client A", or "client A ↔ target T" for
// events that belong to both directions.
func relayEnds(e netio.Event) string {
	switch {
	case e.Dir == netio.DirToClient && e.Kind != netio.EventClosed:
		return "target " + e.Target + " → client " + e.Peer
	case e.Dir == netio.DirToTarget && e.Kind != netio.EventClosed, e.Kind == netio.EventError:
		return "client " + e.Peer + " → target " + e.Target
	}
	return "client " + e.Peer + " ↔ target " + e.Target
}

// relayClosedPhrase says who ended a relay pair: dir is the stream that ended
// first, so its sender is the side that closed first.
func relayClosedPhrase(dir netio.Direction, r netio.CloseReason) string {
	side := "client"
	if dir == netio.DirToClient {
		side = "target"
	}
	switch {
	case r == netio.ReasonLocal || dir == netio.DirNone:
		return closedPhrase(r)
	case r == netio.ReasonPeerClosed:
		return side + " closed first"
	case r == netio.ReasonReset:
		return side + " reset the connection"
	}
	return side + " closed (" + string(r) + ")"
}
