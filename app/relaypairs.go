package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio"
)

// newRelayPairs is a relay's list of pairs (client → target, since, bytes each
// way) with Disconnect. Row 0 is "All pairs"; picking a pair filters the log to it.
// A pair's row reads, on two lines (so that a narrow list still shows the bytes),
//
//	#1 127.0.0.1:45800 → 127.0.0.1:9000
//	since 15:04:05 · → 33 B · ← 12 B
func newRelayPairs(p *relayPanel) *memberList[netio.RelayPair] {
	return newMemberList(&memberList[netio.RelayPair]{
		id:     func(c netio.RelayPair) uint64 { return c.ID },
		allRow: func(n int) string { return trf("All pairs (%d)", n) },
		row: func(c netio.RelayPair) string {
			return trf("#%d %s → %s", c.ID, c.Client, c.Target) + "\n" +
				trf("since %s · → %s · ← %s", c.Since.Format("15:04:05"),
					formatBytes(float64(c.Stats.BytesIn)), formatBytes(float64(c.Stats.BytesOut)))
		},
		load: func() []netio.RelayPair {
			if p.relay == nil {
				return nil
			}
			return p.relay.Pairs()
		},
		onChoose: p.log.SetClientFilter,
		disconnect: func(id uint64) {
			if p.relay != nil {
				p.setError(p.relay.Disconnect(id))
			}
		},
		onChange: p.changed,
	}, 2)
}

// relayPairsObject is the pair list with its title and Disconnect button.
func relayPairsObject(m *memberList[netio.RelayPair]) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(tr("Pairs"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(title, m.disconnectBtn, nil, nil, m.widget)
}
