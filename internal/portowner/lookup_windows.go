package portowner

import (
	"fmt"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The IP Helper API's extended tables give every socket with its owning
// PID, to any user; the process's name comes from a ToolHelp snapshot,
// which also needs no privilege. Only the executable's path (in Command)
// needs the right to open the process.
var (
	iphlpapi                = windows.NewLazySystemDLL("iphlpapi.dll")
	procGetExtendedTcpTable = iphlpapi.NewProc("GetExtendedTcpTable")
	procGetExtendedUdpTable = iphlpapi.NewProc("GetExtendedUdpTable")
)

const (
	tcpTableOwnerPIDAll = 5 // TCP_TABLE_OWNER_PID_ALL
	udpTableOwnerPID    = 1 // UDP_TABLE_OWNER_PID
)

func lookup(proto string, want netip.AddrPort) ([]Process, error) {
	proc, class := procGetExtendedTcpTable, uintptr(tcpTableOwnerPIDAll)
	if proto == "udp" {
		proc, class = procGetExtendedUdpTable, udpTableOwnerPID
	}
	if err := proc.Find(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	var pids []uint32
	sawTimeWait := false
	for _, family := range []struct {
		af uint32
		v6 bool
	}{{windows.AF_INET, false}, {windows.AF_INET6, true}} {
		b, err := extendedTable(proc, family.af, class)
		if err != nil {
			return nil, err
		}
		rows, err := parseOwnerTable(b, proto, family.v6)
		if err != nil {
			return nil, err
		}
		p, tw := holdingPIDs(rows, want)
		pids = append(pids, p...)
		sawTimeWait = sawTimeWait || tw
	}
	if len(pids) == 0 {
		if sawTimeWait {
			return nil, fmt.Errorf("%w: only closed connections waiting out TIME_WAIT use it", ErrNoSocket)
		}
		return nil, ErrNoSocket
	}
	names := processNames()
	var out []Process
	for _, pid := range pids {
		out = addUnique(out, Process{PID: int(pid), Name: names[pid], Command: imagePath(pid)})
	}
	return out, nil
}

// extendedTable calls GetExtended{Tcp,Udp}Table, growing the buffer while
// the table grows between the calls.
func extendedTable(proc *windows.LazyProc, af uint32, class uintptr) ([]byte, error) {
	size := uint32(4096)
	for range 8 {
		buf := make([]byte, size)
		r, _, _ := proc.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)), 0, uintptr(af), class, 0)
		switch windows.Errno(r) {
		case 0:
			return buf, nil
		case windows.ERROR_INSUFFICIENT_BUFFER:
			size += 4096 // room for sockets opened meanwhile
			continue
		default:
			return nil, fmt.Errorf("%s: %w", proc.Name, windows.Errno(r))
		}
	}
	return nil, fmt.Errorf("%s: the table kept growing", proc.Name)
}

// processNames maps every PID to its executable's name.
func processNames() map[uint32]string {
	names := map[uint32]string{}
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return names
	}
	defer windows.CloseHandle(snap)
	var e windows.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		names[e.ProcessID] = windows.UTF16ToString(e.ExeFile[:])
	}
	return names // ends with ERROR_NO_MORE_FILES, or early with what it had
}

// imagePath is the full path of a process's executable, or "" when this
// user may not open the process.
func imagePath(pid uint32) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if err := windows.QueryFullProcessImageName(h, 0, &buf[0], &n); err != nil {
		return ""
	}
	return windows.UTF16ToString(buf[:n])
}
