package logview

import (
	"errors"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/checksum"
)

// drawnRows are the list's visible rows as drawn: text and colour, top to bottom.
func drawnRows(v *View) (texts []string, colors []color.Color) {
	for _, o := range test.LaidOutObjects(v.list) {
		if tx, ok := o.(*canvas.Text); ok && tx.Visible() && tx.Text != "" && tx.TextStyle.Monospace {
			texts = append(texts, tx.Text)
			colors = append(colors, tx.Color)
		}
	}
	return texts, colors
}

// Sent, received, status and error rows are drawn in four different theme
// colours, in the light and the dark theme, with their glyphs kept.
func TestLogViewRowTones(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	bad := &checksum.Result{Name: "crc16-modbus", OK: false}
	v.Append([]netio.Event{
		dataEvent(netio.EventSent, 0, testPeer, []byte("ping"), "ping"),
		dataEvent(netio.EventReceived, 1, testPeer, []byte("pong"), "pong"),
		{Time: logT0, Kind: netio.EventAccepted, Proto: "tcp", Local: "127.0.0.1:7788", Peer: testPeer},
		{Time: logT0, Kind: netio.EventError, Proto: "tcp", Peer: testPeer, Err: errors.New("boom")},
	})
	badRow := dataEvent(netio.EventReceived, 2, testPeer, []byte("xx"), "xx")
	badRow.Check = bad
	v.Append([]netio.Event{badRow})
	texts, colors := drawnRows(v)
	if len(texts) != 5 {
		t.Fatalf("drawn rows %q", texts)
	}
	want := []fyne.ThemeColorName{theme.ColorNamePrimary, theme.ColorNameForeground, theme.ColorNamePlaceHolder, theme.ColorNameError, theme.ColorNameError}
	glyphs := []string{" → ", " ← ", " • ", " ⚠ ", " ← "}
	seen := map[color.Color]bool{}
	for i := range texts {
		if !strings.Contains(texts[i], glyphs[i]) {
			t.Errorf("row %q lacks %q", texts[i], glyphs[i])
		}
		if c := theme.ColorForWidget(want[i], v.list); colors[i] != c {
			t.Errorf("row %q drawn in %v, want %s %v", texts[i], colors[i], want[i], c)
		}
		seen[colors[i]] = true
	}
	if len(seen) != 4 {
		t.Errorf("%d distinct colours for four tones", len(seen))
	}
	// In the app's theme, light and dark, the four differ from each other and
	// from the background.
	for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := theme.DefaultTheme()
		seen := map[color.Color]bool{th.Color(theme.ColorNameBackground, variant): true}
		for _, name := range toneColors {
			seen[th.Color(name, variant)] = true
		}
		if len(seen) != len(toneColors)+1 {
			t.Errorf("variant %v: the tones' colours are not distinct from each other and the background", variant)
		}
	}
}

// Who closed is said from the session's side.
func TestLogViewClosedBySide(t *testing.T) {
	v, _, _ := newTestLogView(t, 100)
	closed := func(r netio.CloseReason) []netio.Event {
		return []netio.Event{{Time: logT0, Kind: netio.EventClosed, Proto: "tcp", Local: "127.0.0.1:40000", Peer: "127.0.0.1:9000", Reason: r}}
	}
	v.Append(closed(netio.ReasonPeerClosed))
	v.Append(closed(netio.ReasonReset))
	v.Append(closed(netio.ReasonLocal))
	for _, c := range []struct {
		side Side
		want []string
	}{
		{SideClient, []string{"server closed", "connection reset by the server", "closed here"}},
		{SideServer, []string{"client closed", "connection reset by the client", "closed here"}},
		{SideNone, []string{"peer closed", "connection reset by peer", "closed here"}},
	} {
		v.SetSide(c.side)
		lines := v.Lines()
		for i, w := range c.want {
			if !strings.HasSuffix(lines[i], "] "+w) {
				t.Errorf("side %v: %q, want %q", c.side, lines[i], w)
			}
		}
	}
	// The filter finds what the rows say.
	v.SetSide(SideClient)
	v.filterEntry.SetText("server closed")
	if n := len(v.Lines()); n != 1 {
		t.Errorf("filter found %d rows", n)
	}
}

// A following view is at the bottom right after its list changes size, before any
// new event: the window growing and shrinking, a pane opening beside it.
func TestLogViewFollowsWhileResized(t *testing.T) {
	v, _, w := newTestLogView(t, 1000)
	v.Append(numbered(0, 300))
	for _, size := range []fyne.Size{{Width: 900, Height: 250}, {Width: 600, Height: 700}, {Width: 900, Height: 200}, {Width: 400, Height: 500}} {
		w.Resize(size)
		if !v.atBottom() {
			t.Errorf("at %v the view left the bottom", size)
		}
	}
	// Not when the user has scrolled up.
	v.list.ScrollToOffset(100)
	w.Resize(fyne.NewSize(900, 300))
	if v.atBottom() {
		t.Error("a resize scrolled a view the user had scrolled up")
	}
}

// RowsShown counts the whole rows the list has room for.
func TestLogViewRowsShown(t *testing.T) {
	v, _, w := newTestLogView(t, 100)
	w.Resize(fyne.NewSize(900, 500))
	h := v.list.Size().Height
	n := v.RowsShown()
	step := v.rowStep()
	if float32(n)*step-v.list.Theme().Size(theme.SizeNamePadding) > h || float32(n+1)*step-v.list.Theme().Size(theme.SizeNamePadding) <= h {
		t.Errorf("%d rows of %.1f in %.1f", n, step, h)
	}
}
