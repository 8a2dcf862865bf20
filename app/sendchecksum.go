package app

import (
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/netio/checksum"
)

// The send box's checksum choice: none or one of netio's checksums, and the byte
// order. What is chosen is appended to every message sent (so it shows in the
// sent line, as part of the data) and checked on every message received.

// orderLabels are the byte order choices in English, indexed by checksum.ByteOrder.
var orderLabels = []string{
	checksum.OrderDefault: "Usual order",
	checksum.OrderBig:     "Big-endian",
	checksum.OrderLittle:  "Little-endian",
}

func orderOptions() []string {
	out := make([]string, len(orderLabels))
	for i := range orderLabels {
		out[i] = tr(orderLabels[i])
	}
	return out
}

// checksumOptions are "None" and the checksums' names (which are not translated).
func checksumOptions() []string {
	return append([]string{tr("No checksum")}, checksum.Names()...)
}

// buildChecksum makes the two Selects, restored from the preferences.
func (b *sendBox) buildChecksum() {
	b.checksum = widget.NewSelect(checksumOptions(), nil)
	b.order = widget.NewSelect(orderOptions(), nil)
	b.checksum.SetSelectedIndex(0)
	if c, _, err := checksum.Lookup(b.prefs.get("checksum", "")); err == nil {
		b.checksum.SetSelected(c.Name())
	}
	order, err := checksum.ParseByteOrder(b.prefs.get("checksumorder", ""))
	if err != nil {
		order = checksum.OrderDefault
	}
	b.order.SetSelectedIndex(int(order))
	b.checksum.OnChanged = func(string) { b.checksumChanged() }
	b.order.OnChanged = func(string) { b.checksumChanged() }
	b.checksumChanged()
}

// currentChecksum is the chosen checksum (nil for none) and byte order.
func (b *sendBox) currentChecksum() (*checksum.Checksum, checksum.ByteOrder) {
	order := checksum.OrderDefault
	if i := b.order.SelectedIndex(); i > 0 && i < len(orderLabels) {
		order = checksum.ByteOrder(i)
	}
	if b.checksum.SelectedIndex() <= 0 {
		return nil, order
	}
	c, _, err := checksum.Lookup(b.checksum.Selected)
	if err != nil {
		return nil, order
	}
	return c, order
}

// checksumChanged remembers the choice, shows the byte order only where it
// matters (a checksum wider than a byte) and tells the session.
func (b *sendBox) checksumChanged() {
	c, order := b.currentChecksum()
	name := ""
	if c != nil {
		name = c.Name()
	}
	b.prefs.set("checksum", name)
	b.prefs.set("checksumorder", order.String())
	if c != nil && c.Width() > 1 {
		b.order.Show()
	} else {
		b.order.Hide()
	}
	if b.onChecksum != nil {
		b.onChecksum(c, order)
	}
	b.optionsChanged()
}

// watchChecksum calls fn with the current choice now and after every change (on
// the UI goroutine).
func (b *sendBox) watchChecksum(fn func(*checksum.Checksum, checksum.ByteOrder)) {
	b.onChecksum = fn
	fn(b.currentChecksum())
}
