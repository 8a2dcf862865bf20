package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// rssKiB is a process's resident set (VmRSS): the pages of its memory that are
// in RAM — Go heap in use and not yet returned, goroutine stacks, the binary's
// touched pages and C libraries. Kernel socket buffers are not in it.
func rssKiB(pid int) (int64, error) {
	v := procField(fmt.Sprintf("/proc/%d/status", pid), "VmRSS")
	n, err := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("VmRSS of %d: %q", pid, v)
	}
	return n, nil
}

// udpSocket is a loopback UDP socket's line of /proc/net/udp.
type udpSocket struct {
	rxQueue uint64 // bytes waiting to be read
	drops   uint64 // datagrams the kernel dropped because the buffer was full
}

// udpSocketStats finds the IPv4 UDP socket bound to port.
func udpSocketStats(port int) (udpSocket, error) {
	f, err := os.Open("/proc/net/udp")
	if err != nil {
		return udpSocket{}, err
	}
	defer f.Close()
	want := fmt.Sprintf(":%04X", port)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
		fields := strings.Fields(sc.Text())
		if len(fields) < 13 || !strings.HasSuffix(fields[1], want) {
			continue
		}
		_, rx, _ := strings.Cut(fields[4], ":")
		q, err1 := strconv.ParseUint(rx, 16, 64)
		d, err2 := strconv.ParseUint(fields[12], 10, 64)
		if err1 != nil || err2 != nil {
			return udpSocket{}, fmt.Errorf("/proc/net/udp: bad line %q", sc.Text())
		}
		return udpSocket{rxQueue: q, drops: d}, nil
	}
	return udpSocket{}, fmt.Errorf("/proc/net/udp: no socket on port %d", port)
}

// udpDrained waits until the socket on port has nothing left to read (the
// receiver caught up), at most limit, and returns its figures then.
func udpDrained(port int, limit time.Duration) (udpSocket, error) {
	deadline := time.Now().Add(limit)
	for {
		s, err := udpSocketStats(port)
		if err != nil || s.rxQueue == 0 || time.Now().After(deadline) {
			return s, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}
