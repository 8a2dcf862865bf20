// Tcpsend is the baseline TCP sender: a bare Write loop of -chunk bytes until
// -bytes are written, then a half-close, then it waits for the receiver to close,
// so that the time it reports (connect to the receiver's close) covers the
// receiver reading everything. The data is printable ASCII lines, what a text tool
// is for. It prints {"bytes":N,"seconds":S,"mb_per_s":R}.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "", "destination HOST:PORT (loopback)")
	total := flag.Int64("bytes", 1<<30, "bytes to send")
	chunk := flag.Int("chunk", 64<<10, "bytes per write")
	lineLen := flag.Int("line", 64, "bytes per line, newline included")
	flag.Parse()
	dst, err := netip.ParseAddrPort(*addr)
	if err != nil || !dst.Addr().IsLoopback() || *chunk < 1 || *total < 1 || *lineLen < 2 {
		fail(fmt.Errorf("need -addr LOOPBACK:PORT, -bytes >= 1, -chunk >= 1, -line >= 2 (got %q: %v)", *addr, err))
	}
	buf := make([]byte, *chunk)
	// Lines of -line bytes (63 printable characters and a newline by default),
	// again and again, across chunk boundaries.
	for i := range buf {
		if i%*lineLen == *lineLen-1 {
			buf[i] = '\n'
		} else {
			buf[i] = byte('!' + i%*lineLen%64)
		}
	}
	start := time.Now()
	c, err := net.DialTCP("tcp", nil, net.TCPAddrFromAddrPort(dst))
	if err != nil {
		fail(err)
	}
	for left := *total; left > 0; {
		n := int64(len(buf))
		if left < n {
			n = left
		}
		if _, err := c.Write(buf[:n]); err != nil {
			fail(err)
		}
		left -= n
	}
	if err := c.CloseWrite(); err != nil {
		fail(err)
	}
	// The receiver closes once it has read the end of the stream.
	c.SetReadDeadline(time.Now().Add(5 * time.Minute))
	if _, err := io.Copy(io.Discard, c); err != nil {
		fail(err)
	}
	secs := time.Since(start).Seconds()
	json.NewEncoder(os.Stdout).Encode(map[string]any{"bytes": *total, "seconds": secs, "mb_per_s": float64(*total) / secs / 1e6})
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tcpsend:", err)
	os.Exit(1)
}
