package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio"
)

const (
	// rateWindow is how far back the rates look. Averaging over about a second
	// keeps them steady when Update runs 30 times a second.
	rateWindow = time.Second
	// maxRateSamples bounds the sample history if Update is called far more
	// often than the pump does; the window then shrinks a little.
	maxRateSamples = 256
)

type statsSample struct {
	at time.Time
	s  netio.Stats
}

// countersView shows a session's traffic totals and rates each way. All methods
// run on the UI goroutine.
type countersView struct {
	// countDrops shows, after what came in, the datagrams the system dropped
	// before the session read them (a UDP session's counters).
	countDrops bool

	label   *widget.Label
	clip    *container.Clip // shows the label's start when it is wider than its place
	samples []statsSample   // oldest first; samples[0] is the rate base

	// full and short are the words for the last snapshot, with and without
	// the message rates; room is the width the bar gives them (0: not laid out
	// yet). The full words are shown where they fit, else the short ones.
	// When even those do not fit and more room could be had (roomy), cramped
	// asks the bar to lay itself out again.
	full, short string
	room        float32
	roomy       bool
	cramped     func()
}

func newCountersView() *countersView {
	empty := formatCounters(netio.Stats{}, rates{}, false, true)
	l := widget.NewLabel(empty)
	// Neither ellipsized nor clipped by the label: the counts change on every
	// batch while traffic flows, and a label that cuts its text finds the place by
	// shaping it again and again — most of what applying a batch cost in the real
	// window. Object clips it instead, measured once.
	l.Alignment = fyne.TextAlignTrailing
	return &countersView{label: l, clip: container.NewClip(l), full: empty, short: empty}
}

// rates are per second.
type rates struct {
	bytesIn, bytesOut, msgsIn, msgsOut float64
}

// Update records a snapshot taken at now and shows the totals and the rates over
// about the last second. Counters that go backwards (a new endpoint) restart the
// rate history.
func (c *countersView) Update(s netio.Stats, now time.Time) {
	if n := len(c.samples); n > 0 {
		last := c.samples[n-1]
		if !now.After(last.at) {
			if now.Before(last.at) {
				c.samples = c.samples[:0] // the clock went back: start again
			} else {
				c.samples = c.samples[:n-1] // same instant: the newer snapshot wins
			}
		} else if s.BytesIn < last.s.BytesIn || s.BytesOut < last.s.BytesOut ||
			s.MsgsIn < last.s.MsgsIn || s.MsgsOut < last.s.MsgsOut {
			c.samples = c.samples[:0]
		}
	}
	c.samples = append(c.samples, statsSample{at: now, s: s})
	// Keep as the base the newest sample at least rateWindow old, so the rates
	// cover a full window once there is enough history.
	drop := 0
	for drop+1 < len(c.samples) && !c.samples[drop+1].at.After(now.Add(-rateWindow)) {
		drop++
	}
	if over := len(c.samples) - maxRateSamples; over > drop {
		drop = over
	}
	if drop > 0 {
		c.samples = append(c.samples[:0], c.samples[drop:]...)
	}
	c.setWords(s, c.countDrops)
}

// rates computes the rates between the base sample and the newest one.
func (c *countersView) rates() rates {
	if len(c.samples) < 2 {
		return rates{}
	}
	first, last := c.samples[0], c.samples[len(c.samples)-1]
	dt := last.at.Sub(first.at).Seconds()
	if dt <= 0 {
		return rates{}
	}
	per := func(a, b uint64) float64 { return float64(b-a) / dt }
	return rates{
		bytesIn:  per(first.s.BytesIn, last.s.BytesIn),
		bytesOut: per(first.s.BytesOut, last.s.BytesOut),
		msgsIn:   per(first.s.MsgsIn, last.s.MsgsIn),
		msgsOut:  per(first.s.MsgsOut, last.s.MsgsOut),
	}
}

// setWords words s with the current rates, with and without the message
// rates, and shows what fits.
func (c *countersView) setWords(s netio.Stats, drops bool) {
	r := c.rates()
	c.full, c.short = formatCounters(s, r, drops, true), formatCounters(s, r, drops, false)
	if c.roomy && c.cramped != nil && c.need() > c.room {
		c.cramped()
	}
	c.show()
}

// need is the least width the counters' words need: the short ones, whole.
func (c *countersView) need() float32 { return textWidth(c.short, c.label.TextStyle) }

// setRoom is the width the bar gives the counters, and whether it could give
// more.
func (c *countersView) setRoom(w float32, roomy bool) {
	c.roomy = roomy
	if w != c.room {
		c.room = w
		c.show()
	}
}

// show puts the full words on the label where they fit in the room, else the
// short ones (which are cut at the end where even they do not fit).
func (c *countersView) show() {
	text := c.full
	if c.room > 0 && textWidth(c.full, c.label.TextStyle) > c.room {
		text = c.short
	}
	if c.label.Text != text {
		c.label.SetText(text)
	}
}

// textWidth is the width a label needs for text: the words, measured the way
// the label measures them (shaped once per text and cached), and its padding.
func textWidth(text string, style fyne.TextStyle) float32 {
	return fyne.MeasureText(text, theme.TextSize(), style).Width + 2*theme.InnerPadding()
}

// Object is the widget to place in the panel: the counters, cut at the end when
// the place is too narrow for them.
func (c *countersView) Object() fyne.CanvasObject { return c.clip }

// Text is what the view shows.
func (c *countersView) Text() string { return c.label.Text }

// formatCounters words totals and rates, e.g.
// "In 12 msgs · 3.4 KiB (1.2 KiB/s, 5 msg/s)   Out 3 msgs · 120 B (0 B/s)";
// with drops, what came in is followed by what the system dropped: ", 0 dropped".
// Without msgRates the message rates are left out, for a narrow window.
func formatCounters(s netio.Stats, r rates, drops, msgRates bool) string {
	if !msgRates {
		r.msgsIn, r.msgsOut = 0, 0
	}
	in := trf("In %s", formatDirection(s.MsgsIn, s.BytesIn, r.msgsIn, r.bytesIn))
	if drops {
		in += ", " + formatDrops(s)
	}
	return in + "   " + trf("Out %s", formatDirection(s.MsgsOut, s.BytesOut, r.msgsOut, r.bytesOut))
}

// formatDrops words the datagrams the system dropped at the socket, or that the
// system does not say.
func formatDrops(s netio.Stats) string {
	if !s.DropsCounted {
		return tr("drops not counted on this system")
	}
	return trf("%s dropped", strconv.FormatUint(s.Dropped, 10))
}

// formatDirection words one direction without its name:
// "12 msgs · 3.4 KiB (1.2 KiB/s, 5 msg/s)".
func formatDirection(msgs, bytes uint64, msgRate, byteRate float64) string {
	count := trf("%s msgs", strconv.FormatUint(msgs, 10))
	if msgs == 1 {
		count = trf("%s msg", "1")
	}
	rate := formatBytes(byteRate) + "/s"
	if m := formatRate(msgRate); m != "0" {
		rate += ", " + trf("%s msg/s", m)
	}
	return count + " · " + formatBytes(float64(bytes)) + " (" + rate + ")"
}

var byteUnits = []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// formatBytes gives a byte count in binary units: "120 B", "1.2 KiB", "34.5 MiB",
// "512 GiB" (one decimal below 100 of a unit, none above; whole bytes).
func formatBytes(n float64) string {
	if whole := roundHalf(n); whole < 1024 {
		return strconv.FormatFloat(whole, 'f', 0, 64) + " B"
	}
	u := 0
	for n >= 1023.5 && u < len(byteUnits)-1 { // 1023.5 shows as 1024: use the next unit

		n /= 1024
		u++
	}
	if n < 99.95 {
		return fmt.Sprintf("%.1f %s", n, byteUnits[u])
	}
	return fmt.Sprintf("%.0f %s", n, byteUnits[u])
}

// formatRate words a message rate: "0", "0.5", "5", "12".
func formatRate(r float64) string {
	switch {
	case r < 0.05:
		return "0"
	case r < 9.95:
		return strings.TrimSuffix(strconv.FormatFloat(r, 'f', 1, 64), ".0")
	}
	return strconv.FormatFloat(roundHalf(r), 'f', 0, 64)
}

// roundHalf rounds to the nearest whole number, halves up (FormatFloat rounds
// halves to even).
func roundHalf(x float64) float64 {
	return float64(int64(x + 0.5))
}

// relabel writes the counters again in the UI language.
func (c *countersView) relabel() {
	var s netio.Stats
	n := len(c.samples)
	if n > 0 {
		s = c.samples[n-1].s
	}
	c.setWords(s, c.countDrops && n > 0)
}
