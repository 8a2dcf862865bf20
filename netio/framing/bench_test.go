package framing

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

const benchRead = 64 << 10 // the read size of a TCP connection under a bulk transfer

// benchReads cuts a 1 MiB stream of lines of lineLen bytes (LF included; 0: no
// LF at all) into 64 KiB reads, so lines cross read boundaries as on a socket.
func benchReads(lineLen int) [][]byte {
	const total = 16 * benchRead
	var stream []byte
	if lineLen == 0 {
		stream = bytes.Repeat([]byte("x"), total)
	} else {
		line := strings.Repeat("x", lineLen-1) + "\n"
		stream = bytes.Repeat([]byte(line), total/lineLen+1)[:total]
	}
	var reads [][]byte
	for len(stream) > 0 {
		reads = append(reads, stream[:benchRead])
		stream = stream[benchRead:]
	}
	return reads
}

// BenchmarkLineFraming frames a stream by lines next to a baseline that only
// counts the LF bytes of the same reads with bytes.Count, in the same loop, and
// reports both rates and framer/count, the framer's share of the baseline's speed.
func BenchmarkLineFraming(b *testing.B) {
	for _, tc := range []struct {
		name string
		line int
	}{
		{"lines=20", 20},
		{"lines=64", 64}, // what make bench's TCP sender sends
		{"lines=100", 100},
		{"lines=1000", 1000},
		{"no-newline", 0},
	} {
		b.Run(tc.name, func(b *testing.B) {
			reads := benchReads(tc.line)
			f := NewFramer(mustParse(b, "line"), DefaultMaxFrame)
			var framed, counted time.Duration
			var frames, lfs, n int
			for b.Loop() {
				t0 := time.Now()
				for _, r := range reads {
					f.Feed(r)
					for _, ok := f.Next(); ok; _, ok = f.Next() {
						frames++
					}
				}
				t1 := time.Now()
				for _, r := range reads {
					lfs += bytes.Count(r, []byte{'\n'})
				}
				counted += time.Since(t1)
				framed += t1.Sub(t0)
				n++
			}
			if tc.line > 0 && frames < lfs-n {
				b.Fatalf("%d frames for %d LFs", frames, lfs)
			}
			mb := float64(n*len(reads)*benchRead) / 1e6
			b.ReportMetric(mb/framed.Seconds(), "framer-MB/s")
			b.ReportMetric(mb/counted.Seconds(), "count-MB/s")
			b.ReportMetric(counted.Seconds()/framed.Seconds(), "framer/count")
		})
	}
}

// BenchmarkModes frames 100-byte messages in 64 KiB reads in the other modes.
func BenchmarkModes(b *testing.B) {
	const size = 100
	stream := make([]byte, 0, 16*benchRead)
	msg := make([]byte, size)
	for i := range msg {
		msg[i] = 'a' + byte(i%26)
	}
	for len(stream)+size <= cap(stream) {
		m := append([]byte(nil), msg...)
		m[4], m[5] = 0, size-6            // modbus-tcp: MBAP length
		m[size-2], m[size-1] = '\r', '\n' // delim:0d0a
		stream = append(stream, m...)
	}
	for _, spec := range []string{"delim:0d0a", "fixed:100", "modbus-tcp", "length:4:2", "idle:20ms", "none"} {
		b.Run(spec, func(b *testing.B) {
			f := NewFramer(mustParse(b, spec), DefaultMaxFrame)
			b.SetBytes(int64(len(stream)))
			for b.Loop() {
				for r := stream; len(r) > 0; r = r[min(len(r), benchRead):] {
					f.Feed(r[:min(len(r), benchRead)])
					for _, ok := f.Next(); ok; _, ok = f.Next() {
					}
				}
				f.Expire()
				for _, ok := f.Next(); ok; _, ok = f.Next() {
				}
			}
		})
	}
}
