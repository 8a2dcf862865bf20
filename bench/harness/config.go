package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// config is what the environment sets; every size has a default that fits a
// run of a few minutes on a 2-core machine.
type config struct {
	tcpBytes  int64   // BENCH_TCP_BYTES: bytes one client sends in case 1 (1 GiB)
	udpCount  int     // BENCH_UDP_COUNT: datagrams the sender sends in case 2 (1,000,000)
	udpSize   int     // BENCH_UDP_SIZE: bytes per datagram in cases 2 and 3 (64)
	genCount  int     // BENCH_GEN_COUNT: messages per full-rate run in case 3 (1,000,000)
	pacedSecs float64 // BENCH_PACED_SECONDS: length of each paced run in case 3 (2)
	clients   int     // BENCH_CLIENTS: concurrent clients in case 4 (10,000)
	recCount  int     // BENCH_RECORD_COUNT: datagrams the sender sends in case 7 (500,000)
	recSize   int     // BENCH_RECORD_SIZE: bytes per datagram in case 7 (512)
	starts    int     // BENCH_STARTS: program starts timed in case 6 (20)
	repeat    int     // BENCH_REPEAT: runs of each side in cases 1-3 and 7, best kept (2)
	cases     map[string]bool
	dir       string // BENCH_DIR: where binaries and logs go (a temporary directory)
	keep      bool   // BENCH_KEEP=1: keep that directory
}

func loadConfig() (config, error) {
	c := config{cases: map[string]bool{}}
	var err error
	ints := []struct {
		name string
		def  int64
		dst  func(int64)
	}{
		{"BENCH_TCP_BYTES", 1 << 30, func(v int64) { c.tcpBytes = v }},
		{"BENCH_UDP_COUNT", 1_000_000, func(v int64) { c.udpCount = int(v) }},
		{"BENCH_UDP_SIZE", 64, func(v int64) { c.udpSize = int(v) }},
		{"BENCH_GEN_COUNT", 1_000_000, func(v int64) { c.genCount = int(v) }},
		{"BENCH_CLIENTS", 10_000, func(v int64) { c.clients = int(v) }},
		{"BENCH_RECORD_COUNT", 500_000, func(v int64) { c.recCount = int(v) }},
		{"BENCH_RECORD_SIZE", 512, func(v int64) { c.recSize = int(v) }},
		{"BENCH_STARTS", 20, func(v int64) { c.starts = int(v) }},
		{"BENCH_REPEAT", 2, func(v int64) { c.repeat = int(v) }},
	}
	for _, v := range ints {
		n := v.def
		if s := os.Getenv(v.name); s != "" {
			if n, err = strconv.ParseInt(s, 10, 64); err != nil || n < 1 {
				return c, fmt.Errorf("%s=%q: want a whole number >= 1", v.name, s)
			}
		}
		v.dst(n)
	}
	if c.udpSize < 16 || c.udpSize > 65507 {
		return c, fmt.Errorf("BENCH_UDP_SIZE=%d: want 16 to 65507", c.udpSize)
	}
	if c.recSize < 16 || c.recSize > 65507 {
		return c, fmt.Errorf("BENCH_RECORD_SIZE=%d: want 16 to 65507", c.recSize)
	}
	c.pacedSecs = 2
	if s := os.Getenv("BENCH_PACED_SECONDS"); s != "" {
		if c.pacedSecs, err = strconv.ParseFloat(s, 64); err != nil || c.pacedSecs <= 0 || c.pacedSecs > 60 {
			return c, fmt.Errorf("BENCH_PACED_SECONDS=%q: want a number of seconds, 0 to 60", s)
		}
	}
	cases := os.Getenv("BENCH_CASES")
	if cases == "" {
		cases = "1,2,3,4,6,7"
	}
	for _, id := range strings.Split(cases, ",") {
		switch id = strings.TrimSpace(id); id {
		case "1", "2", "3", "4", "6", "7":
			c.cases[id] = true
		default:
			return c, fmt.Errorf("BENCH_CASES: unknown case %q (1, 2, 3, 4, 6, 7)", id)
		}
	}
	c.dir = os.Getenv("BENCH_DIR")
	c.keep = os.Getenv("BENCH_KEEP") == "1"
	return c, nil
}
