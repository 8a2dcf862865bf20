// Tcprecv is the baseline TCP receiver: it accepts one connection on loopback and
// copies it to io.Discard, nothing else. With -out FILE it writes what it reads
// to that file instead, in 16 KiB reads (sockdesk's per-client read size) and
// plain writes, no splice: the least a program that logs every byte must do. It prints
// {"port":N} once listening, and {"bytes":N,"seconds":S} (accept to end of
// stream) when the stream ends.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

func main() {
	out := flag.String("out", "", "copy the stream to this file instead of discarding it")
	flag.Parse()
	copyTo := func(c net.Conn) (int64, error) { return io.Copy(io.Discard, c) }
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		buf := make([]byte, 16<<10)
		// The wrappers hide ReadFrom and WriteTo, which would splice in the kernel.
		copyTo = func(c net.Conn) (int64, error) {
			return io.CopyBuffer(struct{ io.Writer }{f}, struct{ io.Reader }{c}, buf)
		}
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.Encode(map[string]int{"port": ln.Addr().(*net.TCPAddr).Port})
	c, err := ln.Accept()
	if err != nil {
		fail(err)
	}
	start := time.Now()
	n, err := copyTo(c)
	if err != nil {
		fail(err)
	}
	secs := time.Since(start).Seconds()
	c.Close()
	enc.Encode(map[string]any{"bytes": n, "seconds": secs})
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tcprecv:", err)
	os.Exit(1)
}
