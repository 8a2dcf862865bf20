package webtrace

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sockdesk/sockdesk/internal/tlsverify"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// The builders turn a hop's facts into steps. They run under the hop's lock,
// once per step, when the step is complete (or has failed).

func (h *hop) buildStep(k StepKind, failed bool) Step {
	s := Step{Kind: k, Hop: h.n, URL: h.url.String()}
	var start, end time.Time
	switch k {
	case StepDNS:
		start, end = h.dnsStart, h.dnsEnd
		h.dnsStep(&s, failed)
	case StepRoute:
		start, end = h.routeStart, h.routeEnd
		h.routeStep(&s, failed)
	case StepConnect:
		if n := len(h.attempts); n > 0 {
			start, end = h.attempts[0].start, h.attempts[n-1].end
		}
		h.connectStep(&s)
	case StepTLS:
		start, end = h.tlsStart, h.tlsEnd
		h.tlsStep(&s, failed)
	case StepRequest:
		start, end = h.requestStart(), h.requestEnd()
		if failed {
			end = h.failAt
		}
		h.requestStep(&s)
	case StepResponse:
		start, end = h.requestEnd(), h.bodyEnd
		if end.IsZero() {
			end = h.failAt
		}
		h.responseStep(&s, failed)
	case StepClose:
		start = h.bodyEnd
		if h.wire != nil {
			end = h.wire.facts().closedAt
		}
		// net/http may close the connection a moment before the body's
		// last Read has returned to the trace.
		if end.Before(start) {
			end = start
		}
		h.closeStep(&s, end)
	}
	if start.IsZero() {
		start = h.failAt
	}
	if end.IsZero() || end.Before(start) {
		end = start
	}
	s.Start = h.tr.since(start)
	s.Duration = h.tr.since(end) - s.Start
	return s
}

// requestStart is when the connection was ready for the request: the end of
// the dial. (httptrace's GotConn comes later, and can even come after the
// request was written, depending on which goroutine runs first.)
func (h *hop) requestStart() time.Time {
	switch {
	case !h.tlsEnd.IsZero():
		return h.tlsEnd
	case len(h.attempts) > 0:
		return h.attempts[len(h.attempts)-1].end
	}
	return time.Time{}
}

// requestEnd is when the request was on the wire; the response step starts
// there. If the response overtook the news that the write returned, the
// first byte of the response bounds it.
func (h *hop) requestEnd() time.Time {
	switch {
	case !h.wroteRequest.IsZero() && (h.firstByte.IsZero() || h.wroteRequest.Before(h.firstByte)):
		return h.wroteRequest
	case !h.firstByte.IsZero():
		return h.firstByte
	}
	return h.requestStart()
}

func (h *hop) dnsStep(s *Step, failed bool) {
	if h.literal {
		s.Skipped = true
		s.Summary = "skipped: " + h.host + " is an IP address"
		s.Details = []Detail{
			{"name", h.host},
			{"lookup", "skipped: " + h.host + " is an IP address, so there is nothing to look up"},
		}
		return
	}
	var v4, v6 []string
	for _, a := range h.addrs {
		if a.IP.To4() != nil {
			v4 = append(v4, a.String())
		} else {
			v6 = append(v6, a.String())
		}
	}
	s.Details = []Detail{
		{"name", h.host},
		{"A (IPv4)", listOrNone(v4)},
		{"AAAA (IPv6)", listOrNone(v6)},
		{"resolver", describeResolver(h.host, h.tr.opts.Resolver != nil)},
		{"lookup time", FormatDuration(h.dnsEnd.Sub(h.dnsStart))},
	}
	if failed {
		s.Summary = h.host + ": lookup failed"
		return
	}
	all := append(v4, v6...)
	if len(all) > 3 {
		all = append(all[:3:3], fmt.Sprintf("and %d more", len(all)-3))
	}
	s.Summary = h.host + " → " + strings.Join(all, ", ")
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}

func (h *hop) routeStep(s *Step, failed bool) {
	if failed {
		var d []string
		for _, a := range h.addrs {
			d = append(d, a.String())
		}
		s.Summary = "no route"
		s.Details = []Detail{{"destination", listOrNone(d)}}
		return
	}
	s.Summary, s.Details = routeDetails(h.route)
}

func (h *hop) connectStep(s *Step) {
	if n := len(h.attempts); n > 0 {
		last := h.attempts[n-1]
		if last.err == nil {
			s.Summary = last.local + " → " + last.addr
			s.Details = []Detail{
				{"local address", last.local},
				{"remote address", last.addr},
				{"handshake time", FormatDuration(last.end.Sub(last.start)) + " (one round trip)"},
			}
		} else {
			s.Summary = last.addr + ": " + last.err.Error()
			s.Details = []Detail{{"remote address", last.addr}}
		}
		if n > 1 || last.err != nil {
			for i, a := range h.attempts {
				s.Details = append(s.Details, Detail{fmt.Sprintf("attempt %d", i+1), attemptText(a)})
			}
		}
	}
}

func (h *hop) tlsStep(s *Step, failed bool) {
	var d []Detail
	if cs := h.tlsState; cs != nil {
		alpn := cs.NegotiatedProtocol
		if alpn == "" {
			alpn = "none (the server picked no protocol; HTTP/1.1 is assumed)"
		}
		d = append(d,
			Detail{"version", tls.VersionName(cs.Version)},
			Detail{"cipher suite", tls.CipherSuiteName(cs.CipherSuite)})
		if cs.CurveID != 0 {
			d = append(d, Detail{"key exchange", cs.CurveID.String()})
		}
		d = append(d, Detail{"ALPN", alpn})
		s.Summary = fmt.Sprintf("%s, %s, ALPN %s", tls.VersionName(cs.Version), tls.CipherSuiteName(cs.CipherSuite), cs.NegotiatedProtocol)
		if cs.NegotiatedProtocol == "" {
			s.Summary = fmt.Sprintf("%s, %s", tls.VersionName(cs.Version), tls.CipherSuiteName(cs.CipherSuite))
		}
	}
	sni := h.serverName
	if net.ParseIP(sni) != nil {
		sni = "not sent (the host is an IP address)"
	}
	d = append(d, Detail{"server name (SNI)", sni})
	if len(h.certs) > 0 {
		d = append(d, certDetails(h.certs[0])...)
		if n := len(h.certs); n > 1 {
			d = append(d, Detail{"chain", fmt.Sprintf("%d certificates", n)})
		}
	}
	switch {
	case h.verifyErr == nil && len(h.certs) > 0:
		d = append(d, Detail{"verified", "yes: it chains to a trusted authority and names " + h.serverName})
	case h.verifyErr != nil && !failed:
		problem := charset.DisplayText(tlsverify.CertProblem(tlsverify.UnwrapCVE(h.verifyErr)))
		d = append(d, Detail{"verified", "NO: " + problem + " (continued anyway: insecure option)"})
		s.Summary += ", certificate NOT verified"
	case h.verifyErr != nil:
		d = append(d, Detail{"verified", "no: " + charset.DisplayText(tlsverify.CertProblem(tlsverify.UnwrapCVE(h.verifyErr)))})
	}
	d = append(d, Detail{"handshake time", FormatDuration(h.tlsEnd.Sub(h.tlsStart))})
	if failed && s.Summary == "" {
		s.Summary = "handshake failed"
	}
	s.Details = d
}

// certDetails are what a person checks on a certificate; the names come from
// the server, so they are made safe to show.
func certDetails(c *x509.Certificate) []Detail {
	const layout = "2006-01-02 15:04:05 UTC"
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) > 10 {
		names = append(names[:10:10], fmt.Sprintf("and %d more", len(names)-10))
	}
	d := []Detail{
		{"certificate subject", charset.DisplayText(c.Subject.String())},
		{"certificate issuer", charset.DisplayText(c.Issuer.String())},
	}
	if len(names) > 0 {
		d = append(d, Detail{"certificate names", charset.DisplayText(strings.Join(names, ", "))})
	}
	return append(d,
		Detail{"valid from", c.NotBefore.UTC().Format(layout)},
		Detail{"valid until", c.NotAfter.UTC().Format(layout)})
}

func (h *hop) requestStep(s *Step) {
	var f wireFacts
	if h.wire != nil {
		f = h.wire.facts()
	}
	head := f.sentHead
	if head == nil {
		head = f.sentPart // not all of it went out: show what did
	}
	if len(head) == 0 {
		s.Summary = h.method + " " + h.url.RequestURI() + " HTTP/1.1 (not sent)"
		return
	}
	line, fields := parseHead(head)
	s.Summary = line
	s.Details = append([]Detail{{"request line", line}}, fields...)
	s.Details = append(s.Details, Detail{"sent", byteCount(f.nsent)})
}

func (h *hop) responseStep(s *Step, failed bool) {
	var f wireFacts
	if h.wire != nil {
		f = h.wire.facts()
	}
	sent := h.requestEnd()
	if !h.firstByte.IsZero() {
		s.Marks = append(s.Marks, Mark{"first byte", h.tr.since(h.firstByte)})
	}
	if !h.headersAt.IsZero() {
		s.Marks = append(s.Marks, Mark{"headers", h.tr.since(h.headersAt)})
	}
	resp := h.resp
	if resp == nil { // failed before the headers were complete
		if !h.firstByte.IsZero() {
			s.Details = append(s.Details, Detail{"time to first byte", FormatDuration(nonNeg(h.firstByte.Sub(sent)))})
		}
		s.Details = append(s.Details, Detail{"received", byteCount(f.nrecv)})
		s.Summary = "no response"
		return
	}
	s.Status = resp.StatusCode
	status := resp.Proto + " " + resp.Status
	var fields []Detail
	if f.recvHead != nil {
		status, fields = parseHead(f.recvHead)
	} else {
		fields = sortedHeader(resp.Header)
	}
	d := append([]Detail{{"status line", status}}, fields...)
	d = append(d, Detail{"time to first byte", FormatDuration(nonNeg(h.firstByte.Sub(sent)))})
	if h.method == http.MethodHead {
		d = append(d, Detail{"body", "none (HEAD asks for the headers only)"})
	} else {
		d = append(d,
			Detail{"body size", byteCount(h.bodySize)},
			Detail{"body transfer", FormatDuration(nonNeg(h.bodyEnd.Sub(h.headersAt)))})
	}
	d = append(d, Detail{"received", byteCount(f.nrecv) + " (headers and framing included)"})
	if h.method != http.MethodHead && h.bodySize > 0 {
		cs, how := h.bodyCharset(resp.Header.Get("Content-Type"))
		text := cs.NewDecoder().Decode(h.preview) // a character cut at the end of the preview is held back, not shown broken
		truncated := int64(len(h.preview)) < h.bodySize
		if !truncated {
			text = cs.DecodeAll(h.preview)
		}
		s.Body = &BodyPreview{Raw: h.preview, Text: text, Charset: cs, Size: h.bodySize, Truncated: truncated}
		d = append(d, Detail{"charset", cs.Name() + " (" + how + ")"})
		if len(h.preview) > 0 {
			label := "body preview"
			if truncated {
				label = fmt.Sprintf("body preview (first %d bytes)", len(h.preview))
			}
			d = append(d, Detail{label, charset.DisplayText(text)})
		}
	}
	s.Summary = resp.Status
	if h.method != http.MethodHead {
		s.Summary += ", " + byteCount(h.bodySize)
	}
	if h.location != nil {
		where := h.location.String()
		note := "not followed (the follow-redirects option traces it)"
		switch {
		case h.redirectLimit:
			note = fmt.Sprintf("not followed: %d redirects already", MaxRedirects)
		case h.location.Scheme != "http" && h.location.Scheme != "https":
			note = "not followed: not an http or https URL"
		case h.tr.opts.FollowRedirects:
			note = "followed: the next hop"
		}
		d = append(d, Detail{"redirect to", charset.DisplayText(where) + " — " + note})
		s.Summary = resp.Status + " → " + charset.DisplayText(where)
	}
	s.Details = d
}

// bodyCharset picks the preview's charset and says where it came from, as a
// browser does: the charset the user chose, else Content-Type's, else (for
// HTML) one the page declares in a <meta> tag near its start, else UTF-8.
func (h *hop) bodyCharset(contentType string) (*charset.Charset, string) {
	if h.tr.opts.Charset != nil {
		return h.tr.opts.Charset, "chosen"
	}
	mediaType, params, _ := mime.ParseMediaType(contentType)
	why := "Content-Type names no charset"
	if name := params["charset"]; name != "" {
		cs, err := charset.Lookup(name)
		if err == nil {
			return cs, "from Content-Type"
		}
		why = "Content-Type names " + quoteLabel(name) + ", which is not supported"
	}
	// Browsers look for a <meta> in HTML only; a response without a
	// Content-Type is sniffed, and may be HTML.
	if mediaType != "text/html" && strings.TrimSpace(contentType) != "" {
		return charset.UTF8, "the default: " + why
	}
	m := prescanMeta(h.bodyHead)
	switch {
	case m.charset != nil:
		return m.charset, "from the page's " + m.tag + "; " + why
	case m.unsupported != "":
		why += "; the page's <meta> names " + quoteLabel(m.unsupported) + ", which is not supported"
	default:
		why += ", nor does a <meta> in the page's first " + strconv.Itoa(prescanLen) + " bytes"
	}
	return charset.UTF8, "the default: " + why
}

// quoteLabel shows a charset name from the network, quoted and made safe.
func quoteLabel(name string) string { return charset.DisplayText(strconv.Quote(name)) }

// sortedHeader is the fallback when the head was not captured (it was larger
// than maxHead): net/http's map, in sorted order.
func sortedHeader(hd http.Header) []Detail {
	var d []Detail
	hd.WriteSubset(headerDetails{&d}, nil)
	return d
}

// headerDetails collects Header.WriteSubset's "Key: value\r\n" lines.
type headerDetails struct{ d *[]Detail }

func (w headerDetails) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\r\n"), "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			*w.d = append(*w.d, Detail{charset.DisplayText(k), charset.DisplayText(strings.TrimSpace(v))})
		}
	}
	return len(p), nil
}

func (h *hop) closeStep(s *Step, closedAt time.Time) {
	var f wireFacts
	if h.wire != nil {
		f = h.wire.facts()
	}
	by := "the client: it closes the connection once the response is read"
	s.Summary = "closed by the client"
	if f.serverFirst {
		by = "the server: it closed its side before the client did"
		s.Summary = "closed by the server"
	}
	d := []Detail{{"closed by", by}}
	var conn []string
	// From the heads as they went over the wire: net/http removes
	// "Connection: close" from the response's Header.
	for _, head := range []struct {
		who string
		b   []byte
	}{{"request", f.sentHead}, {"response", f.recvHead}} {
		if head.b == nil {
			continue
		}
		_, fields := parseHead(head.b)
		for _, fd := range fields {
			if strings.EqualFold(fd.Label, "Connection") {
				conn = append(conn, head.who+": "+fd.Value)
			}
		}
	}
	if len(conn) > 0 {
		d = append(d, Detail{"Connection header", strings.Join(conn, "; ")})
	}
	total := h.tr.since(closedAt)
	d = append(d,
		Detail{"bytes sent", byteCount(f.nsent)},
		Detail{"bytes received", byteCount(f.nrecv)},
		Detail{"total time", FormatDuration(total)})
	s.Summary += "; total " + FormatDuration(total)
	s.Details = d
	s.Conn = h.connFacts(f)
}

func nonNeg(d time.Duration) time.Duration { return max(d, 0) }
