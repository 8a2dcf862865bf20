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

// controlsOnTop stacks the controls (objects[0], rows that wrap with the width),
// the status line and the plot with its legend (objects[2], taking the rest of
// the height). The controls are laid out at the width first and measured after,
// so the rows they wrap into are known before the rest is placed: in one pass,
// as a static picture (a screenshot, an export) needs.
type controlsOnTop struct{}

func (controlsOnTop) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	controls, status, body := objects[0], objects[1], objects[2]
	if c, ok := controls.(*fyne.Container); ok && c.Layout != nil {
		c.Layout.Layout(c.Objects, fyne.NewSize(size.Width, controls.MinSize().Height))
	}
	y := float32(0)
	for _, o := range []fyne.CanvasObject{controls, status} {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + pad
	}
	body.Move(fyne.NewPos(0, y))
	body.Resize(fyne.NewSize(size.Width, max(size.Height-y, 0)))
}

func (controlsOnTop) MinSize(objects []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var s fyne.Size
	for _, o := range objects {
		m := o.MinSize()
		s = fyne.NewSize(max(s.Width, m.Width), s.Height+m.Height)
	}
	return s.AddWidthHeight(0, 2*pad)
}
