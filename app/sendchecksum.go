package app

import (
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio"
)

// The send box's checksum choice: none or one of netio's checksums, and the byte
// order. What is chosen is appended to every message sent (so it shows in the
// sent line, as part of the data) and checked on every message received.

// orderLabels are the byte order choices in English, indexed by netio.ByteOrder.
var orderLabels = []string{
	netio.OrderDefault: "Usual order",
	netio.OrderBig:     "Big-endian",
	netio.OrderLittle:  "Little-endian",
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
	return append([]string{tr("No checksum")}, netio.ChecksumNames()...)
}

// buildChecksum makes the two Selects, restored from the preferences.
func (b *sendBox) buildChecksum() {
	b.checksum = widget.NewSelect(checksumOptions(), nil)
	b.order = widget.NewSelect(orderOptions(), nil)
	b.checksum.SetSelectedIndex(0)
	if c, _, err := netio.LookupChecksum(b.prefs.get("checksum", "")); err == nil {
		b.checksum.SetSelected(c.Name())
	}
	order, err := netio.ParseByteOrder(b.prefs.get("checksumorder", ""))
	if err != nil {
		order = netio.OrderDefault
	}
	b.order.SetSelectedIndex(int(order))
	b.checksum.OnChanged = func(string) { b.checksumChanged() }
	b.order.OnChanged = func(string) { b.checksumChanged() }
	b.checksumChanged()
}

// currentChecksum is the chosen checksum (nil for none) and byte order.
func (b *sendBox) currentChecksum() (*netio.Checksum, netio.ByteOrder) {
	order := netio.OrderDefault
	if i := b.order.SelectedIndex(); i > 0 && i < len(orderLabels) {
		order = netio.ByteOrder(i)
	}
	if b.checksum.SelectedIndex() <= 0 {
		return nil, order
	}
	c, _, err := netio.LookupChecksum(b.checksum.Selected)
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
}

// watchChecksum calls fn with the current choice now and after every change (on
// the UI goroutine).
func (b *sendBox) watchChecksum(fn func(*netio.Checksum, netio.ByteOrder)) {
	b.onChecksum = fn
	fn(b.currentChecksum())
}
