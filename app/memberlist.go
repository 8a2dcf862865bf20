package app

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio"
)

// clientListEvery is how often a member table is re-read while traffic flows;
// arrivals and departures refresh it at once.
const clientListEvery = 250 * time.Millisecond

// memberColumn is one column of a member table: its title and what a member
// shows in it. Numbers are right-aligned.
type memberColumn[T any] struct {
	title   func() string
	cell    func(T) string
	numeric bool
}

// memberList is the table of a session that serves many peers at once — a TCP
// server's clients, a relay's pairs — in the connection pane beside the log: row 0
// stands for all of them, then a row per member with its counters, each column as
// wide as what it shows (the table scrolls sideways rather than cut a number).
// Picking a member filters the log to it and arms Disconnect; picking row 0 shows
// everyone again. UI goroutine only.
type memberList[T any] struct {
	table         *widget.Table
	object        fyne.CanvasObject
	disconnectBtn *widget.Button

	items      []T
	listedAt   time.Time
	selectedID uint64 // 0 = all
	widths     []float32
	longest    []int // per column, the most bytes a cell measured so far had

	columns    []memberColumn[T]
	id         func(T) uint64
	allRow     func(n int) string // row 0's first cell, given how many members there are
	load       func() []T         // the members now; nil when the session is stopped
	onChoose   func(id uint64)    // a member (or 0, all) was picked
	disconnect func(id uint64)    // Disconnect was pressed with member id picked
	onChange   func()             // members came or went
	onWiden    func()             // a column grew: the pane may fit the table again
}

// newMemberList builds the table.
func newMemberList[T any](m *memberList[T]) *memberList[T] {
	m.widths = make([]float32, len(m.columns))
	m.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(m.items) + 1, len(m.columns) },
		newMemberCell,
		func(id widget.TableCellID, o fyne.CanvasObject) { m.updateCell(id, o) },
	)
	m.table.ShowHeaderColumn = false
	m.table.CreateHeader = newMemberCell
	m.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(m.columns) {
			setMemberCell(o, m.columns[id.Col].title(), false, true, m.columns[id.Col].numeric)
		}
	}
	m.table.HideSeparators = true
	m.table.OnSelected = m.selectCell
	m.disconnectBtn = widget.NewButtonWithIcon("", theme.CancelIcon(), m.disconnectSelected)
	m.disconnectBtn.Disable()
	m.object = container.New(&memberTableLayout{width: m.width}, m.table)
	m.fitColumns()
	return m
}

// minMemberRows is how many member rows (and the header) the table asks room for.
const minMemberRows = 6

// memberTableLayout asks room for the table with every column whole and
// minMemberRows rows under its header: the pane beside the log is fitted to it.
type memberTableLayout struct{ width func() float32 }

func (l *memberTableLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	row := fyne.MeasureText("Hg", theme.TextSize(), fyne.TextStyle{}).Height + 2*memberCellPadding
	return fyne.NewSize(l.width(), (minMemberRows+1)*(row+theme.Padding()))
}

func (l *memberTableLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// newMemberCell is a cell: a selection background behind one line of text, with
// half a label's padding so that six rows fit beside the settings.
func newMemberCell() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	text := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	return container.New(memberCellLayout{}, bg, text)
}

func setMemberCell(o fyne.CanvasObject, text string, selected, header, numeric bool) {
	c := o.(*fyne.Container)
	bg := c.Objects[0].(*canvas.Rectangle)
	t := c.Objects[1].(*canvas.Text)
	fill := color.Color(color.Transparent)
	if selected {
		fill = theme.Color(theme.ColorNameSelection)
	}
	if bg.FillColor != fill {
		bg.FillColor = fill
		bg.Refresh()
	}
	align := fyne.TextAlignLeading
	if numeric {
		align = fyne.TextAlignTrailing
	}
	fg := theme.Color(theme.ColorNameForeground)
	if t.Text != text || t.TextStyle.Bold != header || t.Alignment != align || t.Color != fg {
		t.Text, t.TextStyle.Bold, t.Alignment, t.Color = text, header, align, fg
		t.Refresh()
	}
}

// memberCellPadding is the space around a cell's text.
const memberCellPadding = 4

// memberCellLayout puts the text memberCellPadding in from every side.
type memberCellLayout struct{}

func (memberCellLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return objects[1].MinSize().Add(fyne.NewSquareSize(2 * memberCellPadding))
}

func (memberCellLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
	objects[1].Move(fyne.NewPos(memberCellPadding, memberCellPadding))
	objects[1].Resize(fyne.NewSize(max(size.Width-2*memberCellPadding, 0), size.Height-2*memberCellPadding))
}

// cellText is the text of a cell; row 0 is all members.
func (m *memberList[T]) cellText(row, col int) string {
	if row == 0 {
		if col == 0 {
			return m.allRow(len(m.items))
		}
		return ""
	}
	if row-1 >= len(m.items) || col < 0 || col >= len(m.columns) {
		return ""
	}
	return m.columns[col].cell(m.items[row-1])
}

// rowText is a row's cells, joined (tests read it).
func (m *memberList[T]) rowText(row int) string {
	s := ""
	for c := range m.columns {
		if t := m.cellText(row, c); t != "" {
			if s != "" {
				s += " · "
			}
			s += t
		}
	}
	return s
}

func (m *memberList[T]) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	selected := (id.Row == 0 && m.selectedID == 0) || (id.Row > 0 && id.Row-1 < len(m.items) && m.id(m.items[id.Row-1]) == m.selectedID)
	setMemberCell(o, m.cellText(id.Row, id.Col), selected, false, id.Col < len(m.columns) && m.columns[id.Col].numeric)
}

// fitColumns widens each column to what it shows, header included; columns only
// grow while members come and go, so the table does not jump about. Only cells at
// least as long as the longest measured before are measured (a server may list
// thousands of clients, re-read four times a second); digits are about as wide as
// each other, and the little air added covers the rest.
func (m *memberList[T]) fitColumns() {
	pad := float32(2*memberCellPadding + 2) // the text's padding, and a little air
	size := theme.TextSize()
	changed := false
	if len(m.longest) != len(m.columns) {
		m.longest = make([]int, len(m.columns))
	}
	for c, col := range m.columns {
		w := fyne.MeasureText(col.title(), size, fyne.TextStyle{Bold: true}).Width
		for r := 0; r <= len(m.items); r++ {
			text := m.cellText(r, c)
			if len(text) < m.longest[c] {
				continue
			}
			m.longest[c] = len(text)
			w = max(w, fyne.MeasureText(text, size, fyne.TextStyle{}).Width)
		}
		if w += pad; w > m.widths[c] {
			m.widths[c] = w
			m.table.SetColumnWidth(c, w)
			changed = true
		}
	}
	if changed {
		m.table.Refresh()
		if m.onWiden != nil {
			m.onWiden()
		}
	}
}

// width is the table's width with every column whole, the dividers between
// them included.
func (m *memberList[T]) width() float32 {
	w := float32(0)
	for _, c := range m.widths {
		w += c + theme.Padding()
	}
	return w
}

// relabel fits the columns to headers and cells in the UI language.
func (m *memberList[T]) relabel() {
	m.widths = make([]float32, len(m.columns))
	m.longest = nil
	m.fitColumns()
	m.table.Refresh()
}

// watch refreshes the table when members come, connect or go, and now and then
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
	}
	m.fitColumns()
	m.table.Refresh()
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

// selectRow picks row (0: all members).
func (m *memberList[T]) selectRow(row int) {
	if row <= 0 || row-1 >= len(m.items) {
		m.choose(0)
	} else {
		m.choose(m.id(m.items[row-1]))
	}
	m.table.Refresh()
}

// selectCell picks the cell's row; the table's own selection (one cell) is given
// back at once, and the row is drawn selected by updateCell.
func (m *memberList[T]) selectCell(id widget.TableCellID) {
	m.table.UnselectAll()
	m.selectRow(id.Row)
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
