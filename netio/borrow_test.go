package netio

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/extract"
	"github.com/sockdesk/sockdesk/netio/framing"
)

// borrowing is a Borrower that does what a log does: it copies out what each
// received event holds during Emit. It also notes where each event's bytes
// were, to tell whether they were lent.
type borrowing struct {
	mu   sync.Mutex
	data bytes.Buffer
	text bytes.Buffer
	at   map[*byte]int // first byte's address → received events there
}

func newBorrowing() *borrowing {
	return &borrowing{at: map[*byte]int{}}
}

func (b *borrowing) Emit(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if e.Kind == EventReceived {
		b.data.Write(e.Data)
		b.text.WriteString(e.Text)
		b.at[&e.Data[0]]++
	}
}

// waitFor waits until the borrower has seen n bytes.
func (b *borrowing) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(eventtest.WaitTimeout)
	for {
		b.mu.Lock()
		got := b.data.Len()
		b.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the borrower saw %d bytes of %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (b *borrowing) BorrowsData() bool { return true }

// reused is how many received events had their bytes where an earlier one had.
func (b *borrowing) reused() int {
	n := 0
	for _, k := range b.at {
		n += k - 1
	}
	return n
}

func TestBorrows(t *testing.T) {
	keeper := SinkFunc(func(Event) {})
	crc, order, err := checksum.Lookup("crc16-modbus")
	if err != nil {
		t.Fatal(err)
	}
	kv, err := extract.Parse("kv")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		sink Sink
		want bool
	}{
		{"no sink", nil, true},
		{"a sink that may keep events", keeper, false},
		{"a borrower", newBorrowing(), true},
		{"a tee of borrowers", Tee(newBorrowing(), nil, newBorrowing()), true},
		{"a tee with one keeper", Tee(newBorrowing(), keeper), false},
		{"a checksum stage before a borrower", CheckSink(crc, order, newBorrowing()), true},
		{"a checksum stage before a keeper", CheckSink(crc, order, keeper), false},
		{"extraction, whose values may slice the text", ExtractSink(extract.NewSet(kv), newBorrowing()), false},
		{"a queue", NewQueue(4), false},
	} {
		if got := Borrows(c.sink); got != c.want {
			t.Errorf("%s: Borrows %v, want %v", c.what, got, c.want)
		}
	}
}

// sendInReads writes chunks to a new connection to addr, pausing between them
// so that each is a read of its own, then a bulk that fills whole buffers, and
// closes. It returns all it sent.
func sendInReads(t *testing.T, addr string) []byte {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var sent bytes.Buffer
	// Each write is whole lines, so each read begins with one: a framed read's
	// first frame is at the buffer's start. Reads come together only if the
	// reader is kept waiting for the whole run of writes.
	for i := range 30 {
		msg := fmt.Appendf(nil, "reading %d: 温度=2%d.5℃\n", i, i%10)
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		sent.Write(msg)
		time.Sleep(3 * time.Millisecond)
	}
	bulk := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	if _, err := c.Write(bulk); err != nil {
		t.Fatal(err)
	}
	sent.Write(bulk)
	return sent.Bytes()
}

// A sink that borrows is lent the read buffer (reads share it) and sees every
// byte, and its text, right during Emit: on a server with and without
// framing, and on a relay.
func TestBorrowerIsLentTheReadBuffer(t *testing.T) {
	line, err := framing.Parse("line")
	if err != nil {
		t.Fatal(err)
	}
	discard := func(c *net.TCPConn) { io.Copy(io.Discard, c) }
	for _, c := range []struct {
		what  string
		start func(Sink) (interface{ Close() error }, string, error)
	}{
		{"server", func(s Sink) (interface{ Close() error }, string, error) {
			srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Sink: Tee(s)})
			err := srv.Start(context.Background())
			return srv, addrOf(srv.Addr()), err
		}},
		{"server with line frames", func(s Sink) (interface{ Close() error }, string, error) {
			srv := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", Sink: s, Frame: line})
			err := srv.Start(context.Background())
			return srv, addrOf(srv.Addr()), err
		}},
		{"relay", func(s Sink) (interface{ Close() error }, string, error) {
			r := NewTCPRelay(TCPRelayConfig{Listen: "127.0.0.1:0", Target: startTarget(t, discard), Sink: s})
			err := r.Start(context.Background())
			return r, addrOf(r.Addr()), err
		}},
	} {
		t.Run(c.what, func(t *testing.T) {
			b := newBorrowing()
			ep, addr, err := c.start(b)
			if err != nil {
				t.Fatal(err)
			}
			defer ep.Close()
			sent := sendInReads(t, addr)
			b.waitFor(t, len(sent))
			b.mu.Lock()
			defer b.mu.Unlock()
			if !bytes.Equal(b.data.Bytes(), sent) {
				t.Errorf("the borrower saw %d bytes, not the %d sent as sent", b.data.Len(), len(sent))
			}
			if !bytes.Equal(b.text.Bytes(), sent) {
				t.Errorf("the borrower's texts are %d bytes, not the %d sent", b.text.Len(), len(sent))
			}
			if b.reused() == 0 {
				t.Errorf("no two of %d received events were lent the same buffer: the bytes were copied", len(b.at))
			}
		})
	}
}

func addrOf(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}

// A sink that may keep events gets bytes of their own: what it kept is
// intact after the reads that followed, and no two events share memory.
func TestKeeperGetsCopies(t *testing.T) {
	srv, got := startServer(t, TCPServerConfig{})
	sent := sendInReads(t, srv.Addr().String())
	got.WaitFor(t, "closed", kind(EventClosed), 1)
	at := map[*byte]bool{}
	for _, e := range got.Events() {
		if e.Kind != EventReceived {
			continue
		}
		if at[&e.Data[0]] {
			t.Fatal("two kept events share their bytes")
		}
		at[&e.Data[0]] = true
	}
	if all := receivedBytes(got); !bytes.Equal(all, sent) {
		t.Errorf("the kept events hold %d bytes, not the %d sent as sent", len(all), len(sent))
	}
}

// A UDP endpoint lends its datagrams to a sink that borrows, each whole.
func TestBorrowerIsLentDatagrams(t *testing.T) {
	b := newBorrowing()
	u := NewUDP(UDPConfig{Bind: "127.0.0.1:0", Sink: b})
	if err := u.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	c, err := net.Dial("udp", u.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// More datagrams than one batched read takes (16), so that at least two
	// batches fill the same buffer, whatever the pace of the reader.
	var sent []byte
	for i := range 40 {
		msg := fmt.Appendf(nil, "datagram %d: 湿度=4%d%%", i, i%10)
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, msg...)
		time.Sleep(time.Millisecond)
	}
	b.waitFor(t, len(sent))
	b.mu.Lock()
	defer b.mu.Unlock()
	if !bytes.Equal(b.data.Bytes(), sent) || !bytes.Equal(b.text.Bytes(), sent) {
		t.Errorf("the borrower saw %q (text %q), want %q", b.data.Bytes(), b.text.Bytes(), sent)
	}
	if b.reused() == 0 {
		t.Errorf("no two of %d datagrams were lent the same buffer: they were copied", len(b.at))
	}
}
