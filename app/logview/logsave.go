package logview

import (
	"bufio"
	"encoding/csv"
	"encoding/hex"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/eventlog"
)

// logCSVHeader is the first record of a saved CSV log.
var logCSVHeader = []string{"time", "direction", "peer", "bytes", "text", "hex"}

// writeLogEvents writes events to w, as CSV (logCSVHeader, then one record per
// event) or as text (eventlog.FormatLine with the date, one line each). It returns how
// many events it wrote. The CSV's header and direction column are data and stay
// English; its text column is the log's, in the UI language like the view.
func writeLogEvents(w io.Writer, events iter.Seq[netio.Event], asCSV bool, side Side) (int, error) {
	n := 0
	if asCSV {
		cw := csv.NewWriter(w)
		if err := cw.Write(logCSVHeader); err != nil {
			return 0, err
		}
		rec := make([]string, len(logCSVHeader))
		for e := range events {
			rec[0] = e.Time.Format("2006-01-02 15:04:05.000")
			rec[1] = csvDirection(e.Kind)
			rec[2] = e.Peer
			rec[3] = strconv.Itoa(len(e.Data))
			rec[4] = spreadsheetSafe(logMessage(&e, side))
			rec[5] = hex.EncodeToString(e.Data)
			if err := cw.Write(rec); err != nil {
				return n, err
			}
			n++
		}
		cw.Flush()
		return n, cw.Error()
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	for e := range events {
		if _, err := bw.WriteString(eventlog.FormatLine(e, true)); err != nil {
			return n, err
		}
		if err := bw.WriteByte('\n'); err != nil {
			return n, err
		}
		n++
	}
	return n, bw.Flush()
}

// spreadsheetSafe keeps received text from being run as a formula when the CSV is
// opened in a spreadsheet (a peer can send "=HYPERLINK(...)"): such a cell gets a
// leading apostrophe, as OWASP advises. The hex column still has the exact bytes.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvDirection is the direction column: sent, received, or what happened.
func csvDirection(k netio.EventKind) string {
	switch k {
	case netio.EventSent:
		return "sent"
	case netio.EventReceived:
		return "received"
	}
	return k.String()
}

// savedEvents yields every event still in the ring that passes the filters, oldest
// first.
func (v *View) savedEvents() iter.Seq[netio.Event] {
	return func(yield func(netio.Event) bool) {
		for i := range v.events.len() {
			e := v.events.at(i)
			if v.filter.match(&e, v.mode) && !yield(e) {
				return
			}
		}
	}
}

// showSaveDialog asks where to save the log; a name ending in .csv saves CSV.
func (v *View) showSaveDialog() {
	if v.win == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.setNotice("⚠ " + trf("Save failed: %s", charset.DisplayText(err.Error())))
			return
		}
		if w != nil {
			v.saveTo(w)
		}
	}, v.win)
	d.SetFileName("sockdesk-" + time.Now().Format("20060102-150405") + ".log")
	d.Show()
}

// saveTo writes the log to w (CSV when its name ends in .csv), closes it and says
// how it went in the status line. It runs on the UI goroutine.
func (v *View) saveTo(w fyne.URIWriteCloser) {
	name := w.URI().Name()
	n, err := writeLogEvents(w, v.savedEvents(), strings.EqualFold(w.URI().Extension(), ".csv"), v.side)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		v.setNotice("⚠ " + trf("Save failed: %s", charset.DisplayText(err.Error())))
		return
	}
	v.setNotice(trf("Saved %s events to %s", i18n.GroupDigits(uint64(n)), charset.DisplayText(name)))
}
