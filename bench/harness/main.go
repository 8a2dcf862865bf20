// Harness is `make bench`: it builds sockdesk and the baseline programs, runs each
// case of the speed targets next to its baseline in the same run, and prints a
// table of figures, ratios and targets, then the details behind each row. All
// traffic stays on loopback, every sender is bounded in count and time, and the
// sizes come from the environment (see config.go) so that a quick run is possible.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	cfg, err := loadConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run from the module root (make bench): %w", err)
	}
	// Case 4 holds thousands of connections: raise the limit for this process
	// and, set explicitly, for every child (Go restores the original soft limit
	// in children unless the program sets it itself).
	if err := raiseFDLimit(); err != nil {
		return err
	}
	dir := cfg.dir
	if dir == "" {
		d, err := os.MkdirTemp("", "sockdesk-bench-")
		if err != nil {
			return err
		}
		dir = d
		if !cfg.keep {
			defer os.RemoveAll(dir)
		}
	}
	fmt.Println("== sockdesk benchmarks")
	printMachine(cfg)
	start := time.Now()
	bins, err := build(filepath.Join(dir, "bin"))
	if err != nil {
		return err
	}
	fmt.Printf("built in %.1fs into %s\n\n", time.Since(start).Seconds(), bins.dir)

	b := &bench{cfg: cfg, bins: bins, dir: dir}
	for _, c := range []struct {
		id  string
		run func(context.Context) error
		max time.Duration
	}{
		{"1", b.tcpReceive, 15 * time.Minute},
		{"2", b.udpReceive, 10 * time.Minute},
		{"3", b.generator, 10 * time.Minute},
		{"4", b.serverScale, 10 * time.Minute},
		{"6", b.startup, 5 * time.Minute},
		{"7", b.udpRecord, 15 * time.Minute},
	} {
		if !cfg.cases[c.id] {
			continue
		}
		t0 := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), c.max)
		err := c.run(ctx)
		cancel()
		if err != nil {
			b.fail(c.id, err)
		}
		b.notef(c.id, "case took %.1fs", time.Since(t0).Seconds())
	}
	fmt.Println()
	b.printTable(os.Stdout)
	fmt.Printf("\ntotal %.0fs; load average after: %s\n", time.Since(start).Seconds(), loadAverage())
	return nil
}

func raiseFDLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("read the file-descriptor limit: %w", err)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("raise the file-descriptor limit: %w", err)
	}
	return nil
}
