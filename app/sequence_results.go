package app

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio/sequence"
)

// maxShownResults bounds the results the list keeps: a repeat of a million
// rounds reports millions, and the newest are the ones to read (the one that
// failed among them). The list says how many earlier ones it left out.
const maxShownResults = 10_000

// maxShownReceived bounds the messages a step's details list.
const maxShownReceived = 20

// seqResults is the list of a run's results, one row per step (per round of a
// repeat) as it ends: how it ended, the step, how long it took. The failed (or
// stopped) step's row is highlighted, and the details under the list say, for
// the row picked (the failed one when a run fails), what the step expected and
// what arrived instead. UI goroutine only.
type seqResults struct {
	items  []sequence.Result
	left   uint64 // results that were not kept (maxShownResults)
	failed int    // the index of the failed or stopped result, -1 for none
	picked int    // the row whose details are shown, -1 for none

	list    *widget.List
	details *fyne.Container
	scroll  *container.Scroll
	object  fyne.CanvasObject

	// onPick hears a row picked by a person (after its details are shown).
	onPick func(r *sequence.Result)
}

func newSeqResults() *seqResults {
	r := &seqResults{failed: -1, picked: -1}
	r.list = widget.NewList(func() int { return len(r.items) }, newResultRow, r.updateRow)
	r.list.OnSelected = func(id widget.ListItemID) {
		r.pick(id)
		if r.onPick != nil && id < len(r.items) {
			r.onPick(&r.items[id])
		}
	}
	r.details = container.NewVBox()
	r.scroll = container.NewVScroll(r.details)
	split := container.NewVSplit(r.list, r.scroll)
	split.Offset = 0.45
	r.object = split
	return r
}

// Object is the list with the details under it.
func (r *seqResults) Object() fyne.CanvasObject { return r.object }

// clear empties the list for a new run.
func (r *seqResults) clear() {
	r.items, r.left, r.failed, r.picked = r.items[:0], 0, -1, -1
	r.list.UnselectAll()
	r.list.Refresh()
	r.showDetails()
}

// add appends results as they come; dropped is how many the feed left out
// before them. The list follows the newest.
func (r *seqResults) add(batch []sequence.Result, dropped uint64) {
	r.left += dropped
	for _, res := range batch {
		if res.Status == sequence.Failed || res.Status == sequence.Stopped {
			r.failed = len(r.items)
		}
		r.items = append(r.items, res)
	}
	if over := len(r.items) - maxShownResults; over > 0 {
		r.items = append(r.items[:0], r.items[over:]...)
		r.left += uint64(over)
		r.failed -= over
		r.picked -= over
		if r.failed < 0 {
			r.failed = -1
		}
		if r.picked < 0 {
			r.picked = -1
		}
	}
	r.list.Refresh()
	r.list.ScrollToBottom()
}

// showFailed picks the failed (or stopped) row, if there is one: it is
// highlighted and its details shown.
func (r *seqResults) showFailed() {
	if r.failed < 0 {
		return
	}
	r.pick(r.failed)
	r.list.ScrollTo(r.failed)
}

// pick shows the details of row i.
func (r *seqResults) pick(i int) {
	if i < 0 || i >= len(r.items) {
		return
	}
	r.picked = i
	r.showDetails()
}

// relabel words the rows and the details again in the UI language.
func (r *seqResults) relabel() {
	r.list.Refresh()
	r.showDetails()
}

// showDetails writes what the picked result did: its step, how it ended and
// when, what it did, or what it expected and what came, and the messages it
// received while it waited. What arrived is shown as the engine quotes it:
// plain text, control characters escaped.
func (r *seqResults) showDetails() {
	r.details.RemoveAll()
	if r.picked < 0 || r.picked >= len(r.items) {
		if r.left > 0 {
			r.details.Add(wrappedLabel(trf("%s earlier results are not listed", i18n.GroupDigits(r.left))))
		}
		return
	}
	res := &r.items[r.picked]
	title := wrappedLabel(resultTitle(res))
	title.TextStyle.Bold = true
	r.details.Add(title)
	if res.Expected != "" && res.Status != sequence.Passed {
		r.details.Add(wrappedLabel(trf("Expected: %s", seqWords(res.Expected))))
	}
	if res.Got != "" {
		got := wrappedLabel(trf("Got: %s", seqWords(res.Got)))
		if res.Status == sequence.Failed {
			got.Importance = widget.DangerImportance
		}
		r.details.Add(got)
	}
	// The rest in one label: a label's padding for each line would leave
	// the expected and the got little room in a short pane.
	when := statusWords(res.Status)
	if !res.Start.IsZero() {
		when += " · " + res.Start.Format("15:04:05.000") + " · " + stepDuration(res.Duration)
	}
	lines := []string{when}
	if res.Detail != "" && res.Status == sequence.Passed {
		lines = append(lines, seqWords(res.Detail))
	}
	if len(res.Received) > 0 {
		lines = append(lines, tr("Received while waiting:"))
		for i, m := range res.Received {
			if i == maxShownReceived {
				lines = append(lines, "  "+trf("… and %d more", len(res.Received)-i))
				break
			}
			lines = append(lines, "  "+m)
		}
	}
	r.details.Add(wrappedLabel(strings.Join(lines, "\n")))
	r.scroll.ScrollToTop()
}

// A result row: a background (tinted for the failed step), how the step ended
// as a glyph, its title, and its duration.
func newResultRow() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	glyph := widget.NewLabel("✓")
	glyph.TextStyle.Bold = true
	title := widget.NewLabel("")
	title.Truncation = fyne.TextTruncateEllipsis
	dur := widget.NewLabel("")
	return container.NewStack(bg, container.NewBorder(nil, nil, glyph, dur, title))
}

func (r *seqResults) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(r.items) {
		return
	}
	res := &r.items[id]
	row := o.(*fyne.Container)
	bg := row.Objects[0].(*canvas.Rectangle)
	inner := row.Objects[1].(*fyne.Container)
	parts := inner.Objects
	title, glyph, dur := parts[0].(*widget.Label), parts[1].(*widget.Label), parts[2].(*widget.Label)
	glyph.Importance = map[sequence.Status]widget.Importance{
		sequence.Passed: widget.SuccessImportance, sequence.Failed: widget.DangerImportance,
		sequence.Stopped: widget.WarningImportance, sequence.Skipped: widget.LowImportance,
	}[res.Status]
	glyph.SetText(statusGlyph(res.Status))
	highlighted := id == r.failed
	title.TextStyle.Bold = highlighted
	title.SetText(resultTitle(res))
	if res.Status == sequence.Skipped {
		dur.SetText("")
	} else {
		dur.SetText(stepDuration(res.Duration))
	}
	// The row is reused for another result: the duration's width may differ.
	inner.Layout.Layout(parts, inner.Size())
	bg.FillColor = color.Transparent
	if highlighted {
		bg.FillColor = tint(theme.Color(theme.ColorNameError), 0x38)
	}
	bg.Refresh()
}

// tint is c with alpha a: a faint background in a theme's colour.
func tint(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}
