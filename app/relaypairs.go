package app

import (
	"net/netip"

	"github.com/sockdesk/sockdesk/netio"
)

// newRelayPairs is a relay's table of pairs (client, its family, since, messages
// and bytes each way; the target is the relay's, in its state) with Disconnect.
// Row 0 is "All pairs"; picking a pair filters the log to it. The arrows are the
// log's: → target is what the client sent on, ← target what came back.
func newRelayPairs(p *relayPanel) *memberList[netio.RelayPair] {
	return newMemberList(&memberList[netio.RelayPair]{
		columns: []memberColumn[netio.RelayPair]{
			{title: func() string { return tr("Client") }, cell: func(c netio.RelayPair) string { return c.Client }},
			{title: func() string { return tr("Family") }, cell: func(c netio.RelayPair) string { return addrFamily(c.Client) }},
			{title: func() string { return tr("Since") }, cell: func(c netio.RelayPair) string { return c.Since.Format("15:04:05") }},
			{title: func() string { return tr("→ target") }, cell: func(c netio.RelayPair) string { return msgsAndBytes(c.Stats.MsgsIn, c.Stats.BytesIn) }, numeric: true},
			{title: func() string { return tr("← target") }, cell: func(c netio.RelayPair) string { return msgsAndBytes(c.Stats.MsgsOut, c.Stats.BytesOut) }, numeric: true},
		},
		id:     func(c netio.RelayPair) uint64 { return c.ID },
		allRow: func(n int) string { return trf("All pairs (%d)", n) },
		load: func() []netio.RelayPair {
			if p.relay == nil {
				return nil
			}
			return p.relay.Pairs()
		},
		onChoose: p.log.SetClientFilter,
		disconnect: func(id uint64) {
			if p.relay != nil {
				if err := p.relay.Disconnect(id); err != nil {
					p.setError(err)
				}
			}
		},
		onChange: p.changed,
	})
}

// addrFamily is "IPv4" or "IPv6" for a host:port (an IPv4-mapped address is IPv4).
func addrFamily(hostport string) string {
	ap, err := netip.ParseAddrPort(hostport)
	if err != nil {
		return ""
	}
	if ap.Addr().Unmap().Is4() {
		return "IPv4"
	}
	return "IPv6"
}
