package webtrace

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// A web trace fetches one URL the way a browser does and reports each step it
// took — DNS, route, TCP connect, TLS, request, response, close — with its timing
// and what went over the wire. It is built on net/http (a fresh Transport per
// hop, so every step really happens) observed through net/http/httptrace, our
// own dialer, and a wrapper around the connection that sees the bytes.

// Trace limits and defaults.
const (
	DefaultTimeout     = 10 * time.Second // Options.Timeout when zero
	DefaultBodyPreview = 4 << 10          // Options.BodyPreview when zero
	MaxRedirects       = 10               // hops followed after the first one
)

// StepKind is one step of fetching a page. The constants are in the order the
// steps happen, which is also the order a trace reports them in: the route to an
// address can only be looked up once DNS has given the address.
type StepKind int

const (
	StepDNS      StepKind = iota // the host name resolved to addresses
	StepRoute                    // interface, source address, gateway and its MAC
	StepConnect                  // the TCP three-way handshake
	StepTLS                      // the TLS handshake (https only)
	StepRequest                  // the request line and headers as sent
	StepResponse                 // status, headers and body
	StepClose                    // who closed the connection; the total time
)

// Options says what to fetch and how.
type Options struct {
	URL     string      // http:// or https://
	Method  string      // GET (the default) or HEAD
	Headers http.Header // extra request headers; a Host header replaces the URL's host
	// Timeout bounds the whole trace, every redirect hop included; zero means
	// DefaultTimeout. There is always a limit, so that a silent server
	// cannot hold a trace forever.
	Timeout time.Duration
	// Insecure continues past a certificate that does not verify. The TLS step
	// still says that it did not verify, and why.
	Insecure bool
	// FollowRedirects traces each redirect as its own hop (up to MaxRedirects);
	// otherwise a redirect ends the trace and Result.Redirect names it.
	FollowRedirects bool
	// Charset decodes the body preview; nil means the charset named in the
	// response's Content-Type, else (for HTML) the one a <meta> tag in the
	// page's first 1024 bytes declares, as browsers find it, else UTF-8.
	Charset *charset.Charset
	// BodyPreview is how many bytes of the body are kept and decoded; the rest
	// is counted and timed but not kept (beyond the first 1024 bytes, which
	// are looked through for a <meta> charset). Zero means DefaultBodyPreview,
	// negative keeps none.
	BodyPreview int
	// OnStep, if set, is called with each step as soon as it is complete, in
	// order, one call at a time, from the goroutines doing the work: it must
	// return quickly (hand the step to a queue or a UI pump) and must not call
	// Trace. Every step it gets is also in the result.
	OnStep func(Step)
	// Resolver looks up host names; nil means net.DefaultResolver.
	Resolver *net.Resolver
	// RootCAs are the authorities a certificate must chain to; nil means the
	// system's.
	RootCAs *x509.CertPool
}

// Step is one step of one hop, complete.
type Step struct {
	Kind     StepKind
	Hop      int           // 0 for the URL asked for, 1 for the first redirect followed, ...
	URL      string        // the URL this hop fetched
	Start    time.Duration // from the start of the trace
	Duration time.Duration
	// Summary is one line for a chart label, e.g. "127.0.0.1:54321 → 127.0.0.1:8080".
	Summary string
	// Details are label/value pairs in display order. Values from the network
	// (headers, certificate names, the body preview) are already made safe for
	// one line with DisplayText.
	Details []Detail
	// Marks are moments inside the step, e.g. the response's first byte, for
	// a waterfall to draw.
	Marks []Mark
	// Body is the response body preview; nil for other steps.
	Body *BodyPreview
	// Status is the response's status code (200, 404, ...) on a response step
	// whose status line arrived; 0 otherwise.
	Status  int
	Skipped bool // the step did not apply, e.g. DNS for an IP address
	Failed  bool // the trace stopped here; Err says why
	// Err is worded for people without the step's name ("connection refused",
	// "no such host example.invalid"); see ErrorText. It wraps the underlying
	// error, so errors.Is(err, syscall.ECONNREFUSED) and the like still work.
	Err error
	// Conn is what is known of the hop's TCP connection, on its close step
	// (nil on the other steps): see ConnFacts.
	Conn *ConnFacts
}

// Detail is one label/value pair of a step.
type Detail struct {
	Label, Value string
}

// Mark is a named moment inside a step.
type Mark struct {
	Label string
	At    time.Duration // from the start of the trace
}

// End is Start + Duration.
func (s Step) End() time.Duration { return s.Start + s.Duration }

// Detail returns the value of the first detail with this label, or "".
func (s Step) Detail(label string) string {
	for _, d := range s.Details {
		if d.Label == label {
			return d.Value
		}
	}
	return ""
}

// BodyPreview is the start of a response body, decoded.
type BodyPreview struct {
	Raw       []byte           // the first bytes of the body as received
	Text      string           // Raw decoded with Charset; NOT escaped: use DisplayText per line to show it
	Charset   *charset.Charset // the charset used
	Size      int64            // the whole body's size in bytes
	Truncated bool             // Raw is only the start of the body
}

// Result is a finished trace.
type Result struct {
	Steps []Step        // every step of every hop, in order; a failed step is the last
	Total time.Duration // from the start to the last step's end
	// Redirect is the absolute URL of a redirect that was not followed (the
	// option was off, the hop limit was reached, or it is not http/https).
	Redirect string
	Hops     int // how many hops were traced (1 without redirects)
}

// Failure returns the step that failed, if one did.
func (r *Result) Failure() (Step, bool) {
	if n := len(r.Steps); n > 0 && r.Steps[n-1].Failed {
		return r.Steps[n-1], true
	}
	return Step{}, false
}

// URLError is a URL that cannot be traced, with the reason.
type URLError struct {
	URL    string
	Reason string
}

func (e *URLError) Error() string { return "URL " + strconv.Quote(e.URL) + ": " + e.Reason }

// OptionError is a trace option other than the URL that cannot be used.
type OptionError struct {
	Option string // "method", "header", "timeout"
	Reason string
}

func (e *OptionError) Error() string { return e.Option + ": " + e.Reason }

// errTraceTimeout is the cause of the trace's context ending at its timeout.
var errTraceTimeout = errors.New("trace timeout")

// Trace fetches o.URL and reports every step. The error is only for options
// that cannot be used (a *URLError naming the URL, or a *OptionError);
// whatever goes wrong on the network is in the steps, the failed one last.
// Cancelling ctx stops the trace at the step in progress.
func Run(ctx context.Context, o Options) (*Result, error) {
	u, err := parseTraceURL(o.URL)
	if err != nil {
		return nil, err
	}
	method, err := traceMethod(o.Method)
	if err != nil {
		return nil, err
	}
	if err := checkHeaders(o.Headers); err != nil {
		return nil, err
	}
	if o.Timeout < 0 {
		return nil, &OptionError{Option: "timeout", Reason: o.Timeout.String() + " is negative"}
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	switch {
	case o.BodyPreview == 0:
		o.BodyPreview = DefaultBodyPreview
	case o.BodyPreview < 0:
		o.BodyPreview = 0
	}

	ctx, cancel := context.WithTimeoutCause(ctx, o.Timeout, errTraceTimeout)
	defer cancel()
	tr := &tracer{opts: o, t0: time.Now(), res: &Result{}}
	header := o.Headers.Clone()
	for n := 0; ; n++ {
		h := newHop(ctx, tr, n, u, method, header)
		out := h.run()
		tr.res.Hops = n + 1
		if out.failed && out.location != nil { // the hop limit was reached
			tr.res.Redirect = out.location.String()
		}
		if out.failed || out.location == nil {
			break
		}
		next := out.location
		if !o.FollowRedirects || n == MaxRedirects || (next.Scheme != "http" && next.Scheme != "https") {
			tr.res.Redirect = next.String()
			break
		}
		method, header = redirectRequest(out.status, method, header, u, next)
		u = next
	}
	if n := len(tr.res.Steps); n > 0 {
		tr.res.Total = tr.res.Steps[n-1].End()
	}
	return tr.res, nil
}

// tracer is what the hops of one trace share.
type tracer struct {
	opts Options
	t0   time.Time
	mu   sync.Mutex // serialises add: hooks of a hop run on several goroutines
	res  *Result
}

// since is t as an offset from the start of the trace, never negative.
func (tr *tracer) since(t time.Time) time.Duration {
	if t.IsZero() || t.Before(tr.t0) {
		return 0
	}
	return t.Sub(tr.t0)
}

// add records a finished step and shows it.
func (tr *tracer) add(s Step) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.res.Steps = append(tr.res.Steps, s)
	if tr.opts.OnStep != nil {
		tr.opts.OnStep(s)
	}
}

// parseTraceURL checks that s is an http or https URL with a host, and drops
// the fragment, which browsers never send.
func parseTraceURL(s string) (*url.URL, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return nil, &URLError{URL: s, Reason: "empty; give an http:// or https:// URL"}
	}
	u, err := url.Parse(in)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &URLError{URL: s, Reason: err.Error()}
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch {
	case u.Scheme == "":
		return nil, &URLError{URL: s, Reason: "missing scheme; start it with http:// or https://"}
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, &URLError{URL: s, Reason: "unsupported scheme " + strconv.Quote(u.Scheme) + "; use http or https"}
	case u.Opaque != "" || u.Host == "" && !strings.HasPrefix(in[len(u.Scheme)+1:], "//"):
		return nil, &URLError{URL: s, Reason: "expected " + u.Scheme + "://HOST/..."}
	case u.Hostname() == "":
		return nil, &URLError{URL: s, Reason: "missing host"}
	}
	if p := u.Port(); p != "" {
		if _, err := hostport.ParsePort(p, false); err != nil {
			return nil, &URLError{URL: s, Reason: err.Error()}
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return nil, &URLError{URL: s, Reason: "empty port"}
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" && u.RawQuery == "" {
		u.Path = "/" // what is fetched, and what browsers show
	}
	return u, nil
}

// traceMethod allows the methods a page fetch uses, which send no body.
func traceMethod(m string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(m)) {
	case "", http.MethodGet:
		return http.MethodGet, nil
	case http.MethodHead:
		return http.MethodHead, nil
	}
	return "", &OptionError{Option: "method", Reason: strconv.Quote(m) + " is not supported; use GET or HEAD"}
}

// checkHeaders refuses what net/http would refuse only once the connection is
// open, so that a typo is an option error instead of a failed request step.
func checkHeaders(h http.Header) error {
	for name, values := range h {
		if name == "" {
			return &OptionError{Option: "header", Reason: "empty name"}
		}
		for i := 0; i < len(name); i++ {
			if !isTokenChar(name[i]) {
				return &OptionError{Option: "header", Reason: strconv.Quote(name) + ": invalid character " + strconv.Quote(name[i:i+1]) + " in the name"}
			}
		}
		for _, v := range values {
			if strings.ContainsAny(v, "\r\n\x00") {
				return &OptionError{Option: "header", Reason: strconv.Quote(name) + ": the value contains a line break or NUL"}
			}
		}
	}
	return nil
}

// isTokenChar reports whether c may appear in a header name (RFC 9110 token).
func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// redirectRequest is the method and headers of the next hop, as browsers (and
// net/http's Client) do it: 301, 302 and 303 turn into GET (HEAD stays HEAD),
// 307 and 308 keep the method; credentials are not sent to another host.
func redirectRequest(status int, method string, h http.Header, from, to *url.URL) (string, http.Header) {
	if status != http.StatusTemporaryRedirect && status != http.StatusPermanentRedirect && method != http.MethodHead {
		method = http.MethodGet
	}
	if !strings.EqualFold(from.Hostname(), to.Hostname()) {
		h = h.Clone()
		for _, k := range []string{"Authorization", "Www-Authenticate", "Cookie", "Cookie2", "Host"} {
			h.Del(k)
		}
	}
	return method, h
}
