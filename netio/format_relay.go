package netio

import "strconv"

// isRelayPairEvent reports whether e is about one pair of a TCP relay (as
// opposed to its listener), which FormatLine words with both ends.
func isRelayPairEvent(e Event) bool { return e.Target != "" && e.Peer != "" }

// appendRelayPair appends the part of a relay pair's line after the protocol,
// with the direction spelled out, e.g.
//
//	[client 127.0.0.1:5123 → target 127.0.0.1:9000] 5 B: hello
//	[target 127.0.0.1:9000 → client 127.0.0.1:5123] 2 B: hi
//	[client 127.0.0.1:5123 ↔ target 127.0.0.1:9000] client closed first
func appendRelayPair(b []byte, e Event) []byte {
	if e.Kind == EventAccepted {
		b = append(append(b, " [client "...), e.Peer...)
		b = append(append(b, "] accepted (local "...), e.Local...)
		return append(append(b, "), connecting to target "...), e.Target...)
	}
	b = append(append(append(b, " ["...), relayEnds(e)...), ']')
	switch e.Kind {
	case EventConnected:
		b = append(append(append(b, " connected (local "...), e.Local...), ')')
	case EventReceived, EventSent:
		b = append(strconv.AppendInt(append(b, ' '), int64(len(e.Data)), 10), " B: "...)
		b = AppendDisplayText(b, e.Text)
	case EventClosed:
		b = append(append(b, ' '), relayClosedPhrase(e.Dir, e.Reason)...)
		if e.Text != "" {
			b = append(AppendDisplayText(append(b, " (unfinished bytes: "...), e.Text), ')')
		}
	}
	return b
}

// relayEnds names both ends of a relay event in the direction its bytes went:
// "client A → target T", "target T → client A", or "client A ↔ target T" for
// events that belong to both directions.
func relayEnds(e Event) string {
	switch {
	case e.Dir == DirToClient && e.Kind != EventClosed:
		return "target " + e.Target + " → client " + e.Peer
	case e.Dir == DirToTarget && e.Kind != EventClosed, e.Kind == EventError:
		return "client " + e.Peer + " → target " + e.Target
	}
	return "client " + e.Peer + " ↔ target " + e.Target
}

// relayClosedPhrase says who ended a relay pair: dir is the stream that ended
// first, so its sender is the side that closed first.
func relayClosedPhrase(dir Direction, r CloseReason) string {
	side := "client"
	if dir == DirToClient {
		side = "target"
	}
	switch {
	case r == ReasonLocal || dir == DirNone:
		return closedPhrase(r)
	case r == ReasonPeerClosed:
		return side + " closed first"
	case r == ReasonReset:
		return side + " reset the connection"
	}
	return side + " closed (" + string(r) + ")"
}
