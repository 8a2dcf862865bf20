package netio

import (
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Failures come out as data: the operation, the protocol, the address and a cause
// that errors.Is still matches; the text stays the engine's English.
func TestErrorsAreData(t *testing.T) {
	taken, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	busy := taken.LocalAddr().String()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := ln.Addr().String()
	ln.Close()
	sender, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})

	for _, c := range []struct {
		name  string
		err   error
		op    Op
		proto string
		addr  string
		cause error
		text  string
	}{
		{"bind in use", NewUDP(UDPConfig{Bind: busy}).Start(t.Context()), OpBind, "udp", busy, syscall.EADDRINUSE, "netio: udp bind " + busy + ": address already in use (held by ..."}, // this process: see portinuse_test.go
		{"connect refused", NewTCPClient(TCPClientConfig{Addr: closedPort, Timeout: time.Second}).Start(t.Context()), OpConnect, "tcp", closedPort, syscall.ECONNREFUSED, "netio: connect " + closedPort + ": connection refused"},
		{"broadcast off", sender.SendTo("127.255.255.255:9", []byte("x")), OpSend, "udp", "127.255.255.255:9", ErrBroadcastOff, "netio: udp send to 127.255.255.255:9: " + ErrBroadcastOff.Error()},
		{"too large", sender.SendTo("127.0.0.1:9", make([]byte, MaxUDPPayload+1)), OpSend, "udp", "127.0.0.1:9", nil, "netio: udp send to 127.0.0.1:9: message is 65508 bytes; the largest a datagram can carry is 65507"},
	} {
		var op *OpError
		if !errors.As(c.err, &op) {
			t.Errorf("%s: %v (%T) is not an OpError", c.name, c.err, c.err)
			continue
		}
		if op.Op != c.op || op.Proto != c.proto || op.Addr != c.addr {
			t.Errorf("%s: op %q proto %q addr %q", c.name, op.Op, op.Proto, op.Addr)
		}
		if c.cause != nil && !errors.Is(c.err, c.cause) {
			t.Errorf("%s: %v does not match %v", c.name, c.err, c.cause)
		}
		if prefix, ok := strings.CutSuffix(c.text, "..."); ok && strings.HasPrefix(c.err.Error(), prefix) {
			continue
		}
		if c.err.Error() != c.text {
			t.Errorf("%s: text %q, want %q", c.name, c.err.Error(), c.text)
		}
	}
	var size *SizeError
	if err := sender.SendTo("127.0.0.1:9", make([]byte, MaxUDPPayload+1)); !errors.As(err, &size) || size.Size != MaxUDPPayload+1 {
		t.Errorf("too large: %v", err)
	}
}
