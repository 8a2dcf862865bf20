package webtrace

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// Every trace here goes to loopback only: httptest servers and raw listeners on
// 127.0.0.1, and a fake DNS server on 127.0.0.1 for names. The one name left
// to the system resolver is under .invalid, which never exists (RFC 6761).

// runTrace traces o and checks what every trace must satisfy: the steps come
// in order, each starts after the one before it ended, none has a negative
// duration, they fit in the total, OnStep saw exactly the result's steps, and
// only the last one may have failed.
func runTrace(t *testing.T, o Options) *Result {
	t.Helper()
	var mu sync.Mutex
	var live []Step
	o.OnStep = func(s Step) {
		mu.Lock()
		live = append(live, s)
		mu.Unlock()
	}
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run(%q): %v", o.URL, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(live) != len(res.Steps) {
		t.Errorf("OnStep saw %d steps, the result has %d", len(live), len(res.Steps))
	}
	var sum time.Duration
	var prev *Step
	for i := range res.Steps {
		s := &res.Steps[i]
		if i < len(live) && (live[i].Kind != s.Kind || live[i].Hop != s.Hop) {
			t.Errorf("step %d: OnStep saw %v hop %d, the result has %v hop %d", i, live[i].Kind, live[i].Hop, s.Kind, s.Hop)
		}
		if s.Start < 0 || s.Duration < 0 {
			t.Errorf("%v: start %v, duration %v", s.Kind, s.Start, s.Duration)
		}
		if prev != nil {
			if s.Hop == prev.Hop && s.Kind <= prev.Kind || s.Hop < prev.Hop {
				t.Errorf("%v (hop %d) after %v (hop %d)", s.Kind, s.Hop, prev.Kind, prev.Hop)
			}
			if s.Start < prev.End() {
				t.Errorf("%v starts at %v, before %v ended at %v", s.Kind, s.Start, prev.Kind, prev.End())
			}
		}
		if s.Failed && i != len(res.Steps)-1 {
			t.Errorf("%v failed but is not the last step", s.Kind)
		}
		if s.Summary == "" && !s.Failed {
			t.Errorf("%v has no summary", s.Kind)
		}
		sum += s.Duration
		prev = s
	}
	if sum > res.Total {
		t.Errorf("the steps take %v, more than the total %v", sum, res.Total)
	}
	return res
}

// kinds lists the steps' kinds of one hop.
func traceKinds(res *Result, hop int) []StepKind {
	var k []StepKind
	for _, s := range res.Steps {
		if s.Hop == hop {
			k = append(k, s.Kind)
		}
	}
	return k
}

func wantTraceKinds(t *testing.T, res *Result, hop int, want ...StepKind) {
	t.Helper()
	if got := traceKinds(res, hop); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("hop %d steps: got %v, want %v\n%s", hop, got, want, traceDump(res))
	}
}

func stepOf(t *testing.T, res *Result, k StepKind) Step {
	t.Helper()
	for _, s := range res.Steps {
		if s.Kind == k {
			return s
		}
	}
	t.Fatalf("no %v step:\n%s", k, traceDump(res))
	return Step{}
}

// dump shows a trace for a failure message.
func traceDump(res *Result) string {
	var b strings.Builder
	for _, s := range res.Steps {
		fmt.Fprintf(&b, "  [%d] %-8v %v+%v %s %s\n", s.Hop, s.Kind, s.Start, s.Duration, s.Summary, s.ErrorText())
		for _, d := range s.Details {
			fmt.Fprintf(&b, "        %s: %s\n", d.Label, d.Value)
		}
	}
	return b.String()
}

func failedStep(t *testing.T, res *Result) Step {
	t.Helper()
	s, ok := res.Failure()
	if !ok {
		t.Fatalf("the trace should have failed:\n%s", traceDump(res))
	}
	return s
}

func newTraceServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestTraceHTTP(t *testing.T) {
	srv := newTraceServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Echo", r.Header.Get("X-Test"))
		io.WriteString(w, "hello\nworld")
	})
	res := runTrace(t, Options{
		URL:     srv.URL + "/path?q=1#frag",
		Headers: http.Header{"X-Test": {"yes"}},
		Timeout: 5 * time.Second,
	})
	wantTraceKinds(t, res, 0, StepDNS, StepRoute, StepConnect, StepRequest, StepResponse, StepClose)
	if _, failed := res.Failure(); failed || res.Hops != 1 || res.Redirect != "" {
		t.Fatalf("failed %v, hops %d, redirect %q:\n%s", failed, res.Hops, res.Redirect, traceDump(res))
	}

	dns := stepOf(t, res, StepDNS)
	if !dns.Skipped || !strings.Contains(dns.Summary, "127.0.0.1 is an IP address") {
		t.Errorf("DNS for an address should be skipped and say so: %+v", dns)
	}
	route := stepOf(t, res, StepRoute)
	if !strings.Contains(route.Summary, "no gateway") || route.Detail("source address") != "127.0.0.1" || route.Detail("interface") != loopbackName() {
		t.Errorf("route to loopback: %s\n%s", route.Summary, traceDump(res))
	}
	conn := stepOf(t, res, StepConnect)
	host := strings.TrimPrefix(srv.URL, "http://")
	if conn.Detail("remote address") != host || !strings.HasPrefix(conn.Detail("local address"), "127.0.0.1:") ||
		!strings.HasSuffix(conn.Summary, " → "+host) {
		t.Errorf("connect: %s\n%s", conn.Summary, traceDump(res))
	}
	req := stepOf(t, res, StepRequest)
	if req.Detail("request line") != "GET /path?q=1 HTTP/1.1" || req.Detail("Host") != host ||
		req.Detail("X-Test") != "yes" || req.Detail("Connection") != "close" {
		t.Errorf("request as sent:\n%s", traceDump(res))
	}
	if req.Details[1].Label != "Host" {
		t.Errorf("Host should be the first header as written, got %q", req.Details[1].Label)
	}
	resp := stepOf(t, res, StepResponse)
	if resp.Detail("status line") != "HTTP/1.1 200 OK" || resp.Detail("X-Echo") != "yes" ||
		resp.Detail("body size") != "11 bytes" || resp.Detail("body preview") != `hello\nworld` {
		t.Errorf("response:\n%s", traceDump(res))
	}
	if resp.Body == nil || resp.Body.Text != "hello\nworld" || resp.Body.Size != 11 || resp.Body.Truncated || resp.Body.Charset != charset.UTF8 {
		t.Errorf("body preview: %+v", resp.Body)
	}
	for _, st := range res.Steps {
		if want := map[bool]int{true: http.StatusOK}[st.Kind == StepResponse]; st.Status != want {
			t.Errorf("%v: status %d, want %d", st.Kind, st.Status, want)
		}
	}
	if len(resp.Marks) != 2 || resp.Marks[0].At < resp.Start || resp.Marks[1].At > resp.End() {
		t.Errorf("marks %v should be inside the response step %v..%v", resp.Marks, resp.Start, resp.End())
	}
	cl := stepOf(t, res, StepClose)
	if cl.Detail("total time") == "" || !strings.HasPrefix(cl.Detail("closed by"), "the ") {
		t.Errorf("close:\n%s", traceDump(res))
	}
	if res.Total != cl.End() {
		t.Errorf("total %v, close ends at %v", res.Total, cl.End())
	}
}

func TestTraceHEAD(t *testing.T) {
	srv := newTraceServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
	})
	res := runTrace(t, Options{URL: srv.URL, Method: "head"})
	wantTraceKinds(t, res, 0, StepDNS, StepRoute, StepConnect, StepRequest, StepResponse, StepClose)
	if got := stepOf(t, res, StepRequest).Detail("request line"); got != "HEAD / HTTP/1.1" {
		t.Errorf("request line %q", got)
	}
	if resp := stepOf(t, res, StepResponse); resp.Body != nil || !strings.HasPrefix(resp.Detail("body"), "none") {
		t.Errorf("HEAD has no body:\n%s", traceDump(res))
	}
}

func TestTraceRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res := runTrace(t, Options{URL: "http://" + addr + "/"})
	wantTraceKinds(t, res, 0, StepDNS, StepRoute, StepConnect)
	s := failedStep(t, res)
	if s.Kind != StepConnect || s.ErrorText() != "TCP connect: connection refused" || !errors.Is(s.Err, syscall.ECONNREFUSED) {
		t.Errorf("got %q (%v)", s.ErrorText(), s.Err)
	}
	if s.Detail("attempt 1") == "" {
		t.Errorf("the failed attempt should be listed:\n%s", traceDump(res))
	}
}

// rawHTTPServer runs a loopback server that hands each connection to serve,
// and returns its URL.
func rawHTTPServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	return "http://" + loopbacktest.Serve(t, func(c *net.TCPConn) { serve(c) }) + "/"
}

// readRequestHead reads a request head.
func readRequestHead(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" {
			return
		}
	}
}

func TestTraceServerClosesWithoutResponse(t *testing.T) {
	u := rawHTTPServer(t, readRequestHead)
	res := runTrace(t, Options{URL: u})
	wantTraceKinds(t, res, 0, StepDNS, StepRoute, StepConnect, StepRequest, StepResponse)
	s := failedStep(t, res)
	if s.ErrorText() != "Response: the server closed the connection without sending a response" {
		t.Errorf("got %q (%v)", s.ErrorText(), s.Err)
	}
	if s.Status != 0 {
		t.Errorf("a response that never came has status %d", s.Status)
	}
}

func TestTraceBodyCutShort(t *testing.T) {
	u := rawHTTPServer(t, func(c net.Conn) {
		readRequestHead(c)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
	})
	res := runTrace(t, Options{URL: u})
	s := failedStep(t, res)
	if s.Kind != StepResponse || s.ErrorText() != "Response: the connection closed after 10 of 100 bytes of the body" {
		t.Errorf("got %q (%v)", s.ErrorText(), s.Err)
	}
	if s.Detail("status line") != "HTTP/1.1 200 OK" || s.Body == nil || s.Body.Text != "0123456789" {
		t.Errorf("what did arrive should be shown:\n%s", traceDump(res))
	}
}

// Who closed: a body that ends at the server's close is the server's doing; a
// server that waits after a Content-Length body leaves it to the client.
func TestTraceWhoCloses(t *testing.T) {
	serverCloses := rawHTTPServer(t, func(c net.Conn) {
		readRequestHead(c)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")
	})
	res := runTrace(t, Options{URL: serverCloses})
	cl := stepOf(t, res, StepClose)
	if cl.Summary[:len("closed by the server")] != "closed by the server" || cl.Detail("Connection header") != "request: close; response: close" {
		t.Errorf("server close:\n%s", traceDump(res))
	}
	if b := stepOf(t, res, StepResponse).Body; b == nil || b.Text != "until the end" {
		t.Errorf("body: %+v", b)
	}

	clientCloses := rawHTTPServer(t, func(c net.Conn) {
		readRequestHead(c)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		io.Copy(io.Discard, c) // until the client closes
	})
	res = runTrace(t, Options{URL: clientCloses})
	if cl := stepOf(t, res, StepClose); !strings.HasPrefix(cl.Summary, "closed by the client") {
		t.Errorf("client close:\n%s", traceDump(res))
	}
}

// A slow server, a trace timeout and the parent context cancelled: the
// response step fails saying what it was waiting for.
func TestTraceTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := newTraceServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	start := time.Now()
	res := runTrace(t, Options{URL: srv.URL, Timeout: 300 * time.Millisecond})
	if took := time.Since(start); took < 300*time.Millisecond || took > 5*time.Second {
		t.Errorf("took %v with a 300ms timeout", took)
	}
	s := failedStep(t, res)
	if s.ErrorText() != "Response: timeout after 300ms waiting for the first byte" || !errors.Is(s.Err, context.DeadlineExceeded) {
		t.Errorf("got %q (%v)", s.ErrorText(), s.Err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	res, err := Run(ctx, Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if s := failedStep(t, res); s.ErrorText() != "Response: cancelled while waiting for the first byte" || !errors.Is(s.Err, context.Canceled) {
		t.Errorf("got %q (%v)", s.ErrorText(), s.Err)
	}
}

func TestTraceUnresolvableName(t *testing.T) {
	res := runTrace(t, Options{URL: "http://nosuchhost.invalid/", Timeout: 5 * time.Second})
	wantTraceKinds(t, res, 0, StepDNS)
	s := failedStep(t, res)
	// Without a network the resolver may fail otherwise than "no such host";
	// whatever the reason, the step must name the host.
	if s.Kind != StepDNS || !strings.HasPrefix(s.ErrorText(), "DNS: ") || !strings.Contains(s.ErrorText(), "nosuchhost.invalid") {
		t.Errorf("got %q", s.ErrorText())
	}
	if s.Detail("name") != "nosuchhost.invalid" || s.Detail("resolver") == "" {
		t.Errorf("details:\n%s", traceDump(res))
	}
}

func TestTraceBadOptions(t *testing.T) {
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{URL: "htp:/x"}, `URL "htp:/x": unsupported scheme "htp"; use http or https`},
		{Options{URL: "example.com"}, `URL "example.com": missing scheme; start it with http:// or https://`},
		{Options{URL: ""}, `URL "": empty; give an http:// or https:// URL`},
		{Options{URL: "http:/x"}, `URL "http:/x": expected http://HOST/...`},
		{Options{URL: "http://"}, `URL "http://": missing host`},
		{Options{URL: "http://:80/"}, `URL "http://:80/": missing host`},
		{Options{URL: "http://h:0/"}, `URL "http://h:0/": port 0 is out of range 1-65535`},
		{Options{URL: "http://h:99999/"}, `URL "http://h:99999/": port 99999 is out of range 1-65535`},
		{Options{URL: "http://h:x/"}, `URL "http://h:x/": invalid port ":x" after host`},
		{Options{URL: "http://a b/"}, `URL "http://a b/": invalid character " " in host name`},
		{Options{URL: "http://h/", Method: "POST"}, `method: "POST" is not supported; use GET or HEAD`},
		{Options{URL: "http://h/", Headers: http.Header{"Bad Name": {"x"}}}, `header: "Bad Name": invalid character " " in the name`},
		{Options{URL: "http://h/", Headers: http.Header{"X": {"a\r\nb"}}}, `header: "X": the value contains a line break or NUL`},
		{Options{URL: "http://h/", Timeout: -time.Second}, `timeout: -1s is negative`},
	} {
		res, err := Run(context.Background(), tc.o)
		if err == nil || err.Error() != tc.want || res != nil {
			t.Errorf("%+v:\ngot  %v\nwant %s", tc.o, err, tc.want)
		}
		var ue *URLError
		if strings.HasPrefix(tc.want, "URL") && (!errors.As(err, &ue) || ue.URL != tc.o.URL) {
			t.Errorf("%q: want a *URLError naming the URL, got %#v", tc.o.URL, err)
		}
	}
}

func TestTraceTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secret")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)

	// Self-signed: refused, and said so in words.
	res := runTrace(t, Options{URL: srv.URL})
	wantTraceKinds(t, res, 0, StepDNS, StepRoute, StepConnect, StepTLS)
	s := failedStep(t, res)
	if s.ErrorText() != "TLS: certificate signed by unknown authority" {
		t.Errorf("got %q (%v)", s.ErrorText(), s.Err)
	}
	var ua x509.UnknownAuthorityError
	if !errors.As(s.Err, &ua) {
		t.Errorf("the x509 error should stay matchable: %#v", s.Err)
	}
	if !strings.Contains(s.Detail("certificate issuer"), "Acme Co") || s.Detail("valid until") == "" {
		t.Errorf("the certificate should be described even when refused:\n%s", traceDump(res))
	}

	// Insecure: on to the end, with the verdict kept.
	res = runTrace(t, Options{URL: srv.URL, Insecure: true})
	wantTraceKinds(t, res, 0, StepDNS, StepRoute, StepConnect, StepTLS, StepRequest, StepResponse, StepClose)
	tl := stepOf(t, res, StepTLS)
	if !strings.HasPrefix(tl.Detail("verified"), "NO: certificate signed by unknown authority") || !strings.Contains(tl.Summary, "NOT verified") {
		t.Errorf("insecure:\n%s", traceDump(res))
	}
	if b := stepOf(t, res, StepResponse).Body; b == nil || b.Text != "secret" {
		t.Errorf("body over TLS: %+v", b)
	}

	// Trusted: verified, with version, cipher suite and ALPN.
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	res = runTrace(t, Options{URL: srv.URL, RootCAs: pool})
	tl = stepOf(t, res, StepTLS)
	if !strings.HasPrefix(tl.Detail("verified"), "yes") || !strings.HasPrefix(tl.Detail("version"), "TLS 1.") ||
		tl.Detail("cipher suite") == "" || tl.Detail("ALPN") != "http/1.1" || tl.Detail("server name (SNI)") != "not sent (the host is an IP address)" {
		t.Errorf("trusted:\n%s", traceDump(res))
	}
	if req := stepOf(t, res, StepRequest); req.Detail("request line") != "GET / HTTP/1.1" {
		t.Errorf("the request over TLS should be captured in the clear:\n%s", traceDump(res))
	}

	// https to a server that speaks plain HTTP.
	plain := newTraceServer(t, func(w http.ResponseWriter, r *http.Request) {})
	plain.Config.ErrorLog = log.New(io.Discard, "", 0)
	res = runTrace(t, Options{URL: strings.Replace(plain.URL, "http:", "https:", 1)})
	if s := failedStep(t, res); s.ErrorText() != "TLS: first record does not look like a TLS handshake (the other side does not speak TLS)" {
		t.Errorf("got %q", s.ErrorText())
	}
}

func TestTraceCharsets(t *testing.T) {
	gbk, err := charset.Lookup("gbk")
	if err != nil {
		t.Fatal(err)
	}
	text := "你好，世界"
	body, err := gbk.Encode(text)
	if err != nil {
		t.Fatal(err)
	}
	ctype := "text/html; charset=GBK"
	srv := newTraceServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Write(body)
	})
	resp := stepOf(t, runTrace(t, Options{URL: srv.URL}), StepResponse)
	if resp.Body == nil || resp.Body.Text != text || resp.Body.Charset != gbk || resp.Detail("charset") != "GBK (from Content-Type)" ||
		resp.Detail("body preview") != text {
		t.Errorf("GBK from Content-Type: %+v\n%v", resp.Body, resp.Details)
	}

	// Chosen charset wins over Content-Type.
	latin1, _ := charset.Lookup("latin1")
	resp = stepOf(t, runTrace(t, Options{URL: srv.URL, Charset: latin1}), StepResponse)
	if resp.Body.Charset != latin1 || resp.Detail("charset") != "ISO-8859-1 (chosen)" {
		t.Errorf("chosen: %v", resp.Details)
	}

	ctype = "text/plain; charset=klingon"
	resp = stepOf(t, runTrace(t, Options{URL: srv.URL}), StepResponse)
	if resp.Body.Charset != charset.UTF8 || !strings.Contains(resp.Detail("charset"), `"klingon", which is not supported`) {
		t.Errorf("unknown charset: %v", resp.Details)
	}

	// A preview that ends inside a character holds it back instead of
	// showing it broken; the size still counts every byte.
	ctype = "text/plain; charset=gbk"
	resp = stepOf(t, runTrace(t, Options{URL: srv.URL, BodyPreview: 5}), StepResponse)
	if b := resp.Body; b.Text != "你好" || !b.Truncated || b.Size != int64(len(body)) || len(b.Raw) != 5 ||
		resp.Detail("body preview (first 5 bytes)") != "你好" {
		t.Errorf("truncated preview: %+v %v", b, resp.Details)
	}
}

// TestTraceMetaCharset serves GBK pages whose Content-Type names no charset:
// the page's own <meta> says what it is, as a browser reads it.
func TestTraceMetaCharset(t *testing.T) {
	gbk := charset.MustLookup("gbk")
	page := func(head string) []byte {
		b, err := gbk.Encode("<!DOCTYPE html>\n<html><head>" + head + "<title>设备状态</title></head>\n<body><p>温度 23.5℃，一切正常</p></body></html>\n")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var ctype string
	var body []byte
	srv := newTraceServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype) // set, or net/http would sniff "text/html; charset=utf-8"
		w.Write(body)
	})
	for _, tc := range []struct {
		name, ctype, head string
		preview           int
		want              *charset.Charset
		how               string
	}{
		{"meta charset", "text/html", `<meta charset="gbk">`, 0, gbk,
			"GBK (from the page's <meta charset>; Content-Type names no charset)"},
		{"http-equiv", "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`, 0, gbk,
			`GBK (from the page's <meta http-equiv="Content-Type">; Content-Type names no charset)`},
		{"Content-Type unsupported", "text/html; charset=klingon", `<meta charset="gbk">`, 0, gbk,
			`GBK (from the page's <meta charset>; Content-Type names "klingon", which is not supported)`},
		{"a preview shorter than the meta's place", "text/html", `<meta charset="gbk">`, 20, gbk,
			"GBK (from the page's <meta charset>; Content-Type names no charset)"},
		{"Content-Type wins", "text/html; charset=big5", `<meta charset="gbk">`, 0, charset.MustLookup("big5"),
			"Big5 (from Content-Type)"},
		{"not HTML", "text/plain", `<meta charset="gbk">`, 0, charset.UTF8,
			"UTF-8 (the default: Content-Type names no charset)"},
		{"no meta", "text/html", ``, 0, charset.UTF8,
			"UTF-8 (the default: Content-Type names no charset, nor does a <meta> in the page's first 1024 bytes)"},
		{"unknown meta", "text/html", `<meta charset="klingon">`, 0, charset.UTF8,
			`UTF-8 (the default: Content-Type names no charset; the page's <meta> names "klingon", which is not supported)`},
		{"meta past 1024 bytes", "text/html", "<!--" + strings.Repeat("-", 1024) + `--><meta charset="gbk">`, 0, charset.UTF8,
			"UTF-8 (the default: Content-Type names no charset, nor does a <meta> in the page's first 1024 bytes)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctype, body = tc.ctype, page(tc.head)
			resp := stepOf(t, runTrace(t, Options{URL: srv.URL, BodyPreview: tc.preview}), StepResponse)
			b := resp.Body
			if b == nil {
				t.Fatalf("no body preview:\n%s", traceDump(&Result{Steps: []Step{resp}}))
			}
			if b.Charset != tc.want || resp.Detail("charset") != tc.how {
				t.Fatalf("charset %v, detail %q; want %v, %q", b.Charset, resp.Detail("charset"), tc.want, tc.how)
			}
			if tc.want == gbk && tc.preview == 0 && (!strings.Contains(b.Text, "<title>设备状态</title>") || !strings.Contains(b.Text, "温度 23.5℃，一切正常")) {
				t.Errorf("decoded preview %q", b.Text)
			}
			if tc.preview > 0 && len(b.Raw) != tc.preview {
				t.Errorf("the preview kept %d bytes, want %d", len(b.Raw), tc.preview)
			}
		})
	}
}

func TestTraceRedirects(t *testing.T) {
	srv := newTraceServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/new", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusMovedPermanently)
		default:
			io.WriteString(w, "new")
		}
	})

	res := runTrace(t, Options{URL: srv.URL + "/old"})
	wantTraceKinds(t, res, 0, StepDNS, StepRoute, StepConnect, StepRequest, StepResponse, StepClose)
	if res.Redirect != srv.URL+"/new" || res.Hops != 1 {
		t.Errorf("redirect %q, hops %d", res.Redirect, res.Hops)
	}
	if resp := stepOf(t, res, StepResponse); !strings.HasPrefix(resp.Summary, "302 Found → "+srv.URL+"/new") ||
		!strings.Contains(resp.Detail("redirect to"), "not followed") || resp.Status != http.StatusFound {
		t.Errorf("the redirect should be shown:\n%s", traceDump(res))
	}

	res = runTrace(t, Options{URL: srv.URL + "/old", FollowRedirects: true})
	wantTraceKinds(t, res, 1, StepDNS, StepRoute, StepConnect, StepRequest, StepResponse, StepClose)
	last := res.Steps[len(res.Steps)-1]
	if res.Hops != 2 || res.Redirect != "" || last.URL != srv.URL+"/new" || last.Hop != 1 {
		t.Errorf("followed:\n%s", traceDump(res))
	}

	res = runTrace(t, Options{URL: srv.URL + "/loop", FollowRedirects: true})
	s := failedStep(t, res)
	if res.Hops != MaxRedirects+1 || s.Hop != MaxRedirects || s.ErrorText() != "Response: stopped after 10 redirects" || res.Redirect != srv.URL+"/loop" {
		t.Errorf("hops %d, %q, redirect %q", res.Hops, s.ErrorText(), res.Redirect)
	}
}

// localhost is looked up, not skipped, and (where the hosts file has it) the
// step says no DNS query went out.
func TestTraceLocalhost(t *testing.T) {
	srv := newTraceServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	res := runTrace(t, Options{URL: "http://localhost:" + port + "/"})
	if s, failed := res.Failure(); failed {
		t.Fatalf("%s\n%s", s.ErrorText(), traceDump(res))
	}
	dns := stepOf(t, res, StepDNS)
	if dns.Skipped || !strings.Contains(dns.Detail("A (IPv4)")+dns.Detail("AAAA (IPv6)"), "127.0.0.1") {
		t.Errorf("dns:\n%s", traceDump(res))
	}
	if inHostsFile("localhost") && !strings.HasPrefix(dns.Detail("resolver"), "the hosts file") {
		t.Errorf("resolver %q", dns.Detail("resolver"))
	}
}

// A name with two addresses, the first refusing: both attempts are shown. The
// names come from a fake DNS server on loopback.
func TestTraceNextAddress(t *testing.T) {
	srv := newTraceServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	r := fakeDNS(t, "multi.test", net.ParseIP("127.0.0.2"), net.ParseIP("127.0.0.1"))
	res := runTrace(t, Options{URL: "http://multi.test:" + port + "/", Resolver: r})
	wantTraceKinds(t, res, 0, StepDNS, StepRoute, StepConnect, StepRequest, StepResponse, StepClose)
	dns := stepOf(t, res, StepDNS)
	if dns.Detail("A (IPv4)") != "127.0.0.2, 127.0.0.1" || dns.Detail("AAAA (IPv6)") != "none" ||
		dns.Detail("resolver") != "the resolver given to the trace" || dns.Summary != "multi.test → 127.0.0.2, 127.0.0.1" {
		t.Errorf("dns:\n%s", traceDump(res))
	}
	c := stepOf(t, res, StepConnect)
	if !strings.HasPrefix(c.Detail("attempt 1"), "127.0.0.2:"+port+": connection refused after ") ||
		!strings.HasPrefix(c.Detail("attempt 2"), "127.0.0.1:"+port+": connected in ") ||
		c.Detail("remote address") != "127.0.0.1:"+port {
		t.Errorf("connect:\n%s", traceDump(res))
	}
	if req := stepOf(t, res, StepRequest); req.Detail("Host") != "multi.test:"+port {
		t.Errorf("Host: %q", req.Detail("Host"))
	}

	// No addresses accept: both attempts, and the step says how many.
	srv.Close()
	res = runTrace(t, Options{URL: "http://multi.test:" + port + "/", Resolver: r})
	if s := failedStep(t, res); s.ErrorText() != "TCP connect: connection refused (tried 2 addresses)" || !errors.Is(s.Err, syscall.ECONNREFUSED) {
		t.Errorf("got %q (%v)", s.ErrorText(), s.Err)
	}
}

// fakeDNS answers A and AAAA questions for name with addrs, from a UDP socket
// on loopback, and returns a resolver that asks it.
func fakeDNS(t *testing.T, name string, addrs ...net.IP) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if resp := dnsAnswer(buf[:n], name, addrs); resp != nil {
				pc.WriteTo(resp, from)
			}
		}
	}()
	t.Cleanup(func() { pc.Close(); <-done })
	server := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", server)
	}}
}

// dnsAnswer builds the reply to a DNS query (RFC 1035 section 4): the header
// and question echoed, then one record per matching address; NXDOMAIN for
// other names.
func dnsAnswer(q []byte, name string, addrs []net.IP) []byte {
	if len(q) < 12 {
		return nil
	}
	i := 12
	var labels []string
	for i < len(q) && q[i] != 0 {
		l := int(q[i])
		if i+1+l > len(q) {
			return nil
		}
		labels = append(labels, string(q[i+1:i+1+l]))
		i += 1 + l
	}
	i++ // the root label
	if i+4 > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[i:])
	resp := append([]byte(nil), q[:i+4]...)
	resp[2] = 0x84 | q[2]&0x01 // response, authoritative, recursion desired as asked
	resp[3] = 0x80             // recursion available, no error
	var rdata [][]byte
	if strings.EqualFold(strings.Join(labels, "."), name) {
		for _, ip := range addrs {
			switch ip4 := ip.To4(); {
			case ip4 != nil && qtype == 1: // A
				rdata = append(rdata, ip4)
			case ip4 == nil && qtype == 28: // AAAA
				rdata = append(rdata, ip.To16())
			}
		}
	} else {
		resp[3] |= 3 // NXDOMAIN
	}
	binary.BigEndian.PutUint16(resp[4:], 1)
	binary.BigEndian.PutUint16(resp[6:], uint16(len(rdata)))
	binary.BigEndian.PutUint16(resp[8:], 0)
	binary.BigEndian.PutUint16(resp[10:], 0)
	for _, rd := range rdata {
		resp = append(resp, 0xC0, 12) // the name: a pointer to the question's
		resp = binary.BigEndian.AppendUint16(resp, qtype)
		resp = binary.BigEndian.AppendUint16(resp, 1) // class IN
		resp = binary.BigEndian.AppendUint32(resp, 60)
		resp = binary.BigEndian.AppendUint16(resp, uint16(len(rd)))
		resp = append(resp, rd...)
	}
	return resp
}

func TestHeadCapture(t *testing.T) {
	var h headCapture
	in := "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nB: 2\r\nA: 1\r\n\r\nbody"
	for i := 0; i < len(in); i += 3 { // split anywhere, including inside "\r\n\r\n"
		h.add([]byte(in[i:min(i+3, len(in))]))
	}
	first, fields := parseHead(h.head())
	if first != "HTTP/1.1 200 OK" || fmt.Sprint(fields) != "[{B 2} {A 1}]" {
		t.Errorf("got %q %v", first, fields)
	}
	var big headCapture
	big.add([]byte("GET / HTTP/1.1\r\nX: " + strings.Repeat("x", maxHead)))
	if big.head() != nil || len(big.buf) > maxHead {
		t.Errorf("an oversized head should be given up on, kept %d bytes", len(big.buf))
	}
}

func TestStepKindText(t *testing.T) {
	var names []string
	for k := StepDNS; k <= StepClose; k++ {
		if k.Explain() == "" || !strings.HasSuffix(k.Explain(), ".") || k.Title() == "" {
			t.Errorf("%v: title %q, explanation %q", k, k.Title(), k.Explain())
		}
		names = append(names, k.String())
	}
	if got := strings.Join(names, ","); got != "dns,route,connect,tls,request,response,close" {
		t.Errorf("names %s", got)
	}
	if (Step{Kind: StepDNS}).ErrorText() != "" {
		t.Error("a step that did not fail has no error text")
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{420 * time.Microsecond, "0.42 ms"}, {12345 * time.Microsecond, "12.3 ms"}, {1250 * time.Millisecond, "1.25 s"}} {
		if got := FormatDuration(tc.d); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestRedirectRequest(t *testing.T) {
	from := mustURL(t, "http://a.example/x")
	h := http.Header{"Authorization": {"secret"}, "X-Keep": {"1"}}
	for _, tc := range []struct {
		status       int
		method, want string
	}{
		{301, "GET", "GET"}, {302, "HEAD", "HEAD"}, {303, "GET", "GET"}, {307, "HEAD", "HEAD"}, {308, "GET", "GET"},
	} {
		if m, _ := redirectRequest(tc.status, tc.method, h, from, from); m != tc.want {
			t.Errorf("%d %s: got %s", tc.status, tc.method, m)
		}
	}
	if _, same := redirectRequest(302, "GET", h, from, mustURL(t, "http://a.example/y")); same.Get("Authorization") != "secret" {
		t.Error("credentials go to the same host")
	}
	if _, other := redirectRequest(302, "GET", h, from, mustURL(t, "http://b.example/")); other.Get("Authorization") != "" || other.Get("X-Keep") != "1" {
		t.Errorf("credentials must not go to another host: %v", other)
	}
	if h.Get("Authorization") != "secret" {
		t.Error("the caller's header must not change")
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := parseTraceURL(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
