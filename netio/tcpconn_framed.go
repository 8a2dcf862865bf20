package netio

import (
	"errors"
	"os"
	"time"
)

// readFrames is the read loop with framing (see netio/framing's read loop): the
// stream is cut into frames and each frame is a received event, checked, echoed
// and answered as a message. The bytes left when the connection ends, for any
// reason, come out as an incomplete frame: nothing read is left unreported.
func (c *tcpConn) readFrames(dec *streamDecoder) error {
	buf := make([]byte, c.bufSize)
	idle := c.frames.fr.IdleTimeout()
	for {
		if idle > 0 {
			// While a message is under way, a read that waits idle finds it over.
			if c.frames.fr.Pending() {
				c.conn.SetReadDeadline(time.Now().Add(idle))
			} else {
				c.conn.SetReadDeadline(time.Time{})
			}
		}
		n, err := c.conn.Read(buf)
		if n > 0 {
			c.stats.addInBytes(n)
			if c.total != nil {
				c.total.addInBytes(n)
			}
		}
		// A local close moves the deadline to the past too: that one ends the
		// loop, it is no pause.
		expire := n == 0 && idle > 0 && errors.Is(err, os.ErrDeadlineExceeded) && !c.closingLocal.Load()
		if expire {
			err = nil
		}
		if werr := c.receivedFrames(c.frames.split(buf[:n], expire, err != nil), dec, true); werr != nil {
			// The connection is going: what the framer holds still goes out.
			c.receivedFrames(c.frames.split(nil, false, true), dec, false)
			return werr
		}
		if n == len(buf) && len(buf) < maxReadBuffer {
			buf = make([]byte, min(2*len(buf), maxReadBuffer))
		}
		if err != nil {
			return err
		}
	}
}

// receivedFrames counts and emits the frames of one read, all stamped with the
// read's time, and echoes and answers each (unless answer is false) in order.
// It stops answering at the first failed write and returns its error, but emits
// every frame.
func (c *tcpConn) receivedFrames(frames []splitFrame, dec *streamDecoder, answer bool) error {
	if len(frames) == 0 {
		return nil
	}
	c.stats.addInMsgs(len(frames))
	if c.total != nil {
		c.total.addInMsgs(len(frames))
	}
	e := c.event(EventReceived)
	e.Time = time.Now()
	var werr error
	for _, f := range frames {
		e.Data, e.Text = f.data, dec.decode(f.data)
		e.Frame, e.Ending = f.status, f.ending
		c.em.emit(e)
		if !answer || werr != nil {
			continue
		}
		if c.echo {
			werr = c.write(f.data)
		}
		if werr == nil {
			if reply, rule, ok := c.resp.Reply(e.Message(), e.MessageText()); ok {
				werr = c.send(reply, rule)
			}
		}
	}
	return werr
}
