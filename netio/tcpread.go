package netio

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// idleAfter is how long a connection goes without data before its reader
// parks: it gives its read buffer back and waits for the next byte on a
// goroutine that never ran the deep path of handling one (decoding, sinks,
// echo), so an idle client costs a small stack and no buffer. A stream that
// pauses for less keeps its buffer and its goroutine.
const idleAfter = 20 * time.Millisecond

// errIdle ends a burst of reads that found the connection idle.
var errIdle = errors.New("idle")

// connReader reads a connection in bursts. Where the system can wait for a
// socket to be readable without reading it (a plain TCP socket on Unix), the
// goroutine that waits holds no buffer and a small stack, and each burst of
// reads runs on a goroutine of its own that ends once the connection has been
// idle for idleAfter. Elsewhere (TLS, which buffers records; Windows) it is one
// loop of reads, as a plain reader would be.
type connReader struct {
	conn    net.Conn
	size    int             // the read size; grows while a peer streams
	raw     syscall.RawConn // for waiting without a buffer; nil: not here
	closing *atomic.Bool    // set when the connection is being closed from our side
	peek    [1]byte         // what a readiness check peeks into
	result  chan error      // a burst's end, to the waiting goroutine
}

func newConnReader(conn net.Conn, size int, closing *atomic.Bool) *connReader {
	r := &connReader{conn: conn, size: size, closing: closing}
	if sc, ok := conn.(syscall.Conn); ok && canWaitReadable {
		if rc, err := sc.SyscallConn(); err == nil {
			r.raw, r.result = rc, make(chan error, 1)
		}
	}
	return r
}

// each calls handle with every read's bytes (valid only during the call), in
// order and never two at once, until a read fails or handle returns an error,
// and returns that error.
func (r *connReader) each(handle func([]byte) error) error {
	if r.raw == nil {
		return r.burst(handle)
	}
	for {
		if err := r.awaitData(); err != nil {
			return err
		}
		go func() { r.result <- r.burst(handle) }()
		if err := <-r.result; err != errIdle {
			return err
		}
	}
}

// burst reads and handles until an error, or, when the reader can park, until
// the connection has been idle for idleAfter (errIdle).
func (r *connReader) burst(handle func([]byte) error) error {
	buf := getReadBuffer(r.size)
	defer func() { putReadBuffer(buf) }()
	armed := false
	var last time.Time // of the last data, while parking is possible
	for {
		n, err := r.conn.Read(buf)
		if n > 0 {
			if herr := handle(buf[:n]); herr != nil {
				return herr
			}
			if r.raw != nil {
				last = time.Now()
			}
		}
		if n == len(buf) && len(buf) < maxReadBuffer {
			// The peer streams faster than we read: read more at a time, so a bulk
			// transfer costs fewer events (each with its time stamp, decoding,
			// log line and queue attempt). Idle and chatty clients keep the
			// small buffer they started with.
			putReadBuffer(buf)
			r.size = min(2*len(buf), maxReadBuffer)
			buf = getReadBuffer(r.size)
		}
		if err != nil {
			if r.raw == nil || !errors.Is(err, os.ErrDeadlineExceeded) || r.closing.Load() {
				return err
			}
			if time.Since(last) >= idleAfter {
				r.conn.SetReadDeadline(time.Time{})
				return errIdle
			}
			// Data came since the deadline was set: wait idleAfter from then.
			r.conn.SetReadDeadline(last.Add(idleAfter))
			continue
		}
		if r.raw != nil && !armed {
			armed = true
			r.conn.SetReadDeadline(time.Now().Add(idleAfter))
		}
	}
}

// awaitData waits, with no buffer, until the connection has something to read:
// data or its end, which the next read then returns, or an error, returned
// here as a read would return it (the system reports a socket error once, to
// the call that finds it).
func (r *connReader) awaitData() error {
	var peekErr error
	err := r.raw.Read(func(fd uintptr) bool {
		wait, err := wouldBlock(fd, r.peek[:])
		peekErr = err
		return !wait
	})
	if err == nil && peekErr != nil {
		err = &net.OpError{Op: "read", Net: "tcp", Source: r.conn.LocalAddr(), Addr: r.conn.RemoteAddr(), Err: os.NewSyscallError("recvfrom", peekErr)}
	}
	return err
}

// readBuffers hold the read buffers of the sizes a connection uses (16, 32
// and 64 KiB), shared by all connections: a parked one holds none.
var readBuffers [3]sync.Pool

func bufferClass(size int) int {
	switch size {
	case 16 << 10:
		return 0
	case 32 << 10:
		return 1
	case 64 << 10:
		return 2
	}
	return -1
}

func getReadBuffer(size int) []byte {
	if c := bufferClass(size); c >= 0 {
		if b, ok := readBuffers[c].Get().(*[]byte); ok {
			return *b
		}
	}
	return make([]byte, size)
}

func putReadBuffer(b []byte) {
	if c := bufferClass(len(b)); c >= 0 {
		readBuffers[c].Put(&b)
	}
}
