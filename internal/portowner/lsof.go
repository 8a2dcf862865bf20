//go:build !windows

package portowner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// lsofTimeout bounds one lsof run: it reads every process's files and can
// be slow on a busy machine, but a bind error should not wait long.
const lsofTimeout = 5 * time.Second

// lookupLsof asks lsof which processes have an internet socket on the port:
// for TCP, listening ones. lsof sees only this user's processes unless run
// by root, so finding nothing is ErrNotVisible then.
func lookupLsof(proto string, want netip.AddrPort) ([]Process, error) {
	path, err := exec.LookPath("lsof")
	if err != nil {
		return nil, fmt.Errorf("%w: lsof is not installed", ErrUnsupported)
	}
	ctx, cancel := context.WithTimeout(context.Background(), lsofTimeout)
	defer cancel()
	args := []string{"-nP", "-w", "+c", "0", "-F", "pcn", "-iUDP:" + strconv.Itoa(int(want.Port()))}
	if proto == "tcp" {
		args = []string{"-nP", "-w", "+c", "0", "-F", "pcn", "-iTCP:" + strconv.Itoa(int(want.Port())), "-sTCP:LISTEN"}
	}
	out, err := exec.CommandContext(ctx, path, args...).Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1 && len(out) == 0) {
		// lsof exits 1 with no output when nothing matches.
		return nil, fmt.Errorf("lsof: %v", err)
	}
	procs := parseLsof(string(out), want)
	if len(procs) > 0 {
		for i := range procs {
			procs[i].Command = psCommand(ctx, procs[i].PID)
		}
		return procs, nil
	}
	if os.Geteuid() == 0 {
		return nil, ErrNoSocket
	}
	return nil, fmt.Errorf("%w (lsof lists only this user's processes)", ErrNotVisible)
}

// parseLsof reads lsof's field output (-F pcn): a "p" line starts a
// process, "c" is its command name, and each "n" line names one of its
// files, for a socket "ADDR:PORT" (with "*" for any address, IPv6 in
// brackets) and "->PEER" for a connection.
func parseLsof(out string, want netip.AddrPort) []Process {
	var procs []Process
	var cur Process
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		switch v := line[1:]; line[0] {
		case 'p':
			pid, err := strconv.Atoi(v)
			if err != nil {
				pid = 0
			}
			cur = Process{PID: pid}
		case 'c':
			cur.Name = v
		case 'n':
			local, _, _ := strings.Cut(v, "->")
			addr, port, ok := parseLsofName(local)
			if ok && cur.PID > 0 && conflicts(addr, port, want) {
				procs = addUnique(procs, cur)
			}
		}
	}
	return procs
}

// parseLsofName reads "127.0.0.1:8080", "*:8080" or "[::1]:8080".
func parseLsofName(s string) (netip.Addr, uint16, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return netip.Addr{}, 0, false
	}
	port, err := strconv.ParseUint(s[i+1:], 10, 16)
	if err != nil {
		return netip.Addr{}, 0, false
	}
	host := strings.Trim(s[:i], "[]")
	if host == "*" {
		return netip.IPv6Unspecified(), uint16(port), true
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, 0, false
	}
	return addr, uint16(port), true
}

// psCommand is a process's command line as ps shows it; empty if ps
// cannot tell.
func psCommand(ctx context.Context, pid int) string {
	out, err := exec.CommandContext(ctx, "ps", "-o", "command=", "-p", strconv.Itoa(pid)).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
