package netio

import (
	"net"
	"testing"
)

// What reading a datagram's TTL, destination and the drop count costs per
// datagram: the same send-then-read round on loopback, with the plain read the
// endpoint did before and with the out-of-band data read and parsed.
func BenchmarkUDPReceiveMeta(b *testing.B) {
	for _, withMeta := range []bool{false, true} {
		name := "plain"
		if withMeta {
			name = "with-ttl-dst-drops"
		}
		b.Run(name, func(b *testing.B) {
			conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			var stats Counters
			r := newUDPReceiver(conn, &stats)
			if !withMeta {
				r.info, r.counted = false, false
			}
			sender, err := net.DialUDP("udp4", nil, conn.LocalAddr().(*net.UDPAddr))
			if err != nil {
				b.Fatal(err)
			}
			defer sender.Close()
			msg := make([]byte, 512)
			buf := make([]byte, 65536)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sender.Write(msg); err != nil {
					b.Fatal(err)
				}
				if _, _, meta, err := r.read(buf); err != nil || withMeta && meta.ttl == 0 {
					b.Fatal(err, meta)
				}
			}
		})
	}
}
