package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The divider is placed so the tools show whole when the log keeps its share, the
// log keeps its share in a small window, and once the user has dragged the
// divider a resize leaves it where they put it.
func TestToolsFitPlacesTheDivider(t *testing.T) {
	test.NewTempApp(t)
	tools := container.NewVBox(widget.NewLabel("a"), widget.NewLabel("b"), widget.NewLabel("c"))
	split := container.NewVSplit(widget.NewLabel("log"), container.NewVScroll(tools))
	fit := newToolsFit(split, tools)
	toolsH := tools.MinSize().Height

	fit.Resize(fyne.NewSize(400, 1000))
	if got := split.Trailing.Size().Height; got < toolsH {
		t.Errorf("tall: the tools pane is %.0f high, its content needs %.0f", got, toolsH)
	}
	if split.Offset <= minLogShare {
		t.Errorf("tall: the log gets only %.2f", split.Offset)
	}

	fit.Resize(fyne.NewSize(400, toolsH)) // not even room for the tools alone
	if split.Offset != minLogShare {
		t.Errorf("small: offset %.2f, want the log's share %.2f", split.Offset, minLogShare)
	}

	split.SetOffset(0.3) // the user drags
	fit.Resize(fyne.NewSize(400, 1200))
	if split.Offset != 0.3 {
		t.Errorf("after a drag the offset moved to %.2f", split.Offset)
	}
}
