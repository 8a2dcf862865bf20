package portowner

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

// Tables laid out as iphlpapi.h declares the rows, built by hand.
func TestParseOwnerTables(t *testing.T) {
	le := binary.LittleEndian
	port := func(p uint16) []byte { return []byte{byte(p >> 8), byte(p), 0, 0} } // network order in a DWORD
	dword := func(v uint32) []byte { return le.AppendUint32(nil, v) }
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	v6 := netip.MustParseAddr("::1").As16()
	any6 := netip.IPv6Unspecified().As16()

	tcp4 := cat(dword(2),
		dword(2), []byte{127, 0, 0, 1}, port(8080), []byte{0, 0, 0, 0}, port(0), dword(1234), // LISTEN
		dword(mibTCPStateTimeWait), []byte{127, 0, 0, 1}, port(8080), []byte{127, 0, 0, 1}, port(5000), dword(0))
	tcp6 := cat(dword(1), v6[:], dword(0), port(8080), any6[:], dword(0), port(0), dword(2), dword(4321))
	udp4 := cat(dword(1), []byte{0, 0, 0, 0}, port(53), dword(99))
	udp6 := cat(dword(1), any6[:], dword(0), port(53), dword(98))

	want := netip.MustParseAddrPort("127.0.0.1:8080")
	rows, err := parseOwnerTable(tcp4, "tcp", false)
	if err != nil {
		t.Fatal(err)
	}
	pids, timeWait := holdingPIDs(rows, want)
	if len(pids) != 1 || pids[0] != 1234 || !timeWait {
		t.Errorf("tcp4: pids %v, TIME_WAIT %v; want [1234] and a TIME_WAIT row", pids, timeWait)
	}
	rows, err = parseOwnerTable(tcp6, "tcp", true)
	if err != nil || len(rows) != 1 || rows[0] != (tableRow{addr: netip.MustParseAddr("::1"), port: 8080, state: 2, pid: 4321}) {
		t.Errorf("tcp6: %+v %v", rows, err)
	}
	rows, err = parseOwnerTable(udp4, "udp", false)
	if err != nil || len(rows) != 1 || rows[0] != (tableRow{addr: netip.IPv4Unspecified(), port: 53, pid: 99}) {
		t.Errorf("udp4: %+v %v", rows, err)
	}
	rows, err = parseOwnerTable(udp6, "udp", true)
	if err != nil || len(rows) != 1 || rows[0] != (tableRow{addr: netip.IPv6Unspecified(), port: 53, pid: 98}) {
		t.Errorf("udp6: %+v %v", rows, err)
	}
	if _, err := parseOwnerTable(dword(3), "udp", false); err == nil {
		t.Error("a table claiming rows it does not hold: no error")
	}
}
