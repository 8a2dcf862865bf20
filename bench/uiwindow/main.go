// Command uiwindow is case 5 of the speed issue in the real window: it starts the
// sockdesk app under the X server it is given (run it under xvfb-run), opens a UDP
// session by clicking its Open button, feeds it with `sockdesk gen udp` at full
// rate for -seconds, clicks Close while the feed still runs, and reports how long
// the click took to be handled, how long each batch of events took to apply on
// Fyne's goroutine, the app's resident memory, and what the log view held.
//
// It runs two cases, -runs times each, in the same run: "plain", the session as it
// starts the first time, and "kv", the same session with a kv extraction rule and
// its Plot tool shown (set through the sessions file the app starts with), so that
// every datagram's values are extracted and drawn while the feed runs. Both are
// fed the same message, which holds three key=value pairs.
//
// The app reports batches and button handling through its SOCKDESK_PROBE file
// (app/probe.go). Click latency is measured from just before xdotool is started
// to the app's record of handling the click, so it includes xdotool's own start-up;
// that start-up is measured alone in the same run and printed beside it.
//
//	make bench-ui       # or: go build -tags probe -o bin/sockdesk-probe . && xvfb-run -a -s "-screen 0 1280x800x24" go run ./bench/uiwindow -bin bin/sockdesk-probe
//
// All traffic is on 127.0.0.1; the sender is bounded by -seconds.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type record struct {
	What   string `json:"what"`
	At     int64  `json:"at_ns"`
	Events int    `json:"events"`
	Held   int    `json:"held"`
	Took   int64  `json:"took_ns"`
	GoMem  uint64 `json:"go_mem"`
	GoLive uint64 `json:"go_live"`
	Detail string `json:"detail"`
}

type result struct {
	toggle, closed  time.Duration // click to handled, click to session closed
	xdotool         time.Duration // xdotool start-up alone
	startup         time.Duration // exec to the window shown and the event loop starting
	batches         []time.Duration
	events, maxHeld int
	maxRSS          int    // KiB
	idleRSS         int    // KiB, session open, before the feed
	goMem, goLive   uint64 // the most the Go runtime held, and the most heap in use
	rssParts        string // where the resident memory was, late in the feed
	softGL          int    // KiB of it in Mesa's software rasterizer (libLLVM, swrast)
	sent            string
	plotted         uint64          // values the Plot tool was given (the kv case)
	ticks           []time.Duration // the Plot tool's timer ticks on Fyne's goroutine (the kv case)
}

func main() {
	bin := flag.String("bin", "bin/sockdesk", "the sockdesk binary")
	seconds := flag.Int("seconds", 10, "length of the full-rate feed")
	runs := flag.Int("runs", 3, "runs of each case")
	cases := flag.String("cases", "plain,kv", "the cases to run: plain (no extraction), kv (kv extraction, Plot tool shown)")
	flag.Parse()
	if os.Getenv("DISPLAY") == "" {
		fail(errors.New("no DISPLAY: run under xvfb-run"))
	}
	all := map[string][]result{}
	names := strings.Split(*cases, ",")
	for _, name := range names {
		if name != "plain" && name != "kv" {
			fail(fmt.Errorf("-cases: unknown case %q (plain, kv)", name))
		}
	}
	// The cases take turns, so that a slower spell of the machine falls on both.
	for i := range *runs {
		for _, name := range names {
			r, err := run(*bin, time.Duration(*seconds)*time.Second, name == "kv")
			if err != nil {
				fail(fmt.Errorf("%s run %d: %w", name, i+1, err))
			}
			all[name] = append(all[name], r)
			plotted := ""
			if name == "kv" {
				plotted = fmt.Sprintf("; %d values plotted, %d timer ticks of the chart (p50 %s p99 %s)", r.plotted, len(r.ticks), ms(pct(r.ticks, 0.5)), ms(pct(r.ticks, 0.99)))
			}
			fmt.Printf("%s run %d: window up %s after exec; fed %s; %d events applied in %d batches%s; click handled after %s (session closed after %s; xdotool alone %s); batch p50 %s p99 %s max %s; RSS %.0f MiB idle, %.0f MiB max (Go runtime %.0f MiB, live heap %.0f MiB; at %s: %s); log view held at most %d\n",
				name, i+1, ms(r.startup), r.sent, r.events, len(r.batches), plotted, ms(r.toggle), ms(r.closed), ms(r.xdotool),
				ms(pct(r.batches, 0.5)), ms(pct(r.batches, 0.99)), ms(pct(r.batches, 1)), float64(r.idleRSS)/1024, float64(r.maxRSS)/1024, float64(r.goMem)/(1<<20), float64(r.goLive)/(1<<20), time.Duration(*seconds-3)*time.Second, r.rssParts, r.maxHeld)
		}
	}
	for _, name := range names {
		table(name, all[name])
	}
}

var caseTitles = map[string]string{
	"plain": "case 5, real window (Xvfb), UDP session fed at full rate",
	"kv":    "case 5 with kv extraction and the Plot tool shown",
}

// table prints a case's results against the targets: the median and the worst
// of its runs.
func table(name string, results []result) {
	fmt.Println()
	fmt.Printf("%-58s %-12s %-12s %-12s %s\n", caseTitles[name], "median", "worst", "target", "result")
	row := func(what string, get func(result) float64, unit string, target float64, targetText string) {
		var v []float64
		for _, r := range results {
			v = append(v, get(r))
		}
		slices.Sort(v)
		worst := v[len(v)-1]
		res := "pass"
		if worst >= target {
			res = "MISS"
		}
		fmt.Printf("%-58s %-12s %-12s %-12s %s\n", what, fmt.Sprintf("%.1f %s", v[len(v)/2], unit), fmt.Sprintf("%.1f %s", worst, unit), targetText, res)
	}
	row("start-up: exec to window shown, event loop running", func(r result) float64 { return msf(r.startup) }, "ms", 1000, "< 1000 ms")
	row("Close click handled (incl. xdotool start-up)", func(r result) float64 { return msf(r.toggle) }, "ms", 100, "< 100 ms")
	row("batch apply time p99", func(r result) float64 { return msf(pct(r.batches, 0.99)) }, "ms", 16, "< 16 ms")
	if name == "kv" {
		row("the chart's timer tick p99", func(r result) float64 { return msf(pct(r.ticks, 0.99)) }, "ms", 16, "< 16 ms")
	}
	row("resident memory, max during the run", func(r result) float64 { return float64(r.maxRSS) / 1024 }, "MiB", 250, "< 250 MiB")
	row("  the same without Mesa's software rasterizer (Xvfb only)", func(r result) float64 { return float64(r.maxRSS-r.softGL) / 1024 }, "MiB", 250, "< 250 MiB")
	row("events held by the log view, max", func(r result) float64 { return float64(r.maxHeld) }, "", 100_001, "<= 100000")
}

// feedMessage is what the generator sends, padded to 64 bytes: three values for
// a kv rule, the first of them the message's number.
const feedMessage = "n={counter} temp=23.5 hum=41"

// sessionsFile is where the app keeps the sessions of its last run, under the
// configuration directory it is given, and kvSessions such a file: one UDP
// session with a kv rule and its Plot tool open.
const (
	sessionsFile = "fyne/io.github.sockdesk/sessions.sockdesk"
	kvSessions   = `{"format": "sockdesk-workspace", "version": 1, "sessions": [
  {"kind": "udp", "settings": {"tool": "plot"}, "lists": {"plot.rules": ["kv"]}}]}
`
)

func run(bin string, feed time.Duration, kv bool) (result, error) {
	var r result
	dir, err := os.MkdirTemp("", "uiwindow")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	probePath := filepath.Join(dir, "probe.jsonl")
	if kv {
		path := filepath.Join(dir, sessionsFile)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return r, err
		}
		if err := os.WriteFile(path, []byte(kvSessions), 0o644); err != nil {
			return r, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), feed+90*time.Second)
	defer cancel()

	app := exec.CommandContext(ctx, bin)
	app.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "LANG=en_US.UTF-8", "LC_ALL=en_US.UTF-8", "SOCKDESK_PROBE="+probePath)
	app.Stderr = os.Stderr
	execAt := time.Now()
	if err := app.Start(); err != nil {
		return r, err
	}
	defer func() {
		app.Process.Signal(syscall.SIGTERM)
		app.Wait()
	}()
	probe := &probeFile{path: probePath}

	started, err := probe.wait("started", 20*time.Second)
	if err != nil {
		return r, fmt.Errorf("the app did not start: %w", err)
	}
	r.startup = time.Duration(started.At - execAt.UnixNano())
	btn, err := probe.wait("widget", 20*time.Second)
	if err != nil {
		return r, fmt.Errorf("the app did not report its Open button: %w", err)
	}
	var x, y int
	if _, err := fmt.Sscanf(btn.Detail, "udp-open %d %d", &x, &y); err != nil {
		return r, fmt.Errorf("probe widget record %q: %w", btn.Detail, err)
	}
	if err := click(ctx, x, y); err != nil {
		return r, err
	}
	opened, err := probe.wait("opened", 10*time.Second)
	if err != nil {
		return r, fmt.Errorf("clicking (%d, %d) did not open the session: %w", x, y, err)
	}
	port := opened.Detail[strings.LastIndexByte(opened.Detail, ':')+1:]
	if _, err := strconv.Atoi(port); err != nil {
		return r, fmt.Errorf("opened record %q", opened.Detail)
	}

	time.Sleep(500 * time.Millisecond)
	r.idleRSS = rssKiB(app.Process.Pid)

	// The feed: sockdesk's own generator, as fast as it goes, bounded in time.
	feedStart := time.Now()
	gen := exec.CommandContext(ctx, bin, "gen", "udp", "127.0.0.1:"+port, feedMessage, "--duration", feed.String(), "--size", "64", "--json")
	gen.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=en_US.UTF-8")
	var genOut strings.Builder
	gen.Stdout = &genOut
	if err := gen.Start(); err != nil {
		return r, err
	}
	stopRSS := sampleRSS(app.Process.Pid, &r.maxRSS)

	// Where the memory is, late in the feed; then xdotool's start-up alone, then
	// the Close click while the feed runs.
	time.Sleep(feed - 3*time.Second)
	r.rssParts, r.softGL = rssBreakdown(app.Process.Pid)
	time.Sleep(time.Second)
	t := time.Now()
	if err := exec.CommandContext(ctx, "xdotool", "getmouselocation").Run(); err != nil {
		return r, err
	}
	r.xdotool = time.Since(t)
	time.Sleep(time.Second)
	clickAt := time.Now()
	if err := click(ctx, x, y); err != nil {
		return r, err
	}
	toggle, err := probe.waitAfter("toggle", clickAt, 10*time.Second)
	if err != nil {
		return r, fmt.Errorf("the Close click was not handled: %w", err)
	}
	closed, err := probe.waitAfter("closed", clickAt, 10*time.Second)
	if err != nil {
		return r, fmt.Errorf("the session did not close: %w", err)
	}
	r.toggle = time.Duration(toggle.At - clickAt.UnixNano())
	r.closed = time.Duration(closed.At - clickAt.UnixNano())
	if err := gen.Wait(); err != nil {
		return r, fmt.Errorf("gen: %w", err)
	}
	stopRSS()
	var sum struct {
		Messages  uint64  `json:"messages"`
		MsgsPerS  float64 `json:"msgs_per_s"`
		ElapsedS  float64 `json:"elapsed_s"`
		RateUnits string  `json:"rate_unit"`
	}
	if err := json.Unmarshal([]byte(genOut.String()), &sum); err == nil {
		r.sent = fmt.Sprintf("%d datagrams at %.0f msg/s", sum.Messages, sum.MsgsPerS)
	}
	recs, err := probe.read()
	if err != nil {
		return r, err
	}
	for _, rec := range recs {
		if rec.What == "plotted" {
			r.plotted, _ = strconv.ParseUint(rec.Detail, 10, 64)
		}
		if rec.What == "plot-tick" && rec.At >= feedStart.UnixNano() && rec.At <= closed.At {
			r.ticks = append(r.ticks, time.Duration(rec.Took))
		}
		if rec.What != "batch" || rec.At < feedStart.UnixNano() || rec.At > closed.At {
			continue
		}
		r.batches = append(r.batches, time.Duration(rec.Took))
		r.events += rec.Events
		r.maxHeld = max(r.maxHeld, rec.Held)
		r.goMem, r.goLive = max(r.goMem, rec.GoMem), max(r.goLive, rec.GoLive)
	}
	if len(r.batches) == 0 {
		return r, errors.New("no batch applied during the feed")
	}
	if kv && r.plotted == 0 {
		return r, errors.New("the kv case plotted no values: did the app read its sessions file?")
	}
	slices.Sort(r.batches)
	slices.Sort(r.ticks)
	return r, nil
}

// click moves the pointer to (x, y) on the root window and clicks button 1. The
// app's window is the only one, at (0, 0), without decorations under Xvfb.
func click(ctx context.Context, x, y int) error {
	out, err := exec.CommandContext(ctx, "xdotool", "mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "1").CombinedOutput()
	if err != nil {
		return fmt.Errorf("xdotool: %v: %s", err, out)
	}
	return nil
}

// probeFile reads the app's probe records.
type probeFile struct{ path string }

func (p *probeFile) read() ([]record, error) {
	f, err := os.Open(p.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r record
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			out = append(out, r)
		}
	}
	return out, sc.Err()
}

func (p *probeFile) wait(what string, limit time.Duration) (record, error) {
	return p.waitAfter(what, time.Time{}, limit)
}

// waitAfter waits for the first record of kind what made after t.
func (p *probeFile) waitAfter(what string, t time.Time, limit time.Duration) (record, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		recs, err := p.read()
		if err != nil {
			return record{}, err
		}
		for _, r := range recs {
			if r.What == what && r.At >= t.UnixNano() {
				return r, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return record{}, fmt.Errorf("no %q record within %s", what, limit)
}

// sampleRSS keeps the largest VmRSS of pid in *max (KiB) until the returned
// function is called.
func sampleRSS(pid int, maxKiB *int) func() {
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			*maxKiB = max(*maxKiB, rssKiB(pid))
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(stop); <-done }
}

// rssBreakdown sums the resident memory of pid's mappings by what they are, and
// returns it as text and the part in Mesa's software rasterizer, which a machine
// with a GPU does not load.
func rssBreakdown(pid int) (string, int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return "smaps unreadable", 0
	}
	parts := map[string]int{}
	what := ""
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			what = "anonymous (Go heap, stacks, other mmaps)"
			if len(f) >= 6 {
				switch name := f[5]; {
				case name == "[heap]":
					what = "C heap"
				case strings.Contains(name, "libLLVM") || strings.Contains(name, "swrast") || strings.Contains(name, "dri"):
					what = "software GL (libLLVM, swrast)"
				case strings.HasPrefix(name, "/") && !strings.Contains(name, ".so"):
					what = "the binary"
				default:
					what = "libraries and other"
				}
			}
		case len(f) == 3 && f[0] == "Rss:":
			n, _ := strconv.Atoi(f[1])
			parts[what] += n
		}
	}
	names := make([]string, 0, len(parts))
	for k := range parts {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int { return parts[b] - parts[a] })
	var out []string
	for _, k := range names {
		out = append(out, fmt.Sprintf("%s %.0f MiB", k, float64(parts[k])/1024))
	}
	return strings.Join(out, ", "), parts["software GL (libLLVM, swrast)"]
}

func rssKiB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return n
		}
	}
	return 0
}

func pct(d []time.Duration, f float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[int(f*float64(len(d)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", msf(d)) }
func msf(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "uiwindow:", err)
	os.Exit(1)
}
