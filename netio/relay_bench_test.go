package netio

import (
	"context"
	"io"
	"net"
	"testing"
)

// BenchmarkTCPRelay streams 64 KiB writes to a target that discards them, once
// directly and once through a relay (with a sink that drops every event, as a full
// display queue would), so the two rates can be compared in the same run.
func BenchmarkTCPRelay(b *testing.B) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	defer func() { ln.Close(); <-done }()

	r := NewTCPRelay(TCPRelayConfig{Listen: "127.0.0.1:0", Target: ln.Addr().String(), Sink: SinkFunc(func(Event) {})})
	if err := r.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer r.Close()

	chunk := make([]byte, 64<<10)
	for _, tc := range []struct{ name, addr string }{
		{"direct", ln.Addr().String()},
		{"relay", r.Addr().String()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c, err := net.Dial("tcp4", tc.addr)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			b.SetBytes(int64(len(chunk)))
			for b.Loop() {
				if _, err := c.Write(chunk); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
