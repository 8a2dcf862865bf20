package netio

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"time"

	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/internal/tlsverify"
)

// clientHandshake runs a TLS client handshake over raw, within what is left of
// the connect timeout (until deadline) or until ctx ends. On failure raw is
// closed and the error says why in words, still matching errors.Is/As
// (context.Canceled, x509.UnknownAuthorityError, ...).
func clientHandshake(ctx context.Context, raw net.Conn, ct *clientTLS, deadline time.Time, timeout time.Duration) (*tls.Conn, *TLSInfo, error) {
	hctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	tc := tls.Client(raw, ct.cfg)
	err := tc.HandshakeContext(hctx)
	if err == nil {
		return tc, ct.info(tc.ConnectionState()), nil
	}
	raw.Close()
	switch {
	case ctx.Err() != nil:
		return nil, nil, ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		return nil, nil, neterr.Worded(err, "TLS handshake: no answer within %v (does the server speak TLS?)", timeout)
	}
	return nil, nil, neterr.Worded(err, "TLS handshake failed: %s", tlsverify.Problem(err))
}

// serverHandshake runs the handshake of a server's client within timeout. A
// Close of the connection (the server stopping) ends it at once.
func serverHandshake(tc *tls.Conn, timeout time.Duration) (*TLSInfo, error) {
	tc.SetDeadline(time.Now().Add(timeout))
	err := tc.Handshake()
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, neterr.Worded(err, "TLS handshake: nothing within %v (does the client speak TLS?)", timeout)
		}
		return nil, neterr.Worded(err, "TLS handshake failed: %s", tlsverify.Problem(err))
	}
	tc.SetDeadline(time.Time{})
	return newTLSInfo(tc.ConnectionState()), nil
}

// handshakeFailed wraps a handshake's worded error with the connection it was on.
func handshakeFailed(peer string, err error) error {
	return opError(OpHandshake, "tcp", peer, err)
}
