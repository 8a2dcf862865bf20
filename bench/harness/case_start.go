package main

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// startup is case 6 (the command line's part): how long `sockdesk charsets` takes
// from exec to exit, against a hello-world Go program, each started cfg.starts
// times. The sockdesk binary links Fyne and the C libraries it needs, and Fyne's
// package initializers run before main whatever the command; an init trace
// (GODEBUG=inittrace=1) says what they cost.
func (b *bench) startup(ctx context.Context) error {
	sd, err := timeStarts(ctx, b.cfg.starts, b.bins.sockdesk, "charsets")
	if err != nil {
		return err
	}
	base, err := timeStarts(ctx, b.cfg.starts, b.bins.hello)
	if err != nil {
		return err
	}
	b.add(row{id: "6", what: fmt.Sprintf("start-up: sockdesk charsets, median of %d", b.cfg.starts), sockdesk: ms(sd), baseline: ms(base) + " (hello)",
		ratio: fmt.Sprintf("%.1f", float64(sd)/float64(base)), target: "< 50 ms", pass: passMiss(sd < 50*time.Millisecond)})
	help, err := timeStarts(ctx, b.cfg.starts, b.bins.sockdesk, "--help")
	if err != nil {
		return err
	}
	b.add(row{id: "6", what: "start-up: sockdesk --help", sockdesk: ms(help), baseline: ms(base) + " (hello)",
		ratio: fmt.Sprintf("%.1f", float64(help)/float64(base)), target: "< 50 ms", pass: passMiss(help < 50*time.Millisecond)})
	b.notef("6", "init trace of sockdesk charsets: %s", initTrace(ctx, b.bins.sockdesk))
	return nil
}

// timeStarts runs a program n times and returns the median wall time.
func timeStarts(ctx context.Context, n int, path string, args ...string) (time.Duration, error) {
	times := make([]time.Duration, 0, n)
	for range n {
		cmd := exec.CommandContext(ctx, path, args...)
		cmd.Env = childEnv()
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("%s %s: %w", baseName(path), strings.Join(args, " "), err)
		}
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// initTrace sums the package initializers' clock time and names the costliest.
func initTrace(ctx context.Context, path string) string {
	cmd := exec.CommandContext(ctx, path, "charsets")
	cmd.Env = append(childEnv(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "unavailable: " + err.Error()
	}
	type pkg struct {
		name string
		ms   float64
	}
	var pkgs []pkg
	var total, last float64
	for _, line := range strings.Split(string(out), "\n") {
		// init fyne.io/fyne/v2/lang @19 ms, 3.2 ms clock, 930840 bytes, 12014 allocs
		f := strings.Fields(line)
		if len(f) < 6 || f[0] != "init" || f[5] != "ms" {
			continue
		}
		v, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			continue
		}
		at, _ := strconv.ParseFloat(strings.TrimPrefix(f[2], "@"), 64)
		last = max(last, at+v)
		total += v
		pkgs = append(pkgs, pkg{f[1], v})
	}
	slices.SortFunc(pkgs, func(a, b pkg) int { return int((b.ms - a.ms) * 1000) })
	var top []string
	for _, p := range pkgs[:min(4, len(pkgs))] {
		top = append(top, fmt.Sprintf("%s %.1f ms", p.name, p.ms))
	}
	return fmt.Sprintf("%d packages, %.1f ms of init in all, the last done %.0f ms after start; costliest: %s",
		len(pkgs), total, last, strings.Join(top, ", "))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
