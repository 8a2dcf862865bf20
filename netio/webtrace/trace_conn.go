package webtrace

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/netio/charset"
)

// maxHead bounds how much of a request or response head a wireConn keeps:
// real heads are a few hundred bytes, and a server sending megabytes of headers
// must not make a trace keep them all.
const maxHead = 64 << 10

// wireConn is the connection net/http reads and writes, wrapped so that the
// trace sees the plain bytes (above TLS for https): the request and response
// heads exactly as they went over the wire, in their order, and who closed the
// connection first.
type wireConn struct {
	net.Conn          // what net/http uses: the TCP conn, or the TLS conn over it
	raw      net.Conn // the TCP conn, to look for the server's FIN when closing

	writing     sync.Mutex // held during a write, so that waitWrites can wait for it
	mu          sync.Mutex
	sentAt      time.Time // when the write of the request head's end began (and then succeeded)
	sent        headCapture
	recv        headCapture
	nsent       int64
	nrecv       int64
	eofAt       time.Time // the first read that found the server had closed
	closedAt    time.Time
	serverFirst bool          // the server had closed its side when the client closed
	closing     kernelReading // TCP_INFO just before the client closed
	closeOnce   sync.Once
	closed      chan struct{}
	// onSent is called, without the lock, when the whole request head has
	// gone out. net/http's WroteRequest hook cannot say that: it fires before
	// the Transport flushes its buffer to the connection.
	onSent func(time.Time)
}

func newWireConn(c, raw net.Conn, onSent func(time.Time)) *wireConn {
	return &wireConn{Conn: c, raw: raw, closed: make(chan struct{}), onSent: onSent}
}

func (c *wireConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.nrecv += int64(n)
	c.recv.add(p[:n])
	if errors.Is(err, io.EOF) && c.eofAt.IsZero() && c.closedAt.IsZero() {
		c.eofAt = time.Now()
	}
	c.mu.Unlock()
	return n, err
}

func (c *wireConn) Write(p []byte) (int, error) {
	// The bytes are captured before they go: the server may answer, and
	// net/http hand over the response, before this Write returns.
	c.mu.Lock()
	was := c.sent.done
	c.sent.add(p)
	completes := !was && c.sent.done
	c.mu.Unlock()

	// The request is "sent" when its last bytes are handed to the kernel:
	// the time after Write returns can come later than the answer, when
	// the writing goroutine waits to be scheduled again.
	at := time.Now()
	c.writing.Lock()
	n, err := c.Conn.Write(p)
	c.writing.Unlock()
	c.mu.Lock()
	c.nsent += int64(n)
	sent := completes && err == nil
	if sent {
		c.sentAt = at
	}
	c.mu.Unlock()
	if sent && c.onSent != nil {
		c.onSent(at)
	}
	return n, err
}

// waitWrites waits, at most limit, for a write in progress to return, so that
// whether the request went out is known before a failure is put on a step.
func (c *wireConn) waitWrites(limit time.Duration) {
	deadline := time.Now().Add(limit)
	for !c.writing.TryLock() {
		if time.Now().After(deadline) {
			return
		}
		time.Sleep(time.Millisecond)
	}
	c.writing.Unlock()
}

// Close closes the connection once. Before closing it checks, without
// waiting, whether the server's FIN has already arrived: with a
// Content-Length body the client never reads past the body, so an EOF seen by
// a read would miss a server that closed at the same moment.
func (c *wireConn) Close() error {
	var err error
	c.closeOnce.Do(func() {
		first := c.peerClosed()
		closing := readKernel(c.raw)
		err = c.Conn.Close()
		c.mu.Lock()
		c.closedAt = time.Now()
		c.serverFirst = first || !c.eofAt.IsZero()
		c.closing = closing
		c.mu.Unlock()
		close(c.closed)
	})
	return err
}

// peerClosed reads what is left on the TCP connection with a deadline already
// passed, so it never blocks: io.EOF means the server sent its FIN. Anything
// still buffered (a TLS close_notify alert, stray bytes) is read past; the
// connection is being closed, so nobody needs those bytes any more.
func (c *wireConn) peerClosed() bool {
	if c.raw.SetReadDeadline(time.Now().Add(-time.Second)) != nil {
		return false
	}
	var buf [512]byte
	for range 64 {
		_, err := c.raw.Read(buf[:])
		switch {
		case errors.Is(err, io.EOF):
			return true
		case errors.Is(err, os.ErrDeadlineExceeded), err != nil:
			return false
		}
	}
	return false
}

// wireFacts is what the connection saw, copied out under the lock.
type wireFacts struct {
	sentHead, recvHead []byte
	sentPart           []byte // what went out of an incomplete request head
	sentDone           bool   // the whole request head went out (the write returned)
	nsent, nrecv       int64
	closedAt           time.Time
	serverFirst        bool
	closing            kernelReading
}

func (c *wireConn) facts() wireFacts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return wireFacts{
		sentHead: c.sent.head(), recvHead: c.recv.head(), sentDone: !c.sentAt.IsZero(),
		sentPart: bytes.Clone(c.sent.buf),
		nsent:    c.nsent, nrecv: c.nrecv,
		closedAt: c.closedAt, serverFirst: c.serverFirst, closing: c.closing,
	}
}

// headCapture keeps the bytes of one direction up to the end of the first
// head (the blank line). Interim 1xx responses are dropped, so that what is
// kept is the head of the final response.
type headCapture struct {
	buf  []byte
	done bool
}

var headEnd = []byte("\r\n\r\n")

func (h *headCapture) add(p []byte) {
	for len(p) > 0 && !h.done {
		room := maxHead - len(h.buf)
		if room <= 0 {
			h.done = true
			return
		}
		take := min(len(p), room)
		start := max(0, len(h.buf)-len(headEnd)+1)
		h.buf = append(h.buf, p[:take]...)
		i := bytes.Index(h.buf[start:], headEnd)
		if i < 0 {
			p = p[take:]
			continue
		}
		end := start + i + len(headEnd)
		if !isInterim(h.buf) {
			h.buf = h.buf[:end]
			h.done = true
			return
		}
		// A 1xx head: drop it and capture again from what follows it.
		used := end - (len(h.buf) - take)
		h.buf = h.buf[:0]
		p = p[used:]
	}
}

// head returns the captured head, or nil if it never completed.
func (h *headCapture) head() []byte {
	if !h.done || !bytes.HasSuffix(h.buf, headEnd) {
		return nil
	}
	return bytes.Clone(h.buf)
}

// isInterim reports whether a response head is a 1xx one ("HTTP/1.1 100 ...").
func isInterim(head []byte) bool {
	_, rest, ok := bytes.Cut(head, []byte(" "))
	return ok && bytes.HasPrefix(head, []byte("HTTP/")) && len(rest) >= 3 && rest[0] == '1' && rest[1] >= '0' && rest[1] <= '9'
}

// parseHead splits a head into its first line and header fields, in order.
// Values are kept as they came, made safe for one line.
func parseHead(head []byte) (first string, fields []Detail) {
	lines := bytes.Split(bytes.TrimSuffix(head, headEnd), []byte("\r\n"))
	first = charset.DisplayText(string(lines[0]))
	for _, l := range lines[1:] {
		name, value, ok := bytes.Cut(l, []byte(":"))
		if !ok {
			fields = append(fields, Detail{Label: "(malformed)", Value: charset.DisplayText(string(l))})
			continue
		}
		fields = append(fields, Detail{Label: charset.DisplayText(string(name)), Value: charset.DisplayText(string(bytes.TrimSpace(value)))})
	}
	return first, fields
}
