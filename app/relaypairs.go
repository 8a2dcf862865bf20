package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sockdesk/netio"
)

// relayPairList is a relay's list of pairs (client ↔ target, since, bytes each
// way) with Disconnect. Row 0 is "All pairs"; picking a pair filters the log to it.
// UI goroutine only.
type relayPairList struct {
	p             *relayPanel
	widget        *widget.List
	disconnectBtn *widget.Button
	object        fyne.CanvasObject

	list       []netio.RelayPair
	listedAt   time.Time
	selectedID uint64 // 0 = all pairs
}

func newRelayPairList(p *relayPanel) *relayPairList {
	l := &relayPairList{p: p}
	l.widget = widget.NewList(
		func() int { return len(l.list) + 1 },
		func() fyne.CanvasObject {
			// Two lines (who, then how much), so that a narrow list still shows
			// the bytes; the template's text sets every row's height.
			lb := widget.NewLabel("\n")
			lb.Truncation = fyne.TextTruncateEllipsis
			return lb
		},
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(l.row(id)) },
	)
	l.widget.OnSelected = l.selectRow
	l.disconnectBtn = widget.NewButton(tr("Disconnect selected"), l.disconnectSelected)
	l.disconnectBtn.Disable()
	title := widget.NewLabelWithStyle(tr("Pairs"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.object = container.NewBorder(title, l.disconnectBtn, nil, nil, l.widget)
	return l
}

func (l *relayPairList) Object() fyne.CanvasObject { return l.object }

// row is row id of the list; row 0 is "All pairs". A pair's row reads
//
//	#1 127.0.0.1:45800 → 127.0.0.1:9000
//	since 15:04:05 · → 33 B · ← 12 B
func (l *relayPairList) row(id widget.ListItemID) string {
	if id == 0 {
		return trf("All pairs (%d)", len(l.list))
	}
	if id-1 >= len(l.list) {
		return ""
	}
	c := l.list[id-1]
	return trf("#%d %s → %s", c.ID, c.Client, c.Target) + "\n" +
		trf("since %s · → %s · ← %s", c.Since.Format("15:04:05"),
			formatBytes(float64(c.Stats.BytesIn)), formatBytes(float64(c.Stats.BytesOut)))
}

// watch refreshes the list when pairs come, connect or go, and now and then while
// their counters move.
func (l *relayPairList) watch(batch []netio.Event) {
	for _, e := range batch {
		switch e.Kind {
		case netio.EventAccepted, netio.EventConnected, netio.EventClosed:
			l.refresh()
			l.p.changed()
			return
		}
	}
	if time.Since(l.listedAt) >= clientListEvery {
		l.refresh()
	}
}

func (l *relayPairList) refresh() {
	l.listedAt = time.Now()
	if l.p.relay == nil {
		l.list = nil
	} else {
		l.list = l.p.relay.Pairs()
	}
	if l.selectedID != 0 && l.indexOf(l.selectedID) < 0 {
		l.choose(0) // the selected pair is gone
		l.widget.Select(0)
	}
	l.widget.Refresh()
}

func (l *relayPairList) indexOf(id uint64) int {
	for i, c := range l.list {
		if c.ID == id {
			return i
		}
	}
	return -1
}

func (l *relayPairList) selectRow(row widget.ListItemID) {
	if row == 0 || row-1 >= len(l.list) {
		l.choose(0)
		return
	}
	l.choose(l.list[row-1].ID)
}

// choose makes one pair (or all, for 0) the log filter and Disconnect's target.
func (l *relayPairList) choose(id uint64) {
	l.selectedID = id
	l.p.log.SetClientFilter(id)
	if id == 0 {
		l.disconnectBtn.Disable()
	} else {
		l.disconnectBtn.Enable()
	}
}

func (l *relayPairList) disconnectSelected() {
	if l.p.relay == nil || l.selectedID == 0 {
		return
	}
	l.p.setError(l.p.relay.Disconnect(l.selectedID))
	l.refresh()
}
