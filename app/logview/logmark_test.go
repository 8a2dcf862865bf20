package logview

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/netio"
)

// drawnMarks are the texts of the rows the list has drawn, each with whether
// its mark's bar is showing.
func drawnMarks(v *View) map[string]bool {
	out := map[string]bool{}
	for _, o := range test.LaidOutObjects(v.list) {
		row, ok := o.(*fyne.Container)
		if !ok || len(row.Objects) != 3 {
			continue
		}
		if _, ok := row.Layout.(logRowLayout); !ok || !row.Visible() {
			continue
		}
		text := row.Objects[1].(*canvas.Text).Text
		if text != "" {
			out[text] = row.Objects[2].Visible()
		}
	}
	return out
}

// A mark picks events by what they are (here: received within a time range, as
// a sequence's failed step marks what arrived while it waited): their rows get
// the bar, the others not, whatever the mode; a nil mark takes it away.
func TestLogViewMarksRows(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	v.Append([]netio.Event{
		dataEvent(netio.EventSent, 0, testPeer, []byte("LOGIN\r\n"), "LOGIN\r\n"),
		dataEvent(netio.EventReceived, 5, testPeer, []byte("OK\r\n"), "OK\r\n"),
		dataEvent(netio.EventSent, 10, testPeer, []byte("READ\r\n"), "READ\r\n"),
		dataEvent(netio.EventReceived, 15, testPeer, []byte("ERR 7\r\n"), "ERR 7\r\n"),
		dataEvent(netio.EventReceived, 20, testPeer, []byte("ERR 8\r\n"), "ERR 8\r\n"),
	})
	from, to := logT0.Add(12*time.Millisecond), logT0.Add(30*time.Millisecond)
	v.SetMark(func(e *netio.Event) bool {
		return e.Kind == netio.EventReceived && !e.Time.Before(from) && !e.Time.After(to)
	})
	marked := v.MarkedLines()
	if len(marked) != 2 || !strings.Contains(marked[0], "ERR 7") || !strings.Contains(marked[1], "ERR 8") {
		t.Fatalf("marked rows %q", marked)
	}
	drawn := drawnMarks(v)
	if len(drawn) != 5 {
		t.Fatalf("drawn rows %v", drawn)
	}
	for text, bar := range drawn {
		if want := strings.Contains(text, "ERR"); bar != want {
			t.Errorf("row %q: mark shown %v, want %v", text, bar, want)
		}
	}

	// In the hex mode every row of a marked event is marked, the dump too.
	v.modeSelect.SetSelectedIndex(int(logModeTextHex))
	if got := len(v.MarkedLines()); got != 4 {
		t.Errorf("text+hex: %d marked rows, want 2 headlines and 2 dump rows: %q", got, v.MarkedLines())
	}
	v.modeSelect.SetSelectedIndex(int(logModeText))

	if !v.ShowMarked() || v.follow {
		t.Errorf("ShowMarked: following %v", v.follow)
	}
	v.SetMark(nil)
	if got := v.MarkedLines(); got != nil {
		t.Errorf("after SetMark(nil): %q", got)
	}
	for text, bar := range drawnMarks(v) {
		if bar {
			t.Errorf("row %q still marked", text)
		}
	}
	if v.ShowMarked() {
		t.Error("ShowMarked with no mark")
	}
}
