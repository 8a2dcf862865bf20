package portowner

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// procRoot is where the process and socket tables are; a variable so a
// test could point elsewhere.
var procRoot = "/proc"

// socketEntry is one line of /proc/net/{tcp,udp}[6].
type socketEntry struct {
	addr  netip.Addr
	port  uint16
	state int
	uid   int
	inode uint64
}

func lookup(proto string, want netip.AddrPort) ([]Process, error) {
	var held []socketEntry
	readable := 0
	for _, table := range []string{proto, proto + "6"} {
		b, err := os.ReadFile(filepath.Join(procRoot, "net", table))
		if err != nil {
			continue // no IPv6 on this host, for one
		}
		readable++
		entries, err := parseSocketTable(b)
		if err != nil {
			return nil, fmt.Errorf("/proc/net/%s: %v", table, err)
		}
		for _, e := range entries {
			if conflicts(e.addr, e.port, want) {
				held = append(held, e)
			}
		}
	}
	if readable == 0 {
		return nil, fmt.Errorf("%w: /proc/net/%s cannot be read", ErrUnsupported, proto)
	}

	inodes := map[uint64]bool{}
	uids := map[int]bool{}
	for _, e := range held {
		if e.inode != 0 {
			inodes[e.inode] = true
			uids[e.uid] = true
		}
	}
	if len(inodes) == 0 {
		// Connections in TIME_WAIT have inode 0: no process holds them.
		if len(held) > 0 {
			return nil, fmt.Errorf("%w: only closed connections waiting out TIME_WAIT use it", ErrNoSocket)
		}
		return nil, ErrNoSocket
	}
	procs := processesHolding(inodes)
	if len(procs) == 0 {
		return nil, fmt.Errorf("%w (the socket belongs to %s)", ErrNotVisible, userNames(uids))
	}
	return procs, nil
}

// parseSocketTable reads /proc/net/tcp and its kin: after a header, lines of
// "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout
// inode ...". Addresses are hex words in the kernel's byte order.
func parseSocketTable(b []byte) ([]socketEntry, error) {
	var out []socketEntry
	sc := bufio.NewScanner(bytes.NewReader(b))
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if line == 1 || len(f) == 0 {
			continue // the header
		}
		if len(f) < 10 {
			return nil, fmt.Errorf("line %d: %d fields, want at least 10", line, len(f))
		}
		addr, port, err := parseHexAddrPort(f[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: local address %q: %v", line, f[1], err)
		}
		state, err1 := strconv.ParseUint(f[3], 16, 8)
		uid, err2 := strconv.Atoi(f[7])
		inode, err3 := strconv.ParseUint(f[9], 10, 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		out = append(out, socketEntry{addr: addr, port: port, state: int(state), uid: uid, inode: inode})
	}
	return out, sc.Err()
}

// parseHexAddrPort reads "0100007F:1F90": an address as 32-bit words each
// printed in host byte order, then the port in hex.
func parseHexAddrPort(s string) (netip.Addr, uint16, error) {
	a, p, ok := strings.Cut(s, ":")
	if !ok {
		return netip.Addr{}, 0, errors.New("no port")
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return netip.Addr{}, 0, err
	}
	raw, err := hex.DecodeString(a)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.Addr{}, 0, errors.New("not an IPv4 or IPv6 address")
	}
	ip := make([]byte, len(raw))
	for i := 0; i < len(raw); i += 4 {
		binary.BigEndian.PutUint32(ip[i:], binary.NativeEndian.Uint32(raw[i:]))
	}
	addr, _ := netip.AddrFromSlice(ip)
	return addr, uint16(port), nil
}

// processesHolding walks /proc/PID/fd for links to the sockets. Processes
// whose fd directory cannot be read (another user's, unless root) are
// skipped: they cannot be told apart from processes that hold nothing.
func processesHolding(inodes map[uint64]bool) []Process {
	dirs, err := os.ReadDir(procRoot)
	if err != nil {
		return nil
	}
	var out []Process
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid <= 0 {
			continue
		}
		fdDir := filepath.Join(procRoot, d.Name(), "fd")
		fds, err := os.ReadDir(fdDir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(fdDir, fd.Name()))
			if err != nil || !strings.HasPrefix(link, "socket:[") {
				continue
			}
			inode, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]"), 10, 64)
			if err == nil && inodes[inode] {
				out = addUnique(out, describeProcess(pid))
				break
			}
		}
	}
	return out
}

func describeProcess(pid int) Process {
	p := Process{PID: pid}
	dir := filepath.Join(procRoot, strconv.Itoa(pid))
	if b, err := os.ReadFile(filepath.Join(dir, "comm")); err == nil {
		p.Name = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile(filepath.Join(dir, "cmdline")); err == nil {
		p.Command = commandLine(b)
	}
	return p
}

// userNames names the users owning sockets: "user alice (uid 1000)".
func userNames(uids map[int]bool) string {
	var names []string
	for uid := range uids {
		s := "uid " + strconv.Itoa(uid)
		if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
			s = "user " + u.Username + " (" + s + ")"
		}
		names = append(names, s)
	}
	if len(names) == 0 {
		return "an unknown user"
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// commandLine turns /proc/PID/cmdline, NUL-separated arguments, into one line.
func commandLine(raw []byte) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.TrimRight(string(raw), "\x00"), "\x00", " "))
}
