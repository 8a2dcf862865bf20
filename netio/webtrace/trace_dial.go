package webtrace

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/internal/tlsverify"
)

// The dialer is where DNS, the route, the TCP connect and the TLS handshake
// happen: net/http calls it for the hop's one connection, and it does each
// step itself so that it can time each one, show every address it tried with
// its local address, and put the route lookup between DNS and connect.

// minAttempt is the least time one address gets when several share what is
// left of the timeout, as in net.Dialer: a dead first address must not eat
// the whole budget, nor a long list leave each address no chance.
const minAttempt = 2 * time.Second

// attempt is one TCP connect to one address.
type attempt struct {
	addr       string // host:port dialled
	local      string // the local end, once connected
	start, end time.Time
	err        error // worded for people
}

// dial is the Transport's DialContext (http) and DialTLSContext (https). It
// ignores the Transport's context, which net/http detaches from the request,
// and uses the hop's, so that the trace's timeout and cancellation stop it.
func (h *hop) dial(_ context.Context, _, addr string) (net.Conn, error) {
	h.mu.Lock()
	if h.noDials || h.dialing {
		h.mu.Unlock()
		return nil, errors.New("netio: trace: one connection per hop")
	}
	h.dialing = true
	h.mu.Unlock()
	defer close(h.dialDone)

	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, h.dialFail(StepDNS, neterr.Worded(err, "bad address %s", addr))
	}
	port, _ := strconv.Atoi(portStr)
	ips, err := h.resolve(host)
	if err != nil {
		return nil, h.dialFail(StepDNS, err)
	}
	h.advance(StepDNS, nil)

	h.setPhase(StepRoute)
	if err := h.findRoute(ips, port); err != nil {
		return nil, h.dialFail(StepRoute, err)
	}
	h.advance(StepRoute, nil)

	h.setPhase(StepConnect)
	raw, err := h.connect(ips, port)
	if err != nil {
		return nil, h.dialFail(StepConnect, err)
	}
	connected := readKernel(raw)
	h.mu.Lock()
	h.connected = connected
	h.mu.Unlock()
	h.advance(StepConnect, nil)

	conn := raw
	if h.https {
		h.setPhase(StepTLS)
		tc, err := h.handshake(raw, host)
		if err != nil {
			raw.Close()
			return nil, h.dialFail(StepTLS, err)
		}
		h.advance(StepTLS, nil)
		conn = tc
	}
	w := newWireConn(conn, raw, h.onRequestSent)
	h.mu.Lock()
	h.wire = w
	h.phase = StepRequest
	h.mu.Unlock()
	return w, nil
}

func (h *hop) setPhase(k StepKind) {
	h.mu.Lock()
	h.phase = k
	h.mu.Unlock()
}

// dialFail records where and why the dial stopped; the hop reports it once
// net/http has given up on the request.
func (h *hop) dialFail(k StepKind, err error) error {
	h.mu.Lock()
	h.dialErr, h.dialFailed = err, k
	h.mu.Unlock()
	return err
}

// resolve looks host up, unless it is an address already.
func (h *hop) resolve(host string) ([]net.IPAddr, error) {
	start := time.Now()
	h.mu.Lock()
	h.host, h.dnsStart = host, start
	h.mu.Unlock()
	if a, err := netip.ParseAddr(host); err == nil {
		ips := []net.IPAddr{{IP: net.IP(a.Unmap().AsSlice()), Zone: a.Zone()}}
		h.mu.Lock()
		h.literal, h.addrs, h.dnsEnd = true, ips, start
		h.mu.Unlock()
		return ips, nil
	}
	r := h.tr.opts.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupIPAddr(h.ctx, host)
	h.mu.Lock()
	h.addrs, h.dnsEnd = ips, time.Now()
	h.mu.Unlock()
	switch {
	case err != nil:
		return nil, h.dnsError(host, err)
	case len(ips) == 0:
		return nil, neterr.Worded(err, "no addresses for %s", host)
	}
	return ips, nil
}

// dnsError words a failed lookup: "no such host example.invalid".
func (h *hop) dnsError(host string, err error) error {
	if e := h.interrupted(err, "looking up "+host); e != nil {
		return e
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		switch {
		case de.IsNotFound:
			return neterr.Worded(err, "no such host %s", host)
		case de.IsTimeout:
			return neterr.Worded(err, "no answer from the resolver for %s", host)
		}
		return neterr.Worded(err, "cannot look up %s: %s", host, de.Err)
	}
	return neterr.Worded(err, "cannot look up %s: %s", host, neterr.Inner(err))
}

// findRoute looks up the route to the first address that has one.
func (h *hop) findRoute(ips []net.IPAddr, port int) error {
	h.mu.Lock()
	h.routeStart = time.Now()
	h.mu.Unlock()
	var firstErr error
	for _, ip := range ips {
		ri, err := lookupRoute(ip, port)
		if err == nil {
			h.mu.Lock()
			h.route, h.routeEnd = ri, time.Now()
			h.mu.Unlock()
			return nil
		}
		if firstErr == nil {
			firstErr = neterr.Worded(err, "no route to %s: %s", ip.String(), err)
		}
	}
	h.mu.Lock()
	h.routeEnd = time.Now()
	h.mu.Unlock()
	return firstErr
}

// connect tries each address in turn, as net.Dialer does within one address
// family, and records every attempt. Happy Eyeballs (racing IPv6 against
// IPv4) is left out so that the attempts read as a simple list.
func (h *hop) connect(ips []net.IPAddr, port int) (net.Conn, error) {
	var d net.Dialer
	for i, ip := range ips {
		a := attempt{addr: hostport.Join(ip.String(), port), start: time.Now()}
		ctx, cancel := h.ctx, context.CancelFunc(func() {})
		limit := attemptLimit(h.ctx, len(ips)-i)
		if limit > 0 {
			ctx, cancel = context.WithTimeout(h.ctx, limit)
		}
		c, err := d.DialContext(ctx, "tcp", a.addr)
		cancel()
		a.end = time.Now()
		if err == nil {
			a.local = c.LocalAddr().String()
			h.addAttempt(a)
			return c, nil
		}
		if e := h.interrupted(err, "connecting to "+a.addr); e != nil {
			a.err = e
			h.addAttempt(a)
			return nil, e
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && limit > 0 {
			a.err = neterr.Worded(err, "no answer within %s", formatTimeout(limit.Round(time.Millisecond)))
		} else {
			a.err = neterr.Worded(err, "%s", neterr.Inner(err))
		}
		h.addAttempt(a)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	last := h.attempts[len(h.attempts)-1].err
	if n := len(h.attempts); n > 1 {
		return nil, neterr.Worded(errors.Unwrap(last), "%s (tried %d addresses)", last, n)
	}
	return nil, last
}

func (h *hop) addAttempt(a attempt) {
	h.mu.Lock()
	h.attempts = append(h.attempts, a)
	h.mu.Unlock()
}

// attemptLimit is how long the next of n remaining addresses may take: an even
// share of what is left, but at least minAttempt (or all that is left). Zero
// means no limit of its own (one address: the trace's deadline is enough).
func attemptLimit(ctx context.Context, n int) time.Duration {
	deadline, ok := ctx.Deadline()
	if !ok || n <= 1 {
		return 0
	}
	left := time.Until(deadline)
	share := left / time.Duration(n)
	if share < minAttempt {
		share = min(minAttempt, left)
	}
	return share
}

// handshake runs the TLS handshake on raw. The certificate is checked by the
// trace itself (InsecureSkipVerify with VerifyConnection, the documented way
// to verify differently), with the same checks crypto/tls makes, so that the
// verdict can be reported and, with the insecure option, ignored.
func (h *hop) handshake(raw net.Conn, host string) (*tls.Conn, error) {
	serverName := host
	if a, err := netip.ParseAddr(host); err == nil {
		serverName = a.WithZone("").String() // certificates name addresses without zones
	}
	cfg := &tls.Config{
		ServerName:         serverName,
		NextProtos:         []string{"http/1.1"}, // this trace speaks HTTP/1.1 only; say so in ALPN
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			err := tlsverify.VerifyChain(cs.PeerCertificates, serverName, h.tr.opts.RootCAs)
			h.mu.Lock()
			h.certs, h.verifyErr = cs.PeerCertificates, err
			h.mu.Unlock()
			if err != nil && !h.tr.opts.Insecure {
				return err
			}
			return nil
		},
	}
	start := time.Now()
	h.mu.Lock()
	h.tlsStart, h.serverName = start, serverName
	h.mu.Unlock()
	tc := tls.Client(raw, cfg)
	err := tc.HandshakeContext(h.ctx)
	end := time.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tlsEnd = end
	if err != nil {
		var cve *tls.CertificateVerificationError
		if errors.As(err, &cve) && h.certs == nil {
			h.certs = cve.UnverifiedCertificates
		}
		return nil, h.tlsError(err) // takes no lock
	}
	cs := tc.ConnectionState()
	h.tlsState = &cs
	return tc, nil
}

// tlsError words a failed handshake: "certificate signed by unknown authority".
func (h *hop) tlsError(err error) error {
	if e := h.interrupted(err, "in the TLS handshake"); e != nil {
		return e
	}
	return neterr.Worded(err, "%s", tlsverify.Problem(err))
}

// interrupted words an error that the trace's context caused — its timeout,
// or the caller cancelling — and returns nil for any other error.
func (h *hop) interrupted(err error, doing string) error {
	if h.ctx.Err() == nil {
		return nil
	}
	if context.Cause(h.ctx) == errTraceTimeout {
		return neterr.Worded(errors.Join(context.DeadlineExceeded, err), "timeout after %s %s", formatTimeout(h.tr.opts.Timeout), doing)
	}
	return neterr.Worded(errors.Join(context.Canceled, err), "cancelled while %s", doing)
}

// attemptText is one connect attempt for the details.
func attemptText(a attempt) string {
	took := FormatDuration(a.end.Sub(a.start))
	if a.err == nil {
		return fmt.Sprintf("%s: connected in %s", a.addr, took)
	}
	return fmt.Sprintf("%s: %s after %s", a.addr, a.err, took)
}
