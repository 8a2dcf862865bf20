package webtrace

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"syscall"
	"time"

	"github.com/sockdesk/sockdesk/internal/neterr"
)

// closeWait is how long a hop waits for net/http to close a connection it is
// done with (it does so right after the body, keep-alives being off) before
// closing it itself.
const closeWait = 2 * time.Second

// hop is one request and response of a trace: the URL asked for, or one
// redirect. Its facts are written by the dialer, the httptrace hooks and the
// client on different goroutines, hence the lock.
type hop struct {
	tr     *tracer
	ctx    context.Context
	n      int
	url    *url.URL
	method string
	header http.Header
	https  bool

	mu       sync.Mutex
	next     StepKind // the first step not reported yet
	finished bool     // every step is reported; late hooks are ignored
	phase    StepKind // the step the dial is in
	noDials  bool
	dialing  bool
	dialDone chan struct{} // closed when the dial returns, if it started

	// Written by the dialer.
	host             string
	literal          bool
	dnsStart, dnsEnd time.Time
	addrs            []net.IPAddr
	routeStart       time.Time
	routeEnd         time.Time
	route            routeInfo
	attempts         []attempt
	serverName       string
	tlsStart, tlsEnd time.Time
	tlsState         *tls.ConnectionState
	certs            []*x509.Certificate
	verifyErr        error
	dialErr          error
	dialFailed       StepKind
	wire             *wireConn
	connected        kernelReading // TCP_INFO right after the handshake

	// Written by the httptrace hooks and the client.
	wroteRequest         time.Time
	wroteErr             error
	firstByte, headersAt time.Time
	bodyEnd              time.Time
	failAt               time.Time
	resp                 *http.Response
	bodySize             int64
	preview              []byte
	bodyHead             []byte   // the body's first prescanLen bytes, for a <meta> charset
	location             *url.URL // where a redirect points, resolved
	redirectLimit        bool     // a redirect arrived on the last hop allowed
}

// hopResult is what the trace needs to go on to the next hop.
type hopResult struct {
	failed   bool
	status   int
	location *url.URL // a redirect's target; nil if not a redirect
}

func newHop(ctx context.Context, tr *tracer, n int, u *url.URL, method string, header http.Header) *hop {
	return &hop{
		tr: tr, ctx: ctx, n: n, url: u, method: method, header: header,
		https: u.Scheme == "https", dialDone: make(chan struct{}),
	}
}

// run does the hop: one request on one fresh connection, read to the end.
func (h *hop) run() hopResult {
	t := &http.Transport{
		Proxy:              nil, // the trace shows the direct path, as a browser without a proxy takes it
		DialContext:        h.dial,
		DialTLSContext:     h.dial,
		DisableKeepAlives:  true, // one connection, closed at the end: the close step is real
		DisableCompression: true, // no Accept-Encoding added: the request is what the user asked for, the body as sent
		ForceAttemptHTTP2:  false,
	}
	defer t.CloseIdleConnections()
	client := &http.Client{
		Transport:     t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	ctx := httptrace.WithClientTrace(h.ctx, &httptrace.ClientTrace{
		WroteRequest:         h.onWroteRequest,
		GotFirstResponseByte: func() { h.mark(&h.firstByte) },
	})
	req, err := http.NewRequestWithContext(ctx, h.method, h.url.String(), nil)
	if err != nil { // the URL was checked; this would be a bug
		return h.fail(StepDNS, neterr.Worded(err, "cannot make the request: %v", err))
	}
	req.Header = h.header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host // net/http takes the Host header from here, not from Header
		req.Header.Del("Host")
	}

	resp, err := client.Do(req)
	if err != nil {
		failAt := time.Now()
		h.settleDial()
		h.mu.Lock()
		w := h.wire
		h.mu.Unlock()
		if w != nil {
			w.waitWrites(time.Second)
		}
		k, e := h.classify(err)
		h.mu.Lock()
		h.failAt = failAt
		h.mu.Unlock()
		return h.fail(k, e)
	}
	h.mu.Lock()
	h.headersAt, h.resp = time.Now(), resp
	h.mu.Unlock()

	err = h.readBody(resp)
	resp.Body.Close()
	if err != nil {
		return h.fail(StepResponse, err)
	}
	out := h.redirect(resp)
	if out.location != nil && h.tr.opts.FollowRedirects && h.n == MaxRedirects {
		h.mu.Lock()
		h.redirectLimit = true
		h.mu.Unlock()
		r := h.fail(StepResponse, neterr.Worded(nil, "stopped after %d redirects", MaxRedirects))
		r.location = out.location
		return r
	}
	h.advance(StepResponse, nil)
	h.awaitClose()
	h.advance(StepClose, nil)
	h.finish()
	return out
}

// mark records the time of a hook into *at.
func (h *hop) mark(at *time.Time) {
	now := time.Now()
	h.mu.Lock()
	if at.IsZero() {
		*at = now
	}
	h.mu.Unlock()
}

// onRequestSent reports the request step as soon as it is on the wire.
func (h *hop) onRequestSent(at time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.wroteRequest = at
	h.advanceLocked(StepRequest, nil)
}

// onWroteRequest keeps net/http's reason when it could not write the request.
func (h *hop) onWroteRequest(info httptrace.WroteRequestInfo) {
	if info.Err != nil {
		h.mu.Lock()
		h.wroteErr = info.Err
		h.mu.Unlock()
	}
}

// advance reports every step up to k that is not reported yet; fail, if not
// nil, marks k as the failed one and ends the hop.
func (h *hop) advance(k StepKind, fail error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.advanceLocked(k, fail)
}

func (h *hop) advanceLocked(k StepKind, fail error) {
	if h.finished {
		return
	}
	for ; h.next <= k; h.next++ {
		if h.next == StepTLS && !h.https {
			continue
		}
		s := h.buildStep(h.next, h.next == k && fail != nil)
		if h.next == k && fail != nil {
			s.Failed, s.Err = true, fail
		}
		h.tr.add(s)
	}
	if fail != nil {
		h.finished = true
	}
}

// fail reports the steps before k and k as failed, closes the connection if
// there is one, and ends the hop.
func (h *hop) fail(k StepKind, err error) hopResult {
	h.mu.Lock()
	if h.failAt.IsZero() {
		h.failAt = time.Now()
	}
	h.mu.Unlock()
	h.advance(k, err)
	h.settleDial()
	h.mu.Lock()
	w := h.wire
	h.mu.Unlock()
	if w != nil {
		w.Close()
	}
	h.finish()
	return hopResult{failed: true}
}

func (h *hop) finish() {
	h.mu.Lock()
	h.finished = true
	h.mu.Unlock()
}

// settleDial stops any further dial and waits for one in progress to return,
// so that its facts are all in before anyone reads them.
func (h *hop) settleDial() {
	h.mu.Lock()
	h.noDials = true
	started := h.dialing
	h.mu.Unlock()
	if started {
		<-h.dialDone
	}
}

// classify finds which step a failed client.Do stopped at, and words why.
func (h *hop) classify(err error) (StepKind, error) {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.dialErr != nil:
		return h.dialFailed, h.dialErr
	case h.wire == nil: // the context ended before the dial even began
		if e := h.interrupted(err, "before connecting"); e != nil {
			return h.phase, e
		}
		return h.phase, neterr.Worded(err, "%s", neterr.Inner(err))
	}
	if !h.wire.facts().sentDone && h.firstByte.IsZero() {
		if e := h.interrupted(err, "sending the request"); e != nil {
			return StepRequest, e
		}
		cause := err
		if h.wroteErr != nil {
			cause = h.wroteErr
		}
		return StepRequest, neterr.Worded(cause, "could not send the request: %s", neterr.Inner(cause))
	}
	doing := "waiting for the first byte"
	if !h.firstByte.IsZero() {
		doing = "reading the response headers"
	}
	if e := h.interrupted(err, doing); e != nil {
		return StepResponse, e
	}
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		if h.firstByte.IsZero() {
			return StepResponse, neterr.Worded(err, "the server closed the connection without sending a response")
		}
		return StepResponse, neterr.Worded(err, "the server closed the connection in the middle of the response headers")
	case errors.Is(err, syscall.ECONNRESET):
		return StepResponse, neterr.Worded(err, "the server reset the connection while %s", doing)
	}
	return StepResponse, neterr.Worded(err, "%s", trimPrefixes(neterr.Inner(err).Error(), "net/http: "))
}

// readBody reads the whole body, counting and timing it, and keeps the start:
// the preview, and the first prescanLen bytes, where a page may declare its
// charset.
func (h *hop) readBody(resp *http.Response) error {
	keep := max(h.tr.opts.BodyPreview, prescanLen)
	var kept []byte
	var n int64
	buf := make([]byte, 32<<10)
	var err error
	for {
		var m int
		m, err = resp.Body.Read(buf)
		n += int64(m)
		if room := keep - len(kept); room > 0 && m > 0 {
			kept = append(kept, buf[:min(m, room)]...)
		}
		if err != nil {
			break
		}
	}
	now := time.Now()
	h.mu.Lock()
	h.bodySize, h.bodyEnd = n, now
	h.preview = kept[:min(len(kept), h.tr.opts.BodyPreview)]
	h.bodyHead = kept[:min(len(kept), prescanLen)]
	h.mu.Unlock()
	if errors.Is(err, io.EOF) {
		return nil
	}
	return h.bodyError(err, n, resp.ContentLength)
}

// bodyError words a body that did not arrive whole.
func (h *hop) bodyError(err error, got, want int64) error {
	of := byteCount(got)
	if want >= 0 {
		of = fmt.Sprintf("%d of %s", got, byteCount(want))
	}
	if e := h.interrupted(err, "reading the body ("+of+" received)"); e != nil {
		return e
	}
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		if want >= 0 {
			return neterr.Worded(err, "the connection closed after %s of the body", of)
		}
		return neterr.Worded(err, "the connection closed in the middle of the body, after %s", of)
	case errors.Is(err, syscall.ECONNRESET):
		return neterr.Worded(err, "the server reset the connection after %s of the body", of)
	}
	return neterr.Worded(err, "reading the body after %s: %s", of, trimPrefixes(neterr.Inner(err).Error(), "net/http: "))
}

// redirect resolves a redirect's Location; a missing or unusable one is
// reported in the details and ends the trace like any final response.
func (h *hop) redirect(resp *http.Response) hopResult {
	out := hopResult{status: resp.StatusCode}
	loc := resp.Header.Get("Location")
	if !isRedirect(resp.StatusCode) || loc == "" {
		return out
	}
	if u, err := h.url.Parse(loc); err == nil {
		u.Fragment, u.RawFragment = "", ""
		out.location = u
		h.mu.Lock()
		h.location = u
		h.mu.Unlock()
	}
	return out
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// awaitClose waits for net/http to close the connection after the body, and
// closes it itself if that does not come.
func (h *hop) awaitClose() {
	h.mu.Lock()
	w := h.wire
	h.mu.Unlock()
	if w == nil {
		return
	}
	timer := time.NewTimer(closeWait)
	defer timer.Stop()
	select {
	case <-w.closed:
	case <-timer.C:
	case <-h.ctx.Done():
	}
	w.Close()
}

// trimPrefixes removes the first of prefixes that s starts with.
func trimPrefixes(s string, prefixes ...string) string {
	for _, p := range prefixes {
		if len(s) > len(p) && s[:len(p)] == p {
			return s[len(p):]
		}
	}
	return s
}
