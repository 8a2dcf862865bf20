package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// minLogShare is the least of a panel's middle the log gets when the divider is
// placed for the user.
const minLogShare = 0.45

// toolsFit lays out a panel's split of log (top) and sending tools (bottom). Until
// the user drags the divider, it places it so that the tools show whole when the
// log still gets at least minLogShare of the height; in a smaller window the log
// gets that share and the tools scroll. A taller window gives the log the rest.
type toolsFit struct {
	split *container.Split
	tools fyne.CanvasObject // the tools pane's content (not its scroller)
	set   float64           // the offset last placed here; 0 before the first
}

func newToolsFit(split *container.Split, tools fyne.CanvasObject) *fyne.Container {
	return container.New(&toolsFit{split: split, tools: tools}, split)
}

func (f *toolsFit) MinSize(objects []fyne.CanvasObject) fyne.Size { return objects[0].MinSize() }

func (f *toolsFit) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	if size.Height > 0 && (f.set == 0 || f.split.Offset == f.set) {
		avail := size.Height - 2*theme.Size(theme.SizeNamePadding) // less the divider
		f.set = max(1-float64(f.tools.MinSize().Height/avail), minLogShare)
		f.split.Offset = f.set
	}
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
}
