package netio

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/framing"
	"github.com/sockdesk/sockdesk/netio/respond"
)

func mustSpec(t testing.TB, s string) framing.Spec {
	t.Helper()
	spec, err := framing.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// dialRaw connects a bare client to addr: the peer the test plays.
func dialRaw(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func writeAll(t *testing.T, c net.Conn, s string) {
	t.Helper()
	if _, err := c.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

// writeInPieces writes s two bytes at a time with a pause after each write, so
// that the reader gets it in many reads.
func writeInPieces(t *testing.T, c net.Conn, s string) {
	t.Helper()
	for i := 0; i < len(s); i += 2 {
		writeAll(t, c, s[i:min(i+2, len(s))])
		time.Sleep(3 * time.Millisecond)
	}
}

type gotFrame struct {
	data, msg string
	status    FrameStatus
}

func framesOf(evs []Event) []gotFrame {
	out := make([]gotFrame, len(evs))
	for i, e := range evs {
		out[i] = gotFrame{string(e.Data), string(e.Message()), e.Frame}
	}
	return out
}

func sameFrames(t *testing.T, got, want []gotFrame) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d frames, want %d:\n got  %+v\n want %+v", len(got), len(want), got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("frame %d: got %+v, want %+v", i+1, got[i], want[i])
		}
	}
}

func mbap(tid int, pdu string) string {
	u16 := func(v int) string { return string(binary.BigEndian.AppendUint16(nil, uint16(v))) }
	return u16(tid) + u16(0) + u16(1+len(pdu)) + "\x01" + pdu
}

// Per mode, a peer coalesces three frames into one write, splits a fourth into
// many writes with pauses, sends part of a fifth and closes: the server emits one
// received event per frame, the fourth whole, the fifth incomplete, and counts
// five messages.
func TestServerFramesPerMode(t *testing.T) {
	tests := []struct {
		spec    string
		frames  [4]string
		msgs    [4]string
		partial string
	}{
		{"line", [4]string{"OK\r\n", "OK\n", "\r\n", "PING hello\r\n"}, [4]string{"OK", "OK", "", "PING hello"}, "PI"},
		{"delim:0d0a", [4]string{"a\r\n", "\r\r\n", "\n\r\n", "\rsplit\r\rframe\r\n"}, [4]string{"a", "\r", "\n", "\rsplit\r\rframe"}, "\r"},
		{"delim:03", [4]string{"\x02A\x03", "\x02\x03", "\x03", "\x02long frame\x03"}, [4]string{"\x02A", "\x02", "", "\x02long frame"}, "\x02x"},
		{"fixed:5", [4]string{"abcde", "fghij", "\r\n\r\n\x00", "12345"}, [4]string{"abcde", "fghij", "\r\n\r\n\x00", "12345"}, "xy"},
		{"length:0:2:le:-2", [4]string{"\x02\x00", "\x05\x00abc", "\x03\x00\n", "\x0a\x00split it"}, [4]string{"\x02\x00", "\x05\x00abc", "\x03\x00\n", "\x0a\x00split it"}, "\x09\x00a"},
		{"modbus-tcp", [4]string{mbap(1, "\x03\x00\x00\x00\x02"), mbap(2, "\x06\x00\x01\x00\x03"), mbap(3, "\x03\x04\x00\x0a\x00\x0b"), mbap(4, "\x10\x00\x01\x00\x02\x04\x00\x0a\x01\x02")},
			[4]string{mbap(1, "\x03\x00\x00\x00\x02"), mbap(2, "\x06\x00\x01\x00\x03"), mbap(3, "\x03\x04\x00\x0a\x00\x0b"), mbap(4, "\x10\x00\x01\x00\x02\x04\x00\x0a\x01\x02")}, "\x00\x05\x00"},
		{"idle:80ms", [4]string{"one", "", "", "split into pieces"}, [4]string{"one", "", "", "split into pieces"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			srv, events := startServer(t, TCPServerConfig{Frame: mustSpec(t, tt.spec)})
			if l := events.WaitFor(t, "listening", kind(EventListening), 1)[0]; l.Framing != tt.spec {
				t.Errorf("listening names framing %q, want %q", l.Framing, tt.spec)
			}
			peer := dialRaw(t, srv.Addr().String())
			var want []gotFrame
			if strings.HasPrefix(tt.spec, "idle") {
				// Idle frames end at pauses: one frame per pause, whatever the writes.
				writeAll(t, peer, tt.frames[0])
				events.WaitFor(t, "the first frame", kind(EventReceived), 1)
				writeInPieces(t, peer, tt.frames[3])
				events.WaitFor(t, "the second frame", kind(EventReceived), 2)
				writeAll(t, peer, "cut")
				want = []gotFrame{{"one", "one", FrameComplete}, {tt.frames[3], tt.frames[3], FrameComplete}, {"cut", "cut", FrameIncomplete}}
			} else {
				writeAll(t, peer, tt.frames[0]+tt.frames[1]+tt.frames[2])
				writeInPieces(t, peer, tt.frames[3])
				writeAll(t, peer, tt.partial)
				for i, f := range tt.frames {
					want = append(want, gotFrame{f, tt.msgs[i], FrameComplete})
				}
				want = append(want, gotFrame{tt.partial, tt.partial, FrameIncomplete})
			}
			peer.Close()
			closed := events.WaitFor(t, "closed", kindFrom(EventClosed, peer.LocalAddr().String()), 1)[0]
			if closed.Reason != ReasonPeerClosed {
				t.Errorf("closed: %s", show(closed))
			}
			sameFrames(t, framesOf(events.WaitFor(t, "frames", kind(EventReceived), len(want))), want)
			if st := srv.Stats(); st.MsgsIn != uint64(len(want)) {
				t.Errorf("server counted %d messages, want %d frames", st.MsgsIn, len(want))
			}
		})
	}
}

// A client frames too, and its connected event names the framing.
func TestClientFrames(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	events := &collector{}
	cl := NewTCPClient(TCPClientConfig{Addr: ln.Addr().String(), Sink: events, Frame: mustSpec(t, "delim:0d0a"), Timeout: eventtest.WaitTimeout})
	if err := cl.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if c := events.WaitFor(t, "connected", kind(EventConnected), 1)[0]; c.Framing != "delim:0d0a" {
		t.Errorf("connected names framing %q", c.Framing)
	}
	writeAll(t, peer, "T=21.5\r\nT=21.6\r")
	writeAll(t, peer, "\n")
	got := framesOf(events.WaitFor(t, "frames", kind(EventReceived), 2))
	sameFrames(t, got, []gotFrame{{"T=21.5\r\n", "T=21.5", FrameComplete}, {"T=21.6\r\n", "T=21.6", FrameComplete}})
	if st := cl.Stats(); st.MsgsIn != 2 || st.BytesIn != 16 {
		t.Errorf("stats %+v, want 2 messages of 16 bytes", st)
	}
}

// exact:PING answers PING\r\n with line framing, once per line, also when
// several lines come in one write and one line in many.
func TestAutoReplyMatchesFrameMessage(t *testing.T) {
	rules := mustRules(t, nil, "exact:PING=>PONG\\n", "exact:a\x03b=>never")
	srv, sEvents := startServer(t, TCPServerConfig{Frame: mustSpec(t, "line"), Responder: respond.NewResponder(rules)})
	peer := dialRaw(t, srv.Addr().String())
	writeAll(t, peer, "PING\r\nPING\nPINGPING\r\n")
	writeInPieces(t, peer, "PING\r\n")
	peer.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
	want := "PONG\nPONG\nPONG\n"
	buf := make([]byte, len(want))
	if _, err := io.ReadFull(peer, buf); err != nil {
		t.Fatalf("read the replies: %v (got %q)", err, buf)
	}
	if string(buf) != want {
		t.Errorf("replies %q, want %q", buf, want)
	}
	sent := sEvents.WaitFor(t, "sent", kind(EventSent), 3)
	for _, e := range sent {
		if e.Rule != 1 {
			t.Errorf("sent by rule %d", e.Rule)
		}
	}
	// The frame that did not match got no reply.
	recv := sEvents.WaitFor(t, "received", kind(EventReceived), 4)
	if recv[2].MessageText() != "PINGPING" {
		t.Errorf("third frame's message %q", recv[2].MessageText())
	}
}

// The checksum is verified over each frame's message: frames coalesced into one
// read and a frame split over many reads all verify, and a damaged one fails.
func TestChecksumPerFrame(t *testing.T) {
	c, order, err := checksum.Lookup("crc16-modbus")
	if err != nil {
		t.Fatal(err)
	}
	var frames []string
	for _, body := range []string{"\x01\x03\x00\x00\x00\x0a", "temp=21", "\x10\x20", "split across writes"} {
		f := string(c.Append([]byte(body), order)) + "\r\n"
		if strings.Count(f, "\r\n") != 1 {
			t.Fatalf("test data: %q has its delimiter inside", f)
		}
		frames = append(frames, f)
	}
	events := &collector{}
	srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Frame: mustSpec(t, "delim:0d0a"), Sink: CheckSink(c, order, events)})
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	peer := dialRaw(t, srv.Addr().String())
	writeAll(t, peer, frames[0]+frames[1]+frames[2])
	writeInPieces(t, peer, frames[3])
	bad := []byte(frames[1])
	bad[0] ^= 0xff
	writeAll(t, peer, string(bad))
	got := events.WaitFor(t, "frames", kind(EventReceived), 5)
	for i, e := range got {
		if e.Check == nil {
			t.Fatalf("frame %d not checked", i+1)
		}
		if wantOK := i < 4; e.Check.OK != wantOK {
			t.Errorf("frame %d %q: check %s, want ok=%v", i+1, e.Data, e.Check, wantOK)
		}
	}
}

// countingSink counts received events, their bytes and overflow frames, and
// keeps the last few, without holding the rest.
type countingSink struct {
	mu               sync.Mutex
	frames, overflow int
	bytes            int64
	biggest          int
	tail             []gotFrame
	closed           chan struct{}
	once             sync.Once
}

func (s *countingSink) Emit(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case e.Kind == EventReceived:
		s.frames++
		s.bytes += int64(len(e.Data))
		s.biggest = max(s.biggest, len(e.Data))
		if e.Frame == FrameOverflow {
			s.overflow++
		}
		s.tail = append(s.tail, gotFrame{string(e.Data[:min(len(e.Data), 16)]), "", e.Frame})
		if len(s.tail) > 4 {
			s.tail = s.tail[1:]
		}
	case e.Kind == EventClosed && e.Peer != "":
		s.once.Do(func() { close(s.closed) })
	}
}

// peakHeap samples the heap while it runs, until stopped.
type peakHeap struct {
	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

func watchHeap() *peakHeap {
	h := &peakHeap{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > h.peak.Load() {
				h.peak.Store(ms.HeapAlloc)
			}
			select {
			case <-h.stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return h
}

func (h *peakHeap) end() uint64 { close(h.stop); <-h.done; return h.peak.Load() }

// A peer sends 100 MiB without a delimiter: the server emits 100 overflow frames
// of 1 MiB, no frame is bigger, every byte is in a frame, the heap stays far
// below what was sent, and the line after is framed in step.
func TestHundredMiBWithoutDelimiter(t *testing.T) {
	if testing.Short() {
		t.Skip("100 MiB over loopback")
	}
	const total, maxFrame = 100 << 20, 1 << 20
	sink := &countingSink{closed: make(chan struct{})}
	srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Frame: mustSpec(t, "line"), MaxFrame: maxFrame, Sink: sink})
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	runtime.GC()
	heap := watchHeap()
	peer := dialRaw(t, srv.Addr().String())
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for sent := 0; sent < total; sent += len(chunk) {
		if _, err := peer.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	writeAll(t, peer, "\nnext\n")
	peer.Close()
	select {
	case <-sink.closed:
	case <-time.After(time.Minute):
		t.Fatal("the connection did not close within a minute")
	}
	peak := heap.end()
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if sink.overflow != total/maxFrame+1 || sink.bytes != total+6 || sink.biggest > maxFrame {
		t.Errorf("%d overflow frames, %d bytes in frames, biggest %d; want %d, %d, at most %d",
			sink.overflow, sink.bytes, sink.biggest, total/maxFrame+1, total+6, maxFrame)
	}
	// The last overflow piece is the lone LF that ended the long message.
	sameFrames(t, sink.tail[len(sink.tail)-2:], []gotFrame{{"\n", "", FrameOverflow}, {"next\n", "", FrameComplete}})
	if st := srv.Stats(); st.BytesIn != total+6 || st.MsgsIn != uint64(sink.frames) {
		t.Errorf("stats %+v, want %d bytes and %d messages", st, total+6, sink.frames)
	}
	if peak > 48<<20 {
		t.Errorf("heap peaked at %d MiB while 100 MiB streamed through 1 MiB frames", peak>>20)
	}
}

// A length field announcing more than the maximum frame: the message comes out
// in pieces of at most MaxFrame, all overflow, and the next message is in step.
func TestLengthFieldBeyondMaxFrame(t *testing.T) {
	const maxFrame = 4096
	srv, events := startServer(t, TCPServerConfig{Frame: mustSpec(t, "length:0:4"), MaxFrame: maxFrame})
	peer := dialRaw(t, srv.Addr().String())
	body := bytes.Repeat([]byte("0123456789"), 1000) // 10,000 bytes announced
	big := append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
	small := append(binary.BigEndian.AppendUint32(nil, 2), "ok"...)
	writeAll(t, peer, string(big[:5000]))
	writeAll(t, peer, string(big[5000:])+string(small))
	got := events.WaitFor(t, "frames", kind(EventReceived), 4)
	sizes := []int{len(got[0].Data), len(got[1].Data), len(got[2].Data)}
	if sizes[0] != maxFrame || sizes[1] != maxFrame || sizes[2] != len(big)-2*maxFrame {
		t.Errorf("pieces of %v bytes, want %d, %d, %d", sizes, maxFrame, maxFrame, len(big)-2*maxFrame)
	}
	for i := range 3 {
		if got[i].Frame != FrameOverflow {
			t.Errorf("piece %d: %s, want overflow", i+1, got[i].Frame)
		}
	}
	if string(got[3].Data) != string(small) || got[3].Frame != FrameComplete {
		t.Errorf("next frame %q %s, want %q complete", got[3].Data, got[3].Frame, small)
	}
}

// Closing the server while idle bytes are pending ends the connection at once
// (the past read deadline is no pause), and the pending bytes come out as an
// incomplete frame before closed.
func TestIdleFramingLocalClose(t *testing.T) {
	srv, events := startServer(t, TCPServerConfig{Frame: mustSpec(t, "idle:1h")})
	peer := dialRaw(t, srv.Addr().String())
	events.WaitFor(t, "accepted", kind(EventAccepted), 1)
	writeAll(t, peer, "pending")
	waitUntil(t, "the bytes counted", func() bool { return srv.Stats().BytesIn == 7 })
	start := time.Now()
	srv.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v", d)
	}
	all := events.Events()
	var frames []Event
	var closed *Event
	for i, e := range all {
		switch {
		case e.Kind == EventReceived:
			frames = append(frames, e)
		case e.Kind == EventClosed && e.Peer != "":
			closed = &all[i]
		}
	}
	sameFrames(t, framesOf(frames), []gotFrame{{"pending", "pending", FrameIncomplete}})
	if closed == nil || closed.Reason != ReasonLocal {
		t.Errorf("closed event: %+v", closed)
	}
}

// The streaming decoder works across frame boundaries: a GBK character cut in two
// by fixed framing is decoded whole, in the frame where it ends.
func TestFramesDecodeAcrossBoundaries(t *testing.T) {
	gbk := charset.MustLookup("gbk")
	srv, events := startServer(t, TCPServerConfig{Frame: mustSpec(t, "fixed:3"), Charset: gbk})
	peer := dialRaw(t, srv.Addr().String())
	msg, err := gbk.Encode("你好吗")
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, peer, string(msg))
	got := events.WaitFor(t, "frames", kind(EventReceived), 2)
	if text := got[0].Text + got[1].Text; text != "你好吗" {
		t.Errorf("texts %q + %q, want 你好吗", got[0].Text, got[1].Text)
	}
}

// A relay frames each direction on its own; the bytes pass as they were read.
func TestRelayFramesEachDirection(t *testing.T) {
	target := startTarget(t, func(c *net.TCPConn) {
		buf := make([]byte, 64)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				// Answer each read with two lines in one write.
				c.Write([]byte("R1\nR2\n"))
			}
			if err != nil {
				return
			}
		}
	})
	r, events := startRelay(t, TCPRelayConfig{Target: target, Frame: mustSpec(t, "line")})
	if l := events.WaitFor(t, "listening", kind(EventListening), 1)[0]; l.Framing != "line" {
		t.Errorf("listening names framing %q", l.Framing)
	}
	c := dialRelay(t, r)
	writeAll(t, c, "Q1\nQ2\n")
	buf := make([]byte, 6)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "R1\nR2\n" {
		t.Fatalf("client got %q, %v", buf, err)
	}
	toTarget := events.WaitFor(t, "to target", func(e Event) bool { return e.Kind == EventReceived && e.Dir == DirToTarget }, 2)
	toClient := events.WaitFor(t, "to client", func(e Event) bool { return e.Kind == EventReceived && e.Dir == DirToClient }, 2)
	sameFrames(t, framesOf(toTarget), []gotFrame{{"Q1\n", "Q1", FrameComplete}, {"Q2\n", "Q2", FrameComplete}})
	sameFrames(t, framesOf(toClient), []gotFrame{{"R1\n", "R1", FrameComplete}, {"R2\n", "R2", FrameComplete}})
	writeAll(t, c, "half")
	c.CloseWrite()
	io.Copy(io.Discard, c)
	closed := events.WaitFor(t, "closed", func(e Event) bool { return e.Kind == EventClosed && e.Peer != "" }, 1)
	got := events.WaitFor(t, "to target", func(e Event) bool { return e.Kind == EventReceived && e.Dir == DirToTarget }, 3)
	sameFrames(t, framesOf(got[2:]), []gotFrame{{"half", "half", FrameIncomplete}})
	if st := r.Stats(); st.MsgsIn != 3 || st.BytesIn != 10 {
		t.Errorf("relay stats %+v after %v, want 3 messages, 10 bytes to the target", st, show(closed[0]))
	}
}
