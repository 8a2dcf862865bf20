package netio

import (
	"net"
	"testing"
)

// What reading costs per datagram when the listener is behind (64 datagrams
// queued, then read): one read each, as the endpoint did before, against the
// endpoint's reader, which also reads each datagram's TTL, destination and the
// drop count, and on Linux reads many datagrams per system call. The sends are
// outside the timer.
func BenchmarkUDPReceiveQueued(b *testing.B) {
	for _, mode := range []string{"one-read-each", "endpoint-reader"} {
		b.Run(mode, func(b *testing.B) {
			conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			conn.SetReadBuffer(4 << 20)
			var stats Counters
			r := newUDPReceiver(conn, &stats)
			if mode == "one-read-each" {
				r.info, r.counted, r.batch, r.buf = false, false, nil, make([]byte, 65536)
			}
			sender, err := net.DialUDP("udp4", nil, conn.LocalAddr().(*net.UDPAddr))
			if err != nil {
				b.Fatal(err)
			}
			defer sender.Close()
			msg := make([]byte, 512)
			const queued = 64
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				for range queued {
					if _, err := sender.Write(msg); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				for range queued {
					if data, _, _, err := r.read(); err != nil || len(data) != len(msg) {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*queued), "ns/datagram")
		})
	}
}
