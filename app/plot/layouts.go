package plot

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// minWidth is a stack layout that is at least width wide: the legend keeps its
// room however short its names.
type minWidth struct{ width float32 }

func (l *minWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *minWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(l.width, 0)
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
}

// fixedWidth gives o a width of its own (an entry's minimum is too narrow for a number).
func fixedWidth(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.New(&minWidth{width: width}, o)
}

// fitWidth is a stack layout as wide as content wants, within [min, max]: the
// legend is as wide as its longest name, but never takes the plot's room.
type fitWidth struct {
	content  fyne.CanvasObject
	min, max float32
}

func (l *fitWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *fitWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	w := l.content.MinSize().Width + theme.ScrollBarSize()
	return fyne.NewSize(min(max(w, l.min), l.max), 0)
}
