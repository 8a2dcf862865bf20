package cli

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// runTrace is `trace`: fetch a URL as a browser does and print each step the
// moment it completes, so a slow server shows where it is slow.
func runTrace(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("trace")
	method := fs.String("method", "GET", "GET or HEAD")
	var headers listFlag
	fs.Var(&headers, "header", `an extra request header "NAME: VALUE" (repeatable)`)
	timeoutS := fs.String("timeout", "", "give up after this long (default 10s)")
	insecure := fs.Bool("insecure", false, "continue past a certificate that does not verify")
	follow := fs.Bool("follow", false, "trace each redirect too")
	charset := fs.String("charset", "", "charset of the body (default: from Content-Type, or for HTML from the page's <meta>)")
	asJSON := fs.Bool("json", false, "one JSON object per step per line")
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usageErr("URL: missing; give the http:// or https:// URL to fetch")
	case len(pos) > 1:
		return usageErr("unexpected argument %q (one URL per trace)", pos[1])
	}
	o := webtrace.Options{URL: pos[0], Method: *method, Insecure: *insecure, FollowRedirects: *follow}
	if o.Timeout, err = parseDuration("timeout", *timeoutS); err != nil {
		return err
	}
	if *timeoutS == "" {
		o.Timeout = webtrace.DefaultTimeout
	} else if o.Timeout == 0 {
		return usageErr("--timeout: must be more than 0")
	}
	if strings.TrimSpace(*charset) != "" {
		if o.Charset, err = parseCharset(*charset); err != nil {
			return err
		}
	}
	if o.Headers, err = parseHeaders(headers); err != nil {
		return err
	}

	p := &tracePrinter{w: bufio.NewWriter(e.stdout), json: *asJSON}
	o.OnStep = p.step
	res, err := webtrace.Run(ctx, o)
	if err != nil {
		var ue *webtrace.URLError
		var oe *webtrace.OptionError
		switch {
		case errors.As(err, &ue):
			return usageErr("%s", ue)
		case errors.As(err, &oe):
			return usageErr("--%s: %s", oe.Option, oe.Reason)
		}
		return failure("%s", errText(err))
	}
	p.end(res)
	if err := p.err(); err != nil {
		return failure("writing output: %s", err)
	}
	if s, failed := res.Failure(); failed {
		if ctx.Err() != nil {
			return nil // Ctrl-C: a normal end, as for every command
		}
		return failure("%s", s.ErrorText())
	}
	return nil
}

// parseHeaders reads --header "NAME: VALUE" flags. Names are checked by the
// engine, which knows what HTTP allows.
func parseHeaders(list []string) (http.Header, error) {
	h := http.Header{}
	for _, s := range list {
		name, value, ok := strings.Cut(s, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, usageErr("--header: %q is not NAME: VALUE", s)
		}
		h.Add(name, strings.TrimSpace(value))
	}
	return h, nil
}

// tracePrinter writes steps as they come. netio calls step one at a time, but
// from its own goroutines, hence the lock for end.
type tracePrinter struct {
	mu      sync.Mutex
	w       *bufio.Writer
	json    bool
	lastHop int
	werr    error
}

func (p *tracePrinter) step(s webtrace.Step) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.json {
		enc := json.NewEncoder(p.w)
		enc.SetEscapeHTML(false) // bodies are often HTML; keep them readable
		if err := enc.Encode(stepJSON(s)); err != nil {
			fmt.Fprintf(p.w, "{\"step\":%q,\"error\":%q}\n", s.Kind, err.Error())
		}
	} else {
		if s.Hop != p.lastHop {
			fmt.Fprintf(p.w, "redirect %d: %s\n", s.Hop, charset.DisplayText(s.URL))
			p.lastHop = s.Hop
		}
		writeStep(p.w, s)
	}
	p.flush()
}

// end prints what follows the steps: the total, and a redirect not followed.
func (p *tracePrinter) end(res *webtrace.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.json {
		return // one object per step, nothing else
	}
	if res.Redirect != "" {
		fmt.Fprintf(p.w, "redirect to %s not followed (--follow traces it)\n", charset.DisplayText(res.Redirect))
	}
	var cve *tls.CertificateVerificationError
	if s, failed := res.Failure(); failed && errors.As(s.Err, &cve) {
		fmt.Fprintln(p.w, "the certificate did not verify; --insecure continues anyway (and still says so)")
	}
	fmt.Fprintf(p.w, "total %s\n", webtrace.FormatDuration(res.Total))
	p.flush()
}

func (p *tracePrinter) flush() {
	if err := p.w.Flush(); err != nil && p.werr == nil {
		p.werr = err
	}
}

func (p *tracePrinter) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.werr
}

// writeStep prints one step for people:
//
//	[   0.41 ms +   0.18 ms] connect   127.0.0.1:54321 → 127.0.0.1:8080
//	                         local address   127.0.0.1:54321
func writeStep(w io.Writer, s webtrace.Step) {
	head := fmt.Sprintf("[%8s +%8s] ", msText(s.Start), msText(s.Duration))
	indent := strings.Repeat(" ", len(head))
	line := s.Summary
	if s.Failed {
		line = "FAILED: " + s.Err.Error()
	}
	fmt.Fprintf(w, "%s%-9s %s\n", head, s.Kind, charset.DisplayText(line))
	width := 0
	for _, d := range s.Details {
		if !isPreview(s, d) {
			width = max(width, len([]rune(d.Label)))
		}
	}
	for _, d := range s.Details {
		if isPreview(s, d) {
			continue // shown below, line by line
		}
		pad := strings.Repeat(" ", width-len([]rune(d.Label)))
		fmt.Fprintf(w, "%s%s%s  %s\n", indent, charset.DisplayText(d.Label), pad, charset.DisplayText(d.Value))
	}
	if b := s.Body; b != nil && len(b.Raw) > 0 {
		fmt.Fprintf(w, "%sbody preview (%s):\n", indent, previewSize(b))
		// One line per line of the body, each made safe: the body comes from
		// the network and must not steer the terminal.
		for _, l := range strings.Split(strings.TrimSuffix(b.Text, "\n"), "\n") {
			fmt.Fprintf(w, "%s| %s\n", indent, charset.DisplayText(strings.TrimSuffix(l, "\r")))
		}
	}
}

// isPreview reports whether d is the one-line body preview, which people get
// line by line instead.
func isPreview(s webtrace.Step, d webtrace.Detail) bool {
	return s.Body != nil && strings.HasPrefix(d.Label, "body preview")
}

func previewSize(b *webtrace.BodyPreview) string {
	if b.Truncated {
		return fmt.Sprintf("first %d of %d bytes, %s", len(b.Raw), b.Size, b.Charset)
	}
	return fmt.Sprintf("%d bytes, %s", b.Size, b.Charset)
}

// msText is a duration in milliseconds with two decimals, e.g. "0.41 ms".
func msText(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}

// traceStepJSON is one line of `trace --json`.
type traceStepJSON struct {
	Step       string            `json:"step"`
	Hop        int               `json:"hop"`
	URL        string            `json:"url"`
	StartMS    float64           `json:"start_ms"`
	DurationMS float64           `json:"duration_ms"`
	Summary    string            `json:"summary"`
	Status     int               `json:"status,omitempty"` // the response step's status code, once its status line came
	Skipped    bool              `json:"skipped,omitempty"`
	Details    map[string]string `json:"details"`
	Body       *string           `json:"body,omitempty"` // the decoded preview, unescaped (JSON escapes it)
	Error      string            `json:"error,omitempty"`
}

func stepJSON(s webtrace.Step) traceStepJSON {
	j := traceStepJSON{
		Step: s.Kind.String(), Hop: s.Hop, URL: s.URL,
		// The duration is taken between rounded ends, so that in the JSON
		// too a step never seems to start before the one before it ended.
		StartMS: ms(s.Start), DurationMS: math.Round((ms(s.End())-ms(s.Start))*1000) / 1000,
		Summary: s.Summary, Status: s.Status, Skipped: s.Skipped, Details: map[string]string{},
		Error: s.ErrorText(),
	}
	for _, d := range s.Details {
		// A header may come twice (Set-Cookie); keep both.
		key := d.Label
		for n := 2; ; n++ {
			if _, dup := j.Details[key]; !dup {
				break
			}
			key = fmt.Sprintf("%s #%d", d.Label, n)
		}
		j.Details[key] = d.Value
	}
	if s.Body != nil {
		j.Body = &s.Body.Text
	}
	return j
}

// ms is d in milliseconds, to the microsecond.
func ms(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Microsecond)) / 1000
}
