package gen

import (
	"fmt"
	"testing"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// With a counter in the message every datagram carries its own checksum, and each
// one that arrives verifies.
func TestGenUDPChecksumPerMessage(t *testing.T) {
	const n = 50
	c, _, _ := checksum.Lookup("crc16-modbus")
	tmpl, _ := payload.ParseTemplate("m{counter}", payload.ModeText, nil)
	res, _, got, _ := genUDP(t, Options{Message: tmpl, Count: n, Checksum: c})
	if res.Messages != n {
		t.Fatalf("sent %d messages, want %d", res.Messages, n)
	}
	recv := got.WaitFor(t, "received", kind(netio.EventReceived), n)
	tails := map[string]bool{}
	for i, e := range recv {
		body := fmt.Sprintf("m%d", i+1)
		if string(e.Data[:len(e.Data)-2]) != body {
			t.Fatalf("datagram %d is %q, want %q + 2 checksum bytes", i, e.Data, body)
		}
		if r := c.Verify(e.Data, checksum.OrderDefault); !r.OK {
			t.Fatalf("datagram %d: %s", i, r)
		}
		tails[string(e.Data[len(e.Data)-2:])] = true
	}
	if len(tails) < n/2 {
		t.Errorf("only %d distinct checksums over %d different messages", len(tails), n)
	}
}

// The checksum counts in the largest message: a Size that fills a datagram leaves
// no room for it.
func TestGenChecksumCountsInSize(t *testing.T) {
	c, _, _ := checksum.Lookup("crc32")
	g, err := New(Options{Size: 10, Count: 1, Checksum: c})
	if err != nil {
		t.Fatal(err)
	}
	if g.MaxLen() != 14 {
		t.Errorf("MaxLen = %d, want 10 + 4", g.MaxLen())
	}
	if m := g.message(make([]byte, 0, g.MaxLen()), 1); len(m) != 14 || !c.Verify(m, checksum.OrderDefault).OK {
		t.Errorf("message %q", m)
	}
}

// The hot path builds each message in the loop's buffer: a counter and a checksum
// cost no allocation per message.
func TestGenChecksumMessageAllocatesNothing(t *testing.T) {
	c, _, _ := checksum.Lookup("crc16-ccitt")
	tmpl, _ := payload.ParseTemplate("msg {counter} ", payload.ModeText, nil)
	g, err := New(Options{Message: tmpl, Size: 32, Count: 1000, Checksum: c, ChecksumOrder: checksum.OrderLittle})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, g.MaxLen())
	n := uint64(0)
	allocs := testing.AllocsPerRun(200, func() {
		n++
		_ = g.message(buf, n)
	})
	if allocs != 0 {
		t.Errorf("g.message allocates %v times per message", allocs)
	}
}
