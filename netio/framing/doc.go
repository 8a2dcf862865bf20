// Package framing cuts a TCP byte stream into messages ("frames"), so that what a
// peer sends as two quick messages is seen as two, and one message the network
// split is seen as one.
//
// A [Spec] says where a frame ends; [Parse] reads one from the form users type:
//
//	none                                  after each read (no framing)
//	line                                  after a LF byte (a CR before it is part of the frame)
//	delim:HEX                             after the byte sequence HEX, e.g. delim:0d0a, delim:03
//	fixed:N                               after N bytes
//	length:OFFSET:SIZE[:be|le][:ADJUST]   after OFFSET + SIZE + value + ADJUST bytes, where value
//	                                      is the SIZE-byte (1, 2 or 4) unsigned field at OFFSET
//	modbus-tcp                            as length:4:2 (the MBAP header)
//	idle:DUR                              when no byte has arrived for DUR, e.g. idle:20ms
//
// A [Framer] applies a Spec to one stream (one TCP connection, one relay direction).
// The frames it hands out do not depend on how the stream was cut into reads,
// and nothing is dropped: the frames' bytes, in order, are the stream.
//
// A message longer than the maximum frame size is handed out in pieces of at most
// that size, each marked [Overflow], the last one included; framing resumes
// where that message really ends (for length framing: after the announced length,
// which is never allocated). Bytes left when the stream ends come out as one
// [Incomplete] frame.
//
// # The read loop
//
// A Framer never blocks and cannot see time; the connection's read loop drives it:
//
//	fr := framing.NewFramer(spec, maxFrame)
//	idle := fr.IdleTimeout() // 0 unless the spec is idle:DUR
//	for {
//		if idle > 0 {
//			// While a message is under way, a read that waits DUR finds it over.
//			if fr.Pending() {
//				conn.SetReadDeadline(time.Now().Add(idle))
//			} else {
//				conn.SetReadDeadline(time.Time{})
//			}
//		}
//		n, err := conn.Read(buf)
//		fr.Feed(buf[:n])
//		if n == 0 && idle > 0 && errors.Is(err, os.ErrDeadlineExceeded) && !closing {
//			fr.Expire() // DUR passed without a byte: the pending bytes are a frame
//			err = nil
//		}
//		if err != nil {
//			fr.End() // whatever is left comes out as an incomplete frame
//		}
//		for f, ok := fr.Next(); ok; f, ok = fr.Next() {
//			handle(f) // f.Data is valid until the next Next: copy it to keep it
//		}
//		if err != nil {
//			break
//		}
//	}
//
// closing is the connection's own "closed locally" flag, set before Close moves
// the read deadline to the past: that deadline must end the loop, not a frame.
// readFrames in tcp_test.go is this loop, tested on real sockets.
//
// A relay forwards bytes as they are read, whatever the framing: framing only
// decides how the bytes are reported, checked and matched.
package framing
