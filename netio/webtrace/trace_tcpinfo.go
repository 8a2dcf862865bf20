package webtrace

import (
	"errors"
	"net"
	"syscall"

	"github.com/sockdesk/sockdesk/internal/tcpinfo"
)

// ConnFacts is what is known of a hop's TCP connection once it has closed,
// for a diagram of its handshake and close: its two ends, who closed first,
// and what the system reported about it (TCP_INFO, Linux only) right after
// the handshake and just before the client closed. Nothing here is
// estimated; the times are the steps' own.
type ConnFacts struct {
	Local, Remote string // host:port
	// ServerClosedFirst: the server's FIN had arrived when the client
	// closed (the close step's "closed by the server").
	ServerClosedFirst bool
	// Connected is TCP_INFO read once the handshake was done, Closing just
	// before the client closed its socket (its State says whether the
	// server had closed by then: CLOSE_WAIT). nil where it could not be
	// read; KernelErr says why (tcpinfo.ErrNotAvailable outside Linux).
	Connected, Closing *tcpinfo.Info
	KernelErr          error
}

// kernelReading is one TCP_INFO reading, or why there is none.
type kernelReading struct {
	info *tcpinfo.Info
	err  error
}

// readKernel reads c's TCP_INFO now; c is the TCP connection (under TLS, the
// raw one).
func readKernel(c net.Conn) kernelReading {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return kernelReading{err: errors.New("tcpinfo: not a TCP socket")}
	}
	info, err := tcpinfo.Read(sc)
	if err != nil {
		return kernelReading{err: err}
	}
	return kernelReading{info: &info}
}

// connFacts gathers the hop's connection facts for its close step; nil
// without a connection. It runs under the hop's lock.
func (h *hop) connFacts(f wireFacts) *ConnFacts {
	if h.wire == nil || len(h.attempts) == 0 {
		return nil
	}
	last := h.attempts[len(h.attempts)-1]
	c := &ConnFacts{
		Local: last.local, Remote: last.addr, ServerClosedFirst: f.serverFirst,
		Connected: h.connected.info, Closing: f.closing.info,
	}
	c.KernelErr = h.connected.err
	if c.KernelErr == nil {
		c.KernelErr = f.closing.err
	}
	return c
}
