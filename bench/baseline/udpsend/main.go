// Udpsend is the baseline UDP sender: a bare WriteTo loop, nothing else. Each
// datagram starts with its sequence number (10 decimal digits) and is padded with
// 'x' to -size bytes, so that a receiver can check what it got. It prints one JSON
// object: msgs, bytes, seconds, msgs_per_s.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "", "destination HOST:PORT (loopback)")
	count := flag.Int("count", 1_000_000, "datagrams to send")
	size := flag.Int("size", 64, "bytes per datagram (at least 10)")
	flag.Parse()
	dst, err := netip.ParseAddrPort(*addr)
	if err != nil || !dst.Addr().IsLoopback() || *size < 10 || *count < 1 {
		fail(fmt.Errorf("need -addr LOOPBACK:PORT, -size >= 10, -count >= 1 (got %q: %v)", *addr, err))
	}
	c, err := net.ListenUDP("udp", nil)
	if err != nil {
		fail(err)
	}
	buf := make([]byte, *size)
	for i := range buf {
		buf[i] = 'x'
	}
	start := time.Now()
	for i := range *count {
		putSeq(buf, i+1)
		if _, err := c.WriteToUDPAddrPort(buf, dst); err != nil {
			fail(err)
		}
	}
	secs := time.Since(start).Seconds()
	json.NewEncoder(os.Stdout).Encode(map[string]any{
		"msgs": *count, "bytes": *count * *size, "seconds": secs, "msgs_per_s": float64(*count) / secs,
	})
}

// putSeq writes n as 10 decimal digits at the start of b, without allocating.
func putSeq(b []byte, n int) {
	for i := 9; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "udpsend:", err)
	os.Exit(1)
}
