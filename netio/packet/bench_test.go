package packet

import (
	"net/netip"
	"testing"
)

// AppendFrame (bytes only, for pcapng) against Build (bytes and the
// described layers, for the anatomy view) as the baseline.
func BenchmarkFrame(b *testing.B) {
	m := Message{Protocol: UDP, Local: netip.MustParseAddrPort("127.0.0.1:5000"),
		Peer: netip.MustParseAddrPort("127.0.0.1:6000"), Payload: make([]byte, 64)}
	b.Run("baseline-Build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Build(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AppendFrame", func(b *testing.B) {
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := AppendFrame(buf[:0], m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
