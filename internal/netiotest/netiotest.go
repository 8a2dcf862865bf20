// Package netiotest starts netio endpoints on loopback for the tests of the
// packages built on the engine (gen, eventlog, cli, ...): each is closed when the
// test ends, and its events are collected. Only test files import it.
package netiotest

import (
	"context"
	"testing"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// Collector keeps the events of an endpoint.
type Collector = eventtest.Collector[netio.Event]

// Kind matches events of kind k.
func Kind(k netio.EventKind) func(netio.Event) bool {
	return func(e netio.Event) bool { return e.Kind == k }
}

// StartUDP starts a UDP endpoint with cfg, its events collected.
func StartUDP(t testing.TB, cfg netio.UDPConfig) (*netio.UDPEndpoint, *Collector) {
	t.Helper()
	col := &Collector{}
	cfg.Sink = col
	u := netio.NewUDP(cfg)
	if err := u.Start(context.Background()); err != nil {
		t.Fatalf("start udp %q: %v", cfg.Bind, err)
	}
	t.Cleanup(func() { u.Close() })
	return u, col
}

// StartServer starts a TCP server with cfg (on 127.0.0.1:0 unless cfg.Bind says
// otherwise), its events collected.
func StartServer(t testing.TB, cfg netio.TCPServerConfig) (*netio.TCPServer, *Collector) {
	t.Helper()
	col := &Collector{}
	cfg.Sink = col
	if cfg.Bind == "" {
		cfg.Bind = "127.0.0.1:0"
	}
	s := netio.NewTCPServer(cfg)
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, col
}

// StartClient connects a TCP client to addr, its events collected.
func StartClient(t testing.TB, addr string, cs *charset.Charset) (*netio.TCPClient, *Collector) {
	t.Helper()
	col := &Collector{}
	c := netio.NewTCPClient(netio.TCPClientConfig{Addr: addr, Charset: cs, Sink: col, Timeout: eventtest.WaitTimeout})
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, col
}
