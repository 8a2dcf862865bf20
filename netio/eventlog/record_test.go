package eventlog

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/netio"
)

// gateWriter holds every Write until a token is sent on gate, like a disk that
// stalls or a pipe nobody reads yet; then it keeps what was written.
type gateWriter struct {
	gate    chan struct{} // nil: never hold
	entered chan struct{} // gets a token when a Write starts waiting
	mu      sync.Mutex
	buf     bytes.Buffer
	writes  int
	fail    error // returned by every Write once set
}

func (g *gateWriter) Write(p []byte) (int, error) {
	if g.gate != nil {
		select {
		case g.entered <- struct{}{}:
		default:
		}
		<-g.gate
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.fail != nil {
		return 0, g.fail
	}
	g.writes++
	return g.buf.Write(p)
}

func (g *gateWriter) lines() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := strings.TrimSuffix(g.buf.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// numbered is event i: a datagram whose text is its number.
func numbered(i int) netio.Event {
	s := fmt.Sprintf("%06d", i)
	return netio.Event{Time: time.Unix(0, 0).UTC(), Kind: netio.EventReceived, Proto: "udp", Peer: "127.0.0.1:9", Data: []byte(s), Text: s}
}

func textFormat(b []byte, e netio.Event) []byte { return append(AppendLine(b, e, true), '\n') }

// While the writer is stuck, Emit goes on filling the buffer and returns at
// once; only when the whole buffer is full does it wait, and then for the
// writer, not for ever. Every event reaches the writer, in order.
func TestRecordWaitsOnlyWhenTheBufferIsFull(t *testing.T) {
	w := &gateWriter{gate: make(chan struct{}), entered: make(chan struct{}, 1)}
	const chunkSize, chunks = 4 << 10, 4
	r := NewRecord(w, RecordOptions{Format: textFormat, ChunkSize: chunkSize, Chunks: chunks})
	lineLen := len(textFormat(nil, numbered(0)))

	emitted := make(chan int, 1)
	const total = 2000 // far more than the buffer holds
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for i := range total {
			r.Emit(numbered(i))
			select {
			case emitted <- i + 1:
			default:
				<-emitted
				emitted <- i + 1
			}
		}
	}()
	<-w.entered // the writer holds the first chunk
	// Emit stops once every chunk is full: about chunks*chunkSize bytes of lines.
	var n int
	for stable := 0; stable < 20; {
		time.Sleep(5 * time.Millisecond)
		select {
		case v := <-emitted:
			n, stable = v, 0
		default:
			stable++
		}
	}
	// The writer holds the first chunk (perhaps a single line); the others
	// fill up, each but for the room a line is expected to need.
	if min := (chunks - 1) * ((chunkSize - lineEstimate(numbered(0))) / lineLen); n < min || n >= total {
		t.Fatalf("Emit returned %d times while the writer was stuck, want at least %d and to wait before %d", n, min, total)
	}
	if p := r.Pending(); p != uint64(n) {
		t.Errorf("Pending %d, want %d", p, n)
	}
	close(w.gate) // the disk comes back
	select {
	case <-finished:
	case <-time.After(eventtest.WaitTimeout):
		t.Fatal("Emit still waits after the writer came back")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	lines := w.lines()
	if len(lines) != total {
		t.Fatalf("%d lines written, want %d", len(lines), total)
	}
	for i, l := range lines {
		if want := fmt.Sprintf("B: %06d", i); !strings.HasSuffix(l, want) {
			t.Fatalf("line %d is %q, want it to end %q", i, l, want)
		}
	}
	if r.Lost() != 0 {
		t.Errorf("Lost %d", r.Lost())
	}
}

// Without a delay, a line is written as soon as the writer is free: a reader
// reading line by line sees each event without waiting for more.
func TestRecordWritesPromptly(t *testing.T) {
	w := &gateWriter{}
	r := NewRecord(w, RecordOptions{Format: textFormat})
	defer r.Close()
	for i := range 3 {
		r.Emit(numbered(i))
		deadline := time.Now().Add(eventtest.WaitTimeout)
		for len(w.lines()) != i+1 {
			if time.Now().After(deadline) {
				t.Fatalf("event %d not written; have %q", i, w.lines())
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// With a delay, lines wait to be written together, for at most the delay;
// Flush writes them at once.
func TestRecordDelayBatchesWrites(t *testing.T) {
	w := &gateWriter{}
	r := NewRecord(w, RecordOptions{Format: textFormat, Delay: 50 * time.Millisecond})
	defer r.Close()
	for i := range 100 {
		r.Emit(numbered(i))
	}
	deadline := time.Now().Add(eventtest.WaitTimeout)
	for len(w.lines()) != 100 {
		if time.Now().After(deadline) {
			t.Fatalf("lines not written after the delay: %d", len(w.lines()))
		}
		time.Sleep(5 * time.Millisecond)
	}
	w.mu.Lock()
	writes := w.writes
	w.mu.Unlock()
	if writes > 2 {
		t.Errorf("100 events in %d writes, want them batched", writes)
	}
	r.Emit(numbered(100))
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := len(w.lines()); n != 101 {
		t.Errorf("after Flush %d lines, want 101", n)
	}
}

// A failed write is reported once, on the writer's goroutine; from then on
// Emit neither writes nor waits, and counts what it drops.
func TestRecordWriteErrorStopsWritingNotTheCaller(t *testing.T) {
	disk := errors.New("no space left on device")
	w := &gateWriter{fail: disk}
	r := NewRecord(w, RecordOptions{Format: textFormat, ChunkSize: 1 << 10, Chunks: 2})
	reports := make(chan error, 4)
	r.OnError(func(err error) { reports <- err })
	r.Emit(numbered(0))
	if err := r.Flush(); !errors.Is(err, disk) {
		t.Fatalf("Flush = %v, want the write error", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 10000 { // far more than two small chunks hold: Emit must not wait
			r.Emit(numbered(i))
		}
	}()
	select {
	case <-done:
	case <-time.After(eventtest.WaitTimeout):
		t.Fatal("Emit waited after the writer failed")
	}
	if err := r.Close(); !errors.Is(err, disk) {
		t.Errorf("Close = %v", err)
	}
	if got := r.Lost(); got != 10001 {
		t.Errorf("Lost %d, want 10001", got)
	}
	if err := <-reports; !errors.Is(err, disk) {
		t.Errorf("reported %v", err)
	}
	select {
	case err := <-reports:
		t.Errorf("reported twice: %v", err)
	default:
	}
	// Set after the failure, OnError still hears of it.
	late := make(chan error, 1)
	r.OnError(func(err error) { late <- err })
	if err := <-late; !errors.Is(err, disk) {
		t.Errorf("late OnError got %v", err)
	}
}

// A line longer than a chunk is written whole, and the buffer it needed is not
// kept for ever.
func TestRecordLongLine(t *testing.T) {
	w := &gateWriter{}
	r := NewRecord(w, RecordOptions{Format: textFormat, ChunkSize: 1 << 10, Chunks: 2})
	big := bytes.Repeat([]byte("x"), 64<<10)
	r.Emit(netio.Event{Kind: netio.EventReceived, Proto: "tcp", Data: big, Text: string(big)})
	r.Emit(numbered(1))
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	lines := w.lines()
	if len(lines) != 2 || !strings.HasSuffix(lines[0], string(big)) || !strings.HasSuffix(lines[1], "000001") {
		t.Fatalf("got %d lines", len(lines))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.free {
		if cap(c) > 4<<10 {
			t.Errorf("a %d-byte chunk kept after a long line", cap(c))
		}
	}
}

// Events emitted after Close are ignored, not counted as lost; Close twice is fine.
func TestRecordAfterClose(t *testing.T) {
	w := &gateWriter{}
	r := NewRecord(w, RecordOptions{Format: textFormat})
	r.Emit(numbered(0))
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r.Emit(numbered(1))
	if err := r.Close(); err != nil || r.Lost() != 0 || len(w.lines()) != 1 {
		t.Errorf("Close %v, Lost %d, lines %q", err, r.Lost(), w.lines())
	}
}

// The chunks a burst made while the writer lagged are kept for the next
// burst, not let go and made again, until none has been needed for trimAfter.
func TestRecordKeepsABurstsChunksForAWhile(t *testing.T) {
	w := &gateWriter{gate: make(chan struct{}), entered: make(chan struct{}, 1)}
	const chunks = 16
	r := NewRecord(w, RecordOptions{Format: textFormat, ChunkSize: 1 << 10, Chunks: chunks})
	defer r.Close()
	made := func() int {
		r.mu.Lock()
		defer r.mu.Unlock()
		return chunks - r.spare
	}
	r.Emit(numbered(0))
	<-w.entered // the writer holds the first chunk
	for i := 1; made() < keptChunks+4; i++ {
		r.Emit(numbered(i))
	}
	burst := made()
	close(w.gate)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := made(); got != burst {
		t.Fatalf("the writer caught up and %d of the burst's %d chunks are left; want them kept", got, burst)
	}
	r.mu.Lock()
	r.madeAt = r.madeAt.Add(-trimAfter) // as if trimAfter had passed
	r.mu.Unlock()
	r.wake()
	deadline := time.Now().Add(eventtest.WaitTimeout)
	for made() > keptChunks+1 { // the kept ones, and one being filled
		if time.Now().After(deadline) {
			t.Fatalf("%d chunks are left after trimAfter idle, want at most %d", made(), keptChunks+1)
		}
		time.Sleep(time.Millisecond)
	}
}
