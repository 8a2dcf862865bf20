package framing

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// readFrames is the read loop of a TCP connection with framing, as netio's
// connections run it: read; feed the bytes; when idle framing's deadline passes
// without a byte, expire the pending frame and read on; when the stream ends,
// end the framer; hand out every frame. closing is set (before the read deadline
// is moved to the past and the socket closed) when the connection is closed from
// this side, so that the deadline ends the loop rather than a frame.
func readFrames(conn net.Conn, fr *Framer, closing *atomic.Bool, handle func(Frame)) error {
	buf := make([]byte, 64<<10)
	idle := fr.IdleTimeout()
	for {
		if idle > 0 {
			if fr.Pending() {
				conn.SetReadDeadline(time.Now().Add(idle))
			} else {
				conn.SetReadDeadline(time.Time{})
			}
		}
		n, err := conn.Read(buf)
		fr.Feed(buf[:n])
		if n == 0 && idle > 0 && errors.Is(err, os.ErrDeadlineExceeded) && !closing.Load() {
			fr.Expire()
			err = nil
		}
		if err != nil {
			fr.End()
		}
		for f, ok := fr.Next(); ok; f, ok = fr.Next() {
			handle(f)
		}
		if err != nil {
			return err
		}
	}
}

// receiver is the receiving end of a loopback connection running readFrames.
type receiver struct {
	conn    net.Conn
	closing atomic.Bool
	frames  chan frameOut
	done    chan error
	held    int // the most the framer held, as seen after each frame; read after done
	read    chan struct{}
}

// signalConn signals each read that returns bytes, so a test knows the
// receiver has them.
type signalConn struct {
	net.Conn
	read chan<- struct{}
}

func (c signalConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		select {
		case c.read <- struct{}{}:
		default:
		}
	}
	return n, err
}

// dial connects a sender to a receiver that frames by spec, both on 127.0.0.1.
func dial(t *testing.T, spec string, maxFrame int) (net.Conn, *receiver) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	sender, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := ln.Accept()
	if err != nil {
		sender.Close()
		t.Fatal(err)
	}
	r := &receiver{conn: conn, frames: make(chan frameOut, 1024), done: make(chan error, 1), read: make(chan struct{}, 1)}
	fr := NewFramer(mustParse(t, spec), maxFrame)
	go func() {
		defer close(r.frames)
		r.done <- readFrames(signalConn{conn, r.read}, fr, &r.closing, func(f Frame) {
			r.held = max(r.held, cap(fr.pend))
			r.frames <- frameOut{string(f.Data), string(f.Message), f.Status}
		})
	}()
	t.Cleanup(func() {
		sender.Close()
		r.close()
		for range r.frames {
		}
	})
	return sender, r
}

// close closes the receiving socket from its own side.
func (r *receiver) close() {
	r.closing.Store(true)
	r.conn.SetReadDeadline(time.Now())
	r.conn.Close()
}

// next waits for the next frame.
func (r *receiver) next(t *testing.T) frameOut {
	t.Helper()
	select {
	case f, ok := <-r.frames:
		if !ok {
			t.Fatal("the read loop ended")
		}
		return f
	case <-time.After(5 * time.Second):
		t.Fatal("no frame within 5s")
	}
	panic("unreachable")
}

// rest collects the frames until the read loop ends, and returns them with its error.
func (r *receiver) rest(t *testing.T) ([]frameOut, error) {
	t.Helper()
	var out []frameOut
	timeout := time.After(10 * time.Second)
	for {
		select {
		case f, ok := <-r.frames:
			if !ok {
				return out, <-r.done
			}
			out = append(out, f)
		case <-timeout:
			t.Fatal("the read loop did not end within 10s")
		}
	}
}

func write(t *testing.T, c net.Conn, s string) {
	t.Helper()
	if _, err := c.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

// writeSlowly writes s a few bytes at a time with a pause after each write, so
// that the receiver reads it in many pieces.
func writeSlowly(t *testing.T, c net.Conn, s string, pause time.Duration) {
	t.Helper()
	for i := 0; i < len(s); i += 2 {
		write(t, c, s[i:min(i+2, len(s))])
		time.Sleep(pause)
	}
}

// Per mode, a peer coalesces three frames into one write, splits the fourth
// across many writes with pauses, then sends part of a fifth and closes: the
// receiver sees the four frames whole and the fifth as incomplete.
func TestLoopbackFraming(t *testing.T) {
	u16 := func(v int) string { return string(binary.BigEndian.AppendUint16(nil, uint16(v))) }
	mbap := func(tid int, pdu string) string { return u16(tid) + u16(0) + u16(1+len(pdu)) + "\x01" + pdu }
	tests := []struct {
		spec    string
		frames  [4]string
		message [4]string
		partial string
	}{
		{"line", [4]string{"OK\r\n", "OK\n", "\r\n", "PING hello\r\n"}, [4]string{"OK", "OK", "", "PING hello"}, "PI"},
		{"delim:03", [4]string{"\x02A\x03", "\x02\x03", "\x03", "\x02long frame\x03"}, [4]string{"\x02A", "\x02", "", "\x02long frame"}, "\x02x"},
		{"delim:0d0a", [4]string{"a\r\n", "\r\r\n", "\n\r\n", "\rsplit\r\rframe\r\n"}, [4]string{"a", "\r", "\n", "\rsplit\r\rframe"}, "\r"},
		{"fixed:5", [4]string{"abcde", "fghij", "\r\n\r\n\x00", "12345"}, [4]string{"abcde", "fghij", "\r\n\r\n\x00", "12345"}, "xy"},
		{"length:0:2:le:-2", [4]string{"\x02\x00", "\x05\x00abc", "\x03\x00\n", "\x0a\x00split it"}, [4]string{"\x02\x00", "\x05\x00abc", "\x03\x00\n", "\x0a\x00split it"}, "\x09\x00a"},
		{"modbus-tcp", [4]string{mbap(1, "\x03\x00\x00\x00\x02"), mbap(2, "\x06\x00\x01\x00\x03"), mbap(3, "\x03\x04\x00\x0a\x00\x0b"), mbap(4, "\x10\x00\x01\x00\x02\x04\x00\x0a\x01\x02")},
			[4]string{mbap(1, "\x03\x00\x00\x00\x02"), mbap(2, "\x06\x00\x01\x00\x03"), mbap(3, "\x03\x04\x00\x0a\x00\x0b"), mbap(4, "\x10\x00\x01\x00\x02\x04\x00\x0a\x01\x02")}, "\x00\x05\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			sender, r := dial(t, tt.spec, 0)
			write(t, sender, tt.frames[0]+tt.frames[1]+tt.frames[2])
			writeSlowly(t, sender, tt.frames[3], 5*time.Millisecond)
			write(t, sender, tt.partial)
			sender.Close()
			got, err := r.rest(t)
			if !errors.Is(err, io.EOF) {
				t.Fatalf("read loop ended with %v, want EOF", err)
			}
			var want []frameOut
			for i, f := range tt.frames {
				want = append(want, frameOut{f, tt.message[i], Complete})
			}
			compare(t, "frames", got, append(want, incomplete(tt.partial)))
		})
	}
}

// Idle framing with real read deadlines: frames end at pauses of DUR, and only there.
func TestLoopbackIdle(t *testing.T) {
	const dur = 250 * time.Millisecond
	sender, r := dial(t, "idle:250ms", 0)
	start := time.Now()
	write(t, sender, "one")
	if f := r.next(t); f != whole("one") {
		t.Fatalf("got %v", f)
	}
	if waited := time.Since(start); waited < dur {
		t.Fatalf("frame ended after %v, before the %v pause", waited, dur)
	}
	// Two messages in one write are one frame: no pause between them.
	write(t, sender, "two"+"three")
	if f := r.next(t); f != whole("twothree") {
		t.Fatalf("got %v", f)
	}
	// Pauses much shorter than DUR do not end a frame.
	writeSlowly(t, sender, "split into many writes", 2*time.Millisecond)
	if f := r.next(t); f != whole("split into many writes") {
		t.Fatalf("got %v", f)
	}
	// Bytes still pending when the peer closes come out as incomplete.
	write(t, sender, "cut")
	sender.Close()
	got, err := r.rest(t)
	if !errors.Is(err, io.EOF) {
		t.Fatalf("read loop ended with %v", err)
	}
	compare(t, "at the end", got, []frameOut{incomplete("cut")})
}

// Closing from the receiving side while idle bytes are pending ends the read
// loop at once: the past deadline that unblocks the read is not an idle expiry.
func TestLoopbackIdleLocalClose(t *testing.T) {
	sender, r := dial(t, "idle:1h", 0)
	write(t, sender, "pending")
	select {
	case <-r.read:
	case <-time.After(5 * time.Second):
		t.Fatal("the receiver read nothing within 5s")
	}
	r.close()
	got, err := r.rest(t)
	if !errors.Is(err, net.ErrClosed) && !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read loop ended with %v", err)
	}
	compare(t, "at the end", got, []frameOut{incomplete("pending")})
}

// A peer sending 100 MiB without a delimiter over loopback: 100 overflow frames of
// 1 MiB, the framer never holds more than one, and the frame after is in step.
func TestLoopbackHundredMiB(t *testing.T) {
	if testing.Short() {
		t.Skip("100 MiB over loopback")
	}
	const total, maxFrame = 100 << 20, 1 << 20
	sender, r := dial(t, "line", maxFrame)
	errc := make(chan error, 1)
	go func() {
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for sent := 0; sent < total; sent += len(chunk) {
			if _, err := sender.Write(chunk); err != nil {
				errc <- err
				return
			}
		}
		_, err := sender.Write([]byte("\nnext\n"))
		sender.Close()
		errc <- err
	}()
	var overflows, bytesIn int
	var tail []frameOut
	for f := range r.frames {
		bytesIn += len(f.Data)
		if f.Status == Overflow && len(f.Data) == maxFrame {
			overflows++
		} else {
			tail = append(tail, f)
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if err := <-r.done; !errors.Is(err, io.EOF) {
		t.Fatalf("read loop ended with %v", err)
	}
	if overflows != total/maxFrame || bytesIn != total+6 {
		t.Fatalf("%d overflow frames, %d bytes in frames; want %d, %d", overflows, bytesIn, total/maxFrame, total+6)
	}
	compare(t, "after 100 MiB", tail, []frameOut{overEnd("\n", ""), c("next\n", "next")})
	if r.held > maxFrame {
		t.Errorf("the framer held %d bytes, max frame %d", r.held, maxFrame)
	}
}
