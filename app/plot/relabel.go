package plot

import "fyne.io/fyne/v2"

// Relabel writes every word of the chart again through its translation
// function: the owner calls it when the UI language changes. The choices and
// the data stay as they are. UI goroutine.
func (c *Chart) Relabel() {
	labels := make([]string, len(windowLabels))
	for i := range windowLabels {
		labels[i] = c.tr(windowLabels[i])
	}
	chosen, onChanged := c.windowSelect.SelectedIndex(), c.windowSelect.OnChanged
	c.windowSelect.OnChanged = nil
	c.windowSelect.Options = labels
	if chosen >= 0 {
		c.windowSelect.SetSelectedIndex(chosen)
	}
	c.windowSelect.OnChanged = onChanged
	c.windowSelect.Refresh()

	if c.paused {
		c.pauseButton.SetText(c.tr("Resume"))
		c.pausedLabel.SetText(c.tr("Paused"))
	} else {
		c.pauseButton.SetText(c.tr("Pause"))
	}
	c.autoCheck.Text = c.tr("Autoscale")
	c.autoCheck.Refresh()
	c.minLabel.SetText(c.tr("Min"))
	c.maxLabel.SetText(c.tr("Max"))
	c.legendTitle.SetText(c.tr("Series"))
	c.exportCSV.SetText(c.tr("Export CSV…"))
	c.exportPNG.SetText(c.tr("Export PNG…"))
	c.area.empty.Text = c.tr("No values yet")
	c.area.empty.Refresh()
	if c.hover.err != "" {
		// A range error is worded when the range is edited: word it again.
		c.rangeEdited()
	}
	c.showReadout()
	c.syncSeries() // the note on dropped values
	if c.area.Size() != (fyne.Size{}) {
		c.area.Refresh()
	}
	c.body.Refresh()
}
