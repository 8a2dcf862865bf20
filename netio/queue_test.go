package netio

import (
	"strings"
	"testing"
)

// A byte-bounded queue drops display copies when their payloads reach the bound,
// lets one event of any size into an empty queue, and takes more once the consumer
// releases what it took.
func TestQueueByteBound(t *testing.T) {
	q := NewQueueBytes(100, 1000)
	big := Event{Kind: EventReceived, Data: make([]byte, 300), Text: strings.Repeat("x", 300)} // 600 bytes
	q.Emit(big)
	q.Emit(big) // 1200 > 1000: dropped
	if q.Dropped() != 1 || len(q.Events()) != 1 || q.Bytes() != 600 {
		t.Fatalf("dropped %d, queued %d, bytes %d", q.Dropped(), len(q.Events()), q.Bytes())
	}
	q.Release(<-q.Events())
	if q.Bytes() != 0 {
		t.Fatalf("bytes %d after release", q.Bytes())
	}
	huge := Event{Kind: EventReceived, Data: make([]byte, 5000)}
	q.Emit(huge) // alone in an empty queue: let in
	q.Emit(Event{Kind: EventSent, Data: []byte("x")})
	if len(q.Events()) != 1 || q.Dropped() != 2 {
		t.Fatalf("queued %d, dropped %d", len(q.Events()), q.Dropped())
	}
	q.Release(<-q.Events())

	// The count bound still holds, and a full channel gives the bytes back.
	small := NewQueueBytes(2, 1<<20)
	for range 5 {
		small.Emit(Event{Data: []byte("abc")})
	}
	if len(small.Events()) != 2 || small.Dropped() != 3 || small.Bytes() != 6 {
		t.Errorf("queued %d, dropped %d, bytes %d", len(small.Events()), small.Dropped(), small.Bytes())
	}

	// A plain queue has no byte bound; Release does nothing there.
	plain := NewQueue(10)
	plain.Emit(huge)
	plain.Emit(huge)
	plain.Release(<-plain.Events())
	if len(plain.Events()) != 1 || plain.Dropped() != 0 || plain.Bytes() != 0 {
		t.Errorf("plain queue: queued %d, dropped %d, bytes %d", len(plain.Events()), plain.Dropped(), plain.Bytes())
	}
}
