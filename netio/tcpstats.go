package netio

import (
	"context"
	"errors"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/sockdesk/sockdesk/internal/tcpinfo"
)

// TCPInfo is what is known about a TCP client's connection at one moment,
// carried on its connected and closed events: what the socket API measured
// and what the system reports, nothing estimated. The app's handshake and
// close diagram and the command line's TCP_INFO line are drawn from it.
type TCPInfo struct {
	// Connect is how long the TCP handshake took as the socket API measured
	// it: from the connect call on the socket to its return (the SYN going
	// out to the SYN-ACK coming back, plus the system's own time), without
	// name resolution and without TLS. On connected events only.
	Connect time.Duration
	// Kernel is the system's TCP_INFO (Linux): on connected, read once the
	// connection is ready; on closed, just before this side's socket was
	// closed, so its State says who had closed by then (CLOSE_WAIT: the
	// peer). nil where it cannot be read; KernelErr then says why
	// (tcpinfo.ErrNotAvailable outside Linux).
	Kernel    *tcpinfo.Info
	KernelErr error
}

// TCPInfo reads the connection's TCP_INFO now (Linux); an error before a
// successful Start, after the connection has ended, or where the system
// does not report it (tcpinfo.ErrNotAvailable).
func (t *TCPClient) TCPInfo() (tcpinfo.Info, error) {
	c := t.conn()
	if c == nil {
		return tcpinfo.Info{}, ErrNotStarted
	}
	info, err := readTCPInfo(c.conn)
	if err != nil {
		return tcpinfo.Info{}, err
	}
	return *info, nil
}

// readTCPInfo reads c's TCP_INFO, under TLS if c is a TLS connection.
func readTCPInfo(c net.Conn) (*tcpinfo.Info, error) {
	if tc, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = tc.NetConn()
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil, errors.New("tcpinfo: not a TCP socket")
	}
	info, err := tcpinfo.Read(sc)
	if err != nil {
		return nil, err
	}
	return &info, nil
}

// kernelSnapshot reads c's TCP_INFO into a TCPInfo.
func kernelSnapshot(c net.Conn) *TCPInfo {
	info, err := readTCPInfo(c)
	return &TCPInfo{Kernel: info, KernelErr: err}
}

// connectClock times the connect calls of one dial: the dialer's control
// hook runs on each socket just before its connect, and the dial may try
// several addresses (one after the other, or IPv6 and IPv4 at once), so the
// start is kept per address and the one that connected is looked up after.
type connectClock struct {
	mu     sync.Mutex
	starts map[string]time.Time
}

// control is a net.Dialer's ControlContext.
func (cc *connectClock) control(_ context.Context, _, address string, _ syscall.RawConn) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.starts == nil {
		cc.starts = map[string]time.Time{}
	}
	cc.starts[address] = time.Now()
	return nil
}

// took is how long the connect to remote took until established; zero if
// its start was not seen.
func (cc *connectClock) took(remote net.Addr, established time.Time) time.Duration {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	start, ok := cc.starts[remote.String()]
	if !ok {
		return 0
	}
	return established.Sub(start)
}
