package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// printMachine says where the figures come from: they mean little without it.
func printMachine(cfg config) {
	uname, _ := exec.Command("uname", "-srm").Output()
	goVersion, _ := exec.Command("go", "version").Output()
	fmt.Printf("machine: %s, %d CPUs (%s), %s RAM\n", strings.TrimSpace(string(uname)), runtime.NumCPU(), cpuModel(), memTotal())
	fmt.Printf("go: %s\n", strings.TrimSpace(string(goVersion)))
	fmt.Printf("load average before: %s\n", loadAverage())
	fmt.Printf("sizes: tcp %d bytes; udp %d x %d B; gen %d msgs; paced %gs; %d clients; %d starts; record udp %d x %d B; best of %d\n",
		cfg.tcpBytes, cfg.udpCount, cfg.udpSize, cfg.genCount, cfg.pacedSecs, cfg.clients, cfg.starts, cfg.recCount, cfg.recSize, cfg.repeat)
}

func cpuModel() string {
	return procField("/proc/cpuinfo", "model name")
}

func memTotal() string {
	return procField("/proc/meminfo", "MemTotal")
}

// procField returns the value of the first "name: value" line of a /proc file.
func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// loadAverage is the 1, 5 and 15 minute load: other work on the machine skews
// every figure, so each run says how busy it was.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
