package cli

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/netio/charset"
)

// The trace command against httptest servers on loopback; the engine's own
// tests (netio/trace_test.go) cover the steps in depth.

func traceServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// jstep is one line of `trace --json`, as a script reads it.
type jstep struct {
	Step       string            `json:"step"`
	Hop        int               `json:"hop"`
	URL        string            `json:"url"`
	StartMS    float64           `json:"start_ms"`
	DurationMS float64           `json:"duration_ms"`
	Summary    string            `json:"summary"`
	Status     *int              `json:"status"`
	Skipped    bool              `json:"skipped"`
	Details    map[string]string `json:"details"`
	Body       *string           `json:"body"`
	Error      string            `json:"error"`
}

func parseSteps(t *testing.T, out string) []jstep {
	t.Helper()
	var steps []jstep
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var s jstep
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("not a JSON step line: %q: %v", l, err)
		}
		steps = append(steps, s)
	}
	return steps
}

func stepNames(steps []jstep) string {
	var n []string
	for _, s := range steps {
		n = append(n, s.Step)
	}
	return strings.Join(n, ",")
}

func TestTraceText(t *testing.T) {
	srv := traceServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "line one\nline two\x1b[31m\n")
	})
	code, out, errOut := run(t, nil, "trace", srv.URL+"/page")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	lines := strings.Split(out, "\n")
	var order []string
	for _, l := range lines {
		if strings.HasPrefix(l, "[") {
			f := strings.Fields(l[strings.Index(l, "]")+1:])
			order = append(order, f[0])
		}
	}
	if got := strings.Join(order, ","); got != "dns,route,connect,request,response,close" {
		t.Errorf("steps %s:\n%s", got, out)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, want := range []string{
		"dns       skipped: 127.0.0.1 is an IP address",
		"route     interface ",
		" → " + host + "\n",
		"request   GET /page HTTP/1.1\n",
		"      Host          " + host + "\n", // details aligned under each other
		"response  200 OK, 23 bytes",
		"body preview (23 bytes, UTF-8):",
		"| line one\n",
		`| line two\x1B[31m` + "\n", // the terminal escape is shown, not obeyed
		"close     closed by the ",
		"\ntotal ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Error("a raw escape character reached the terminal")
	}
}

func TestTraceJSON(t *testing.T) {
	srv := traceServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		io.WriteString(w, "X-Test="+r.Header.Get("X-Test"))
	})
	code, out, errOut := run(t, nil, "trace", srv.URL, "--json", "--header", "X-Test: yes", "--method", "GET")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	steps := parseSteps(t, out)
	if got := stepNames(steps); got != "dns,route,connect,request,response,close" {
		t.Fatalf("steps %s", got)
	}
	var sum, end float64
	for _, s := range steps {
		if s.StartMS < end-1e-9 || s.DurationMS < 0 || s.Error != "" || s.Hop != 0 || s.URL != srv.URL+"/" {
			t.Errorf("%+v (previous step ended at %v)", s, end)
		}
		sum += s.DurationMS
		end = s.StartMS + s.DurationMS
	}
	if sum > end+0.001 {
		t.Errorf("the steps take %v ms, beyond the end %v ms", sum, end)
	}
	if !steps[0].Skipped {
		t.Error("dns of an IP address is skipped")
	}
	req, resp := steps[3], steps[4]
	if req.Details["request line"] != "GET / HTTP/1.1" || req.Details["X-Test"] != "yes" {
		t.Errorf("request details %v", req.Details)
	}
	if resp.Details["Set-Cookie"] != "a=1" || resp.Details["Set-Cookie #2"] != "b=2" || resp.Body == nil || *resp.Body != "X-Test=yes" {
		t.Errorf("response %+v", resp)
	}
	// The status as a number, for scripts; only the response step has one.
	for _, s := range steps {
		if s.Step == "response" && (s.Status == nil || *s.Status != 200) || s.Step != "response" && s.Status != nil {
			t.Errorf("%s: status %v", s.Step, s.Status)
		}
	}
	if line := strings.Split(out, "\n")[4]; !strings.Contains(line, `"status":200,`) || !strings.Contains(line, `"status line":"HTTP/1.1 200 OK"`) {
		t.Errorf("the response line should carry \"status\":200 as an integer, and its status line:\n%s", line)
	}
}

func TestTraceJSONStatusOfAFailure(t *testing.T) {
	srv := traceServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such page", http.StatusNotFound)
	})
	code, out, _ := run(t, nil, "trace", srv.URL+"/missing", "--json")
	steps := parseSteps(t, out)
	if resp := steps[4]; code != 0 || resp.Step != "response" || resp.Status == nil || *resp.Status != 404 {
		t.Errorf("exit %d, a 404 response:\n%s", code, out)
	}
}

func TestTraceFailures(t *testing.T) {
	port := freePort(t)
	code, out, errOut := run(t, nil, "trace", "--json", "http://"+addr("127.0.0.1", port)+"/")
	if code != 1 || oneLine(t, errOut) != "sockdesk: TCP connect: connection refused" {
		t.Errorf("refused: exit %d, stderr %q", code, errOut)
	}
	steps := parseSteps(t, out)
	if last := steps[len(steps)-1]; stepNames(steps) != "dns,route,connect" || last.Error != "TCP connect: connection refused" {
		t.Errorf("refused:\n%s", out)
	}

	code, out, errOut = run(t, nil, "trace", "http://nosuchhost.invalid/", "--timeout", "5s")
	if line := oneLine(t, errOut); code != 1 || !strings.HasPrefix(line, "sockdesk: DNS: ") || !strings.Contains(line, "nosuchhost.invalid") {
		t.Errorf("unresolvable: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "dns       FAILED: ") {
		t.Errorf("the failed step should be shown:\n%s", out)
	}

	release := make(chan struct{})
	slow := traceServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	code, _, errOut = run(t, nil, "trace", slow.URL, "--timeout", "300ms")
	if code != 1 || oneLine(t, errOut) != "sockdesk: Response: timeout after 300ms waiting for the first byte" {
		t.Errorf("slow: exit %d, stderr %q", code, errOut)
	}
}

func TestTraceTLSCommand(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secret")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)

	code, out, errOut := run(t, nil, "trace", srv.URL)
	if code != 1 || oneLine(t, errOut) != "sockdesk: TLS: certificate signed by unknown authority" ||
		!strings.Contains(out, "tls       FAILED: certificate signed by unknown authority") || !strings.Contains(out, "--insecure continues anyway") {
		t.Errorf("self-signed: exit %d, stderr %q\n%s", code, errOut, out)
	}
	code, out, errOut = run(t, nil, "trace", srv.URL, "--insecure")
	if code != 0 || errOut != "" || !strings.Contains(out, "certificate NOT verified") || !strings.Contains(out, "| secret") {
		t.Errorf("--insecure: exit %d, stderr %q\n%s", code, errOut, out)
	}
}

func TestTraceCharsetCommand(t *testing.T) {
	gbk, _ := charset.Lookup("gbk")
	body, _ := gbk.Encode("你好，世界")
	srv := traceServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=gbk")
		w.Write(body)
	})
	code, out, _ := run(t, nil, "trace", srv.URL)
	if code != 0 || !strings.Contains(out, "| 你好，世界\n") || !strings.Contains(out, "GBK (from Content-Type)") {
		t.Errorf("GBK from Content-Type: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, nil, "trace", srv.URL, "--charset", "latin1")
	if code != 0 || !strings.Contains(out, "ISO-8859-1 (chosen)") || strings.Contains(out, "你好") {
		t.Errorf("--charset: exit %d\n%s", code, out)
	}

	page, _ := gbk.Encode(`<html><head><meta charset="gbk"><title>你好</title>`)
	html := traceServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(page)
	})
	code, out, _ = run(t, nil, "trace", html.URL)
	if code != 0 || !strings.Contains(out, "<title>你好</title>") ||
		!strings.Contains(out, "GBK (from the page's <meta charset>; Content-Type names no charset)") {
		t.Errorf("GBK from <meta>: exit %d\n%s", code, out)
	}
}

func TestTraceRedirectCommand(t *testing.T) {
	srv := traceServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		io.WriteString(w, "here")
	})
	code, out, _ := run(t, nil, "trace", srv.URL+"/old")
	if code != 0 || !strings.Contains(out, "redirect to "+srv.URL+"/new not followed (--follow traces it)") {
		t.Errorf("not followed: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, nil, "trace", srv.URL+"/old", "--follow")
	if code != 0 || !strings.Contains(out, "\nredirect 1: "+srv.URL+"/new\n") || !strings.Contains(out, "| here") {
		t.Errorf("--follow: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, nil, "trace", srv.URL+"/old", "--follow", "--json")
	steps := parseSteps(t, out)
	if code != 0 || len(steps) != 12 || steps[11].Hop != 1 || steps[11].URL != srv.URL+"/new" {
		t.Errorf("--follow --json: exit %d\n%s", code, out)
	}
}

func TestTraceBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"trace"}, "URL: missing; give the http:// or https:// URL to fetch"},
		{[]string{"trace", "htp:/x"}, `URL "htp:/x": unsupported scheme "htp"; use http or https`},
		{[]string{"trace", "example.com"}, `URL "example.com": missing scheme; start it with http:// or https://`},
		{[]string{"trace", "http://127.0.0.1:99999/"}, `URL "http://127.0.0.1:99999/": port 99999 is out of range 1-65535`},
		{[]string{"trace", "http://a/", "http://b/"}, `unexpected argument "http://b/" (one URL per trace)`},
		{[]string{"trace", "http://a/", "--method", "POST"}, `--method: "POST" is not supported; use GET or HEAD`},
		{[]string{"trace", "http://a/", "--header", "nocolon"}, `--header: "nocolon" is not NAME: VALUE`},
		{[]string{"trace", "http://a/", "--header", ": x"}, `--header: ": x" is not NAME: VALUE`},
		{[]string{"trace", "http://a/", "--header", "Bad Name: x"}, `--header: "Bad Name": invalid character " " in the name`},
		{[]string{"trace", "http://a/", "--timeout", "0"}, "--timeout: must be more than 0"},
		{[]string{"trace", "http://a/", "--timeout", "soon"}, `--timeout: "soon" is not a duration (e.g. 500ms, 10s, 2m)`},
		{[]string{"trace", "http://a/", "--charset", "klingon"}, `--charset: unknown charset "klingon" (known: UTF-8, GBK, ...`},
		{[]string{"trace", "http://a/", "--insecure=maybe"}, `--insecure: "maybe" is not true or false (the flag alone means true)`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, nil, tc.args...)
			if code != 2 || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			line := strings.TrimPrefix(oneLine(t, errOut), "sockdesk: ")
			if prefix, ok := strings.CutSuffix(tc.want, "..."); ok {
				if !strings.HasPrefix(line, prefix) {
					t.Errorf("got  %q\nwant %q", line, tc.want)
				}
			} else if line != tc.want {
				t.Errorf("got  %q\nwant %q", line, tc.want)
			}
		})
	}
}

func TestTraceHelp(t *testing.T) {
	code, out, _ := run(t, nil, "trace", "--help")
	if code != 0 || !strings.Contains(out, "sockdesk trace URL [--method GET|HEAD]") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
