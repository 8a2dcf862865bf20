package portowner

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// The rows of the IP Helper API's extended tables (iphlpapi.h), as
// GetExtendedTcpTable and GetExtendedUdpTable return them: a DWORD count,
// then the rows. Ports are in network byte order in the low 16 bits of a
// DWORD; states and PIDs are little-endian DWORDs. Parsed here, apart
// from the calls, so they can be tested on any system.
const (
	tcpRowOwnerPIDLen  = 24 // MIB_TCPROW_OWNER_PID
	tcp6RowOwnerPIDLen = 56 // MIB_TCP6ROW_OWNER_PID
	udpRowOwnerPIDLen  = 12 // MIB_UDPROW_OWNER_PID
	udp6RowOwnerPIDLen = 28 // MIB_UDP6ROW_OWNER_PID

	mibTCPStateTimeWait = 11
)

// tableRow is one socket of an extended table.
type tableRow struct {
	addr  netip.Addr
	port  uint16
	state uint32 // TCP only
	pid   uint32
}

// parseOwnerTable reads a MIB_{TCP,TCP6,UDP,UDP6}TABLE_OWNER_PID.
func parseOwnerTable(b []byte, proto string, v6 bool) ([]tableRow, error) {
	le := binary.LittleEndian
	if len(b) < 4 {
		return nil, fmt.Errorf("table of %d bytes has no row count", len(b))
	}
	n := int(le.Uint32(b))
	size := map[[2]bool]int{
		{false, false}: tcpRowOwnerPIDLen, {false, true}: tcp6RowOwnerPIDLen,
		{true, false}: udpRowOwnerPIDLen, {true, true}: udp6RowOwnerPIDLen,
	}[[2]bool{proto == "udp", v6}]
	if 4+n*size > len(b) {
		return nil, fmt.Errorf("table claims %d rows of %d bytes in %d bytes", n, size, len(b))
	}
	port := func(r []byte) uint16 { return binary.BigEndian.Uint16(r) }
	rows := make([]tableRow, 0, n)
	for i := 0; i < n; i++ {
		r := b[4+i*size : 4+(i+1)*size]
		var row tableRow
		switch {
		case proto == "tcp" && !v6:
			row = tableRow{addr: netip.AddrFrom4([4]byte(r[4:8])), port: port(r[8:]), state: le.Uint32(r[0:]), pid: le.Uint32(r[20:])}
		case proto == "tcp":
			row = tableRow{addr: netip.AddrFrom16([16]byte(r[0:16])), port: port(r[20:]), state: le.Uint32(r[48:]), pid: le.Uint32(r[52:])}
		case !v6:
			row = tableRow{addr: netip.AddrFrom4([4]byte(r[0:4])), port: port(r[4:]), pid: le.Uint32(r[8:])}
		default:
			row = tableRow{addr: netip.AddrFrom16([16]byte(r[0:16])), port: port(r[20:]), pid: le.Uint32(r[24:])}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// holdingPIDs picks the PIDs of rows that hold the wanted port, leaving
// out connections in TIME_WAIT (PID 0, no process).
func holdingPIDs(rows []tableRow, want netip.AddrPort) (pids []uint32, timeWait bool) {
	for _, r := range rows {
		if !conflicts(r.addr, r.port, want) {
			continue
		}
		if r.state == mibTCPStateTimeWait || r.pid == 0 {
			timeWait = true
			continue
		}
		pids = append(pids, r.pid)
	}
	return pids, timeWait
}
