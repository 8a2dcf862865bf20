package logview

import (
	"fmt"
	"iter"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/layers"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// The log saved for Wireshark: its events as the frames that carried them
// (layers.PcapSink), written to a temporary file renamed into place when
// complete. The file's comment says the packets are reconstructed from the
// socket's events, not captured.

// showSaveMenu shows saveMenu under the save button.
func (v *View) showSaveMenu() {
	c := fyne.CurrentApp().Driver().CanvasForObject(v.saveBtn)
	if c == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.saveBtn)
	widget.ShowPopUpMenuAtPosition(v.saveMenu(), c, pos.AddXY(0, v.saveBtn.Size().Height))
}

// saveMenu offers the ways to save: the log as text or CSV, the log as
// pcapng, the selected rows as pcapng (while rows are selected).
func (v *View) saveMenu() *fyne.Menu {
	selected := fyne.NewMenuItem(tr("Save selected rows as pcapng…"), func() { v.showPcapDialog(true) })
	_, _, some := v.selectedRange()
	selected.Disabled = !some
	return fyne.NewMenu("",
		fyne.NewMenuItem(tr("Save as text or CSV…"), v.showSaveDialog),
		fyne.NewMenuItem(tr("Save as pcapng…"), func() { v.showPcapDialog(false) }),
		selected)
}

// showPcapDialog asks where to save the log (or its selected rows) as pcapng.
func (v *View) showPcapDialog(selectedOnly bool) {
	if v.win == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.setNotice("⚠ " + trf("Save failed: %s", charset.DisplayText(err.Error())))
			return
		}
		if w == nil {
			return
		}
		// The file is written beside the chosen one and renamed into place
		// when complete; the dialog's own writer is not used.
		u := w.URI()
		w.Close()
		if u.Scheme() != "file" {
			v.setNotice("⚠ " + trf("Save failed: %s", trf("%s is not a file on this computer", u.String())))
			return
		}
		v.savePcap(u.Path(), selectedOnly)
	}, v.win)
	d.SetFileName("sockdesk-" + time.Now().Format("20060102-150405") + ".pcapng")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pcapng"}))
	d.Show()
}

// savePcap writes the log's events (or the selected rows') that the list
// shows to path as pcapng and says how it went in the status line. It runs on
// the UI goroutine.
func (v *View) savePcap(path string, selectedOnly bool) {
	events, what := v.savedEvents(), "every row the log showed"
	if selectedOnly {
		events, what = v.selectedEvents(), "the rows selected in the log"
	}
	n, err := writePcap(path, events, "Saved from Sockdesk's log: "+what+".")
	name := filepath.Base(path)
	if err != nil {
		v.setNotice("⚠ " + trf("Save failed: %s", charset.DisplayText(err.Error())))
		return
	}
	v.setNotice(trf("Saved %s packets to %s (reconstructed from the socket's events, not captured)", i18n.GroupDigits(uint64(n)), charset.DisplayText(name)))
}

// writePcap writes events to a new pcapng file at path, renamed into place
// once complete, and returns how many packets it holds. An event that cannot
// be drawn (its addresses unreadable) fails the save; nothing is left at
// path then but what was there.
func writePcap(path string, events iter.Seq[netio.Event], comment string) (int, error) {
	w, err := pcapng.Create(path, pcapng.Options{Comment: comment, LinkFor: layers.LinkFor})
	if err != nil {
		return 0, err
	}
	sink := layers.NewPcapSink(w)
	for e := range events {
		sink.Emit(e)
	}
	if err := sink.Err(); err != nil {
		sink.Abort()
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if err := sink.Close(); err != nil {
		return 0, err
	}
	return w.Packets(), nil
}
