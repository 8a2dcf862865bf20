package pcapng

import (
	"bufio"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// The cost of recording a 64-byte datagram, against the baseline of writing
// its bytes to a buffered writer unframed: the ratio is what a pcap sink
// adds per message.
func BenchmarkDatagram(b *testing.B) {
	m := packet.Message{Direction: packet.Received, Local: netip.MustParseAddrPort("127.0.0.1:5000"),
		Peer: netip.MustParseAddrPort("127.0.0.1:6000"), Payload: make([]byte, 64), Time: time.Now()}
	b.Run("baseline-raw-write", func(b *testing.B) {
		w := bufio.NewWriter(io.Discard)
		for b.Loop() {
			w.Write(m.Payload)
		}
	})
	b.Run("pcapng", func(b *testing.B) {
		w, _ := NewWriter(io.Discard, Options{})
		b.ReportAllocs()
		for b.Loop() {
			if err := w.Datagram(m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkTCPData(b *testing.B) {
	c := Conn{Local: netip.MustParseAddrPort("127.0.0.1:5000"), Peer: netip.MustParseAddrPort("127.0.0.1:6000")}
	payload := make([]byte, 1000)
	w, _ := NewWriter(io.Discard, Options{})
	now := time.Now()
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if err := w.Data(c, packet.Sent, payload, now); err != nil {
			b.Fatal(err)
		}
	}
}
