package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio"
)

// clientListEvery is how often a member list is re-read while traffic flows;
// arrivals and departures refresh it at once.
const clientListEvery = 250 * time.Millisecond

// memberList is the list beside the log of a session that serves many peers at
// once — a TCP server's clients, a relay's pairs: row 0 stands for all of them,
// then a row per member with its counters. Picking a member filters the log to it
// and arms Disconnect; picking row 0 shows everyone again. UI goroutine only.
type memberList[T any] struct {
	widget        *widget.List
	disconnectBtn *widget.Button

	items      []T
	listedAt   time.Time
	selectedID uint64 // 0 = all

	id         func(T) uint64
	allRow     func(n int) string // row 0, given how many members there are
	row        func(T) string
	load       func() []T      // the members now; nil when the session is stopped
	onChoose   func(id uint64) // a member (or 0, all) was picked
	disconnect func(id uint64) // Disconnect was pressed with member id picked
	onChange   func()          // members came or went
}

// newMemberList builds the list; its rows have lines lines of text (the template
// sets every row's height).
func newMemberList[T any](m *memberList[T], lines int) *memberList[T] {
	m.widget = widget.NewList(
		func() int { return len(m.items) + 1 },
		func() fyne.CanvasObject {
			l := widget.NewLabel(strings.Repeat("\n", lines-1))
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(m.rowText(id)) },
	)
	m.widget.OnSelected = m.selectRow
	m.disconnectBtn = widget.NewButton(tr("Disconnect selected"), m.disconnectSelected)
	m.disconnectBtn.Disable()
	return m
}

// rowText is row id of the list; row 0 is all members.
func (m *memberList[T]) rowText(id widget.ListItemID) string {
	if id == 0 {
		return m.allRow(len(m.items))
	}
	if id-1 >= len(m.items) {
		return ""
	}
	return m.row(m.items[id-1])
}

// watch refreshes the list when members come, connect or go, and now and then
// while their counters move. It is a session's onEvents.
func (m *memberList[T]) watch(batch []netio.Event) {
	for _, e := range batch {
		switch e.Kind {
		case netio.EventAccepted, netio.EventConnected, netio.EventClosed:
			m.refresh()
			m.onChange()
			return
		}
	}
	if time.Since(m.listedAt) >= clientListEvery {
		m.refresh()
	}
}

// refresh reads the members again; a picked member that left gives way to all.
func (m *memberList[T]) refresh() {
	m.listedAt = time.Now()
	m.items = m.load()
	if m.selectedID != 0 && m.indexOf(m.selectedID) < 0 {
		m.choose(0)
		m.widget.Select(0)
	}
	m.widget.Refresh()
}

func (m *memberList[T]) indexOf(id uint64) int {
	for i, it := range m.items {
		if m.id(it) == id {
			return i
		}
	}
	return -1
}

// selected is the picked member, if one is.
func (m *memberList[T]) selected() (T, bool) {
	var zero T
	if i := m.indexOf(m.selectedID); m.selectedID != 0 && i >= 0 {
		return m.items[i], true
	}
	return zero, false
}

func (m *memberList[T]) selectRow(row widget.ListItemID) {
	if row == 0 || row-1 >= len(m.items) {
		m.choose(0)
		return
	}
	m.choose(m.id(m.items[row-1]))
}

func (m *memberList[T]) choose(id uint64) {
	m.selectedID = id
	if id == 0 {
		m.disconnectBtn.Disable()
	} else {
		m.disconnectBtn.Enable()
	}
	m.onChoose(id)
}

func (m *memberList[T]) disconnectSelected() {
	if m.selectedID == 0 {
		return
	}
	m.disconnect(m.selectedID)
	m.refresh()
}
