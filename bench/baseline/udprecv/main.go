// Udprecv is the baseline UDP receiver: a bare ReadFrom loop that counts. It binds
// 127.0.0.1:0 with the same 4 MiB receive buffer sockdesk asks for, prints
// {"port":N}, and reads until -idle passes without a datagram (after the first).
// It then prints {"msgs","bytes","first_to_last_s","rate"}, the rate being
// (msgs-1)/(last arrival - first arrival).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	idle := flag.Duration("idle", time.Second, "stop after this long without a datagram")
	limit := flag.Duration("limit", 5*time.Minute, "stop after this long in any case")
	flag.Parse()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		fail(err)
	}
	c.SetReadBuffer(4 << 20)
	out := json.NewEncoder(os.Stdout)
	out.Encode(map[string]int{"port": c.LocalAddr().(*net.UDPAddr).Port})
	buf := make([]byte, 65536)
	var msgs, bytes int64
	var first, last, set time.Time
	end := time.Now().Add(*limit)
	c.SetReadDeadline(end)
	for {
		n, _, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				break
			}
			fail(err)
		}
		last = time.Now()
		if msgs == 0 {
			first = last
		}
		msgs++
		bytes += int64(n)
		// A deadline per datagram would cost a timer update each; the idle
		// check only needs to be right to a fraction of -idle.
		if last.Sub(set) > *idle/4 {
			set = last
			d := last.Add(*idle)
			if d.After(end) {
				d = end
			}
			c.SetReadDeadline(d)
		}
	}
	span := last.Sub(first).Seconds()
	rate := 0.0
	if msgs > 1 && span > 0 {
		rate = float64(msgs-1) / span
	}
	out.Encode(map[string]any{"msgs": msgs, "bytes": bytes, "first_to_last_s": span, "rate": rate})
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "udprecv:", err)
	os.Exit(1)
}
