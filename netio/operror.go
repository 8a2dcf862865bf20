package netio

import (
	"fmt"
	"time"
)

// Op names what an endpoint was doing when an OpError happened.
type Op string

// The operations of OpError. Their values are the engine's English, as Error
// writes them.
const (
	OpBind         Op = "bind"           // binding a UDP socket
	OpListen       Op = "listen"         // listening for TCP clients
	OpAccept       Op = "accept"         // accepting a TCP client
	OpConnect      Op = "connect"        // connecting a TCP client
	OpConnectRelay Op = "connect target" // a relay connecting a client on to its target
	OpHandshake    Op = "handshake"      // a TLS server's handshake with a client
	OpSend         Op = "send to"        // sending a message
	OpReceive      Op = "receive"        // receiving (a UDP read, a TCP connection's read)
	OpRelay        Op = "relay"          // passing a relayed connection's bytes on
	OpClose        Op = "close"          // half-closing a TCP connection
	OpSetBroadcast Op = "set broadcast"  // turning the broadcast switch
)

// OpError is an endpoint's failure as data, in the style of net.OpError: what was
// attempted (Op), over which protocol, on which address, and why (Err, which
// errors.Is and errors.As see through: syscall.EADDRINUSE, ErrBroadcastOff,
// ErrPortUnreachable, *NoAnswerError, ...). Front ends word it from its fields in
// their language; Error is the engine's English, for logs and the command line.
type OpError struct {
	Op    Op
	Proto string // "udp" or "tcp"
	Addr  string // the address the operation was on; "" when there is none
	Err   error
}

func (e *OpError) Error() string {
	var s string
	switch e.Op {
	case OpConnect:
		s = "netio: connect"
	case OpConnectRelay:
		s = "netio: relay: connect target"
	case OpHandshake:
		s = "netio: client"
	case OpRelay:
		s = "netio: relay"
	case OpReceive:
		s = "netio: " + e.Proto
		if e.Addr == "" { // a UDP socket's read: no one peer
			s += " receive"
		}
	default:
		s = "netio: " + e.Proto + " " + string(e.Op)
	}
	if e.Addr != "" {
		s += " " + e.Addr
	}
	return s + ": " + e.Err.Error()
}

func (e *OpError) Unwrap() error { return e.Err }

func opError(op Op, proto, addr string, err error) error {
	return &OpError{Op: op, Proto: proto, Addr: addr, Err: err}
}

// NoAnswerError is the cause of a connect that timed out: nothing answered within
// After (a host that is down, or a firewall that drops the handshake).
type NoAnswerError struct {
	After time.Duration
	Err   error
}

func (e *NoAnswerError) Error() string {
	return fmt.Sprintf("no answer within %v: %v", e.After, e.Err)
}

func (e *NoAnswerError) Unwrap() error { return e.Err }

// SizeError is the cause of a message too large for a datagram.
type SizeError struct {
	Size, Max int
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("message is %d bytes; the largest a datagram can carry is %d", e.Size, e.Max)
}
