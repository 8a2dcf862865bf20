package packet

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// On Linux the IPv4 neighbour (ARP) cache is plain text in /proc/net/arp; the
// IPv6 neighbour cache is only in netlink, a question to the local kernel,
// not traffic. Nothing here sends a packet.

// procARP is the file read; a variable so a test could point elsewhere.
var procARP = "/proc/net/arp"

// ARP flags from <linux/if_arp.h>.
const (
	atfComplete = 0x02
	atfPerm     = 0x04
)

// Neighbour attributes and states from <linux/neighbour.h>.
const (
	ndaDst          = 1
	ndaLLAddr       = 2
	nudIncomplete   = 0x01
	nudReachable    = 0x02
	nudStale        = 0x04
	nudDelay        = 0x08
	nudProbe        = 0x10
	nudFailed       = 0x20
	nudNoARP        = 0x40
	nudPermanent    = 0x80
	ndmsgLen        = 12
	rtattrHeaderLen = 4
)

// Neighbours reads the IPv4 and IPv6 neighbour tables. Entries still being
// resolved or failed are left out. It fails only when neither table can be
// read.
func Neighbours() ([]Neighbour, error) {
	var out []Neighbour
	b, errARP := os.ReadFile(procARP)
	if errARP == nil {
		out = append(out, parseARP(b)...)
	}
	v6, errNDP := neighboursV6()
	out = append(out, v6...)
	if errARP != nil && errNDP != nil {
		return nil, fmt.Errorf("%w: %v; IPv6 neighbours: %v", ErrNoNeighbourTable, errARP, errNDP)
	}
	return out, nil
}

// parseARP reads /proc/net/arp: IP address, HW type, flags, HW address, mask,
// device. Lines it cannot read are skipped: the cache is advisory.
func parseARP(b []byte) []Neighbour {
	var out []Neighbour
	sc := bufio.NewScanner(bytes.NewReader(b))
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if line == 1 || len(f) < 6 {
			continue // the header
		}
		ip, err1 := netip.ParseAddr(f[0])
		flags, err2 := strconv.ParseUint(strings.TrimPrefix(f[2], "0x"), 16, 32)
		mac, err3 := net.ParseMAC(f[3])
		if err1 != nil || err2 != nil || err3 != nil || flags&atfComplete == 0 || f[3] == "00:00:00:00:00:00" {
			continue
		}
		n := Neighbour{Addr: ip, MAC: mac, Interface: f[5]}
		if flags&atfPerm != 0 {
			n.State = "permanent"
		}
		out = append(out, n)
	}
	return out
}

// neighboursV6 dumps the IPv6 neighbour cache over netlink.
func neighboursV6() ([]Neighbour, error) {
	b, err := syscall.NetlinkRIB(syscall.RTM_GETNEIGH, syscall.AF_INET6)
	if err != nil {
		return nil, err
	}
	return parseNeighbours(b)
}

// parseNeighbours reads RTM_NEWNEIGH messages: a struct ndmsg (family, pad,
// ifindex, state, flags, type) followed by attributes, of which NDA_DST is the
// address and NDA_LLADDR the MAC.
func parseNeighbours(b []byte) ([]Neighbour, error) {
	msgs, err := syscall.ParseNetlinkMessage(b)
	if err != nil {
		return nil, err
	}
	var out []Neighbour
	for _, m := range msgs {
		if m.Header.Type != syscall.RTM_NEWNEIGH || len(m.Data) < ndmsgLen {
			continue
		}
		ifindex := int(int32(binary.NativeEndian.Uint32(m.Data[4:8])))
		state := binary.NativeEndian.Uint16(m.Data[8:10])
		var n Neighbour
		for a := m.Data[ndmsgLen:]; len(a) >= rtattrHeaderLen; {
			l := int(binary.NativeEndian.Uint16(a[0:2]))
			if l < rtattrHeaderLen || l > len(a) {
				break
			}
			val := a[rtattrHeaderLen:l]
			switch binary.NativeEndian.Uint16(a[2:4]) {
			case ndaDst:
				n.Addr, _ = netip.AddrFromSlice(val)
			case ndaLLAddr:
				n.MAC = net.HardwareAddr(bytes.Clone(val))
			}
			a = a[min(len(a), (l+3)&^3):]
		}
		if !n.Addr.IsValid() || len(n.MAC) == 0 || state&(nudIncomplete|nudFailed) != 0 {
			continue
		}
		n.State = neighbourState(state)
		if ifc, err := net.InterfaceByIndex(ifindex); err == nil {
			n.Interface = ifc.Name
		}
		out = append(out, n)
	}
	return out, nil
}

func neighbourState(s uint16) string {
	switch {
	case s&nudPermanent != 0:
		return "permanent"
	case s&nudNoARP != 0:
		return "no ARP needed"
	case s&nudReachable != 0:
		return "reachable"
	case s&nudStale != 0:
		return "stale"
	case s&(nudDelay|nudProbe) != 0:
		return "being checked"
	}
	return ""
}
