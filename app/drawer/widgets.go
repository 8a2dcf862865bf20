package drawer

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tabButton is a side tab: the tool's icon over its title in small type, a bar
// along its left edge while its tool is open, a dot when the tool is marked.
type tabButton struct {
	widget.BaseWidget
	icon     fyne.Resource
	caption  string
	onTap    func()
	selected bool
	marked   bool
	hovered  bool
}

func newTabButton(icon fyne.Resource, caption string, onTap func()) *tabButton {
	b := &tabButton{icon: icon, caption: caption, onTap: onTap}
	b.ExtendBaseWidget(b)
	return b
}

func (b *tabButton) Tapped(*fyne.PointEvent) {
	if b.onTap != nil {
		b.onTap()
	}
}

func (b *tabButton) MouseIn(*desktop.MouseEvent)    { b.hovered = true; b.Refresh() }
func (b *tabButton) MouseMoved(*desktop.MouseEvent) {}
func (b *tabButton) MouseOut()                      { b.hovered = false; b.Refresh() }

func (b *tabButton) setSelected(on bool) {
	if b.selected != on {
		b.selected = on
		b.Refresh()
	}
}

func (b *tabButton) setMarked(on bool) {
	if b.marked != on {
		b.marked = on
		b.Refresh()
	}
}

func (b *tabButton) setCaption(s string) {
	if b.caption != s {
		b.caption = s
		b.Refresh()
	}
}

// Caption is what the tab says (tests read it).
func (b *tabButton) Caption() string { return b.caption }

func (b *tabButton) CreateRenderer() fyne.WidgetRenderer {
	r := &tabRenderer{b: b,
		bg:   canvas.NewRectangle(color.Transparent),
		bar:  canvas.NewRectangle(color.Transparent),
		icon: widget.NewIcon(b.icon),
		text: canvas.NewText("", color.Black),
		dot:  canvas.NewCircle(color.Transparent),
	}
	r.text.Alignment = fyne.TextAlignCenter
	r.Refresh()
	return r
}

type tabRenderer struct {
	b    *tabButton
	bg   *canvas.Rectangle
	bar  *canvas.Rectangle
	icon *widget.Icon
	text *canvas.Text
	dot  *canvas.Circle
}

// captionSize is the tabs' type size: two points under the theme's text.
func captionSize(th fyne.Theme) float32 { return th.Size(theme.SizeNameText) - 2 }

func (r *tabRenderer) MinSize() fyne.Size {
	th := r.b.Theme()
	pad := th.Size(theme.SizeNamePadding)
	icon := th.Size(theme.SizeNameInlineIcon)
	t := fyne.MeasureText(r.b.caption, captionSize(th), fyne.TextStyle{})
	return fyne.NewSize(max(t.Width, icon*2)+4*pad, icon+t.Height+3*pad)
}

func (r *tabRenderer) Layout(size fyne.Size) {
	th := r.b.Theme()
	pad := th.Size(theme.SizeNamePadding)
	icon := th.Size(theme.SizeNameInlineIcon)
	r.bg.Resize(size)
	r.bar.Move(fyne.NewPos(0, 0))
	r.bar.Resize(fyne.NewSize(3, size.Height))
	r.icon.Resize(fyne.NewSquareSize(icon))
	r.icon.Move(fyne.NewPos((size.Width-icon)/2, pad))
	r.text.Move(fyne.NewPos(0, pad*2+icon))
	r.text.Resize(fyne.NewSize(size.Width, r.text.MinSize().Height))
	d := pad * 2
	r.dot.Move(fyne.NewPos((size.Width+icon)/2, pad))
	r.dot.Resize(fyne.NewSquareSize(d))
}

func (r *tabRenderer) Refresh() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.text.Text = r.b.caption
	r.text.TextSize = captionSize(th)
	r.text.Color = th.Color(theme.ColorNameForeground, v)
	r.bg.FillColor = color.Transparent
	r.bar.FillColor = color.Transparent
	switch {
	case r.b.selected:
		r.bg.FillColor = th.Color(theme.ColorNameSelection, v)
		r.bar.FillColor = th.Color(theme.ColorNamePrimary, v)
		r.text.TextStyle = fyne.TextStyle{Bold: true}
	case r.b.hovered:
		r.bg.FillColor = th.Color(theme.ColorNameHover, v)
		r.text.TextStyle = fyne.TextStyle{}
	default:
		r.text.TextStyle = fyne.TextStyle{}
	}
	r.dot.FillColor = color.Transparent
	if r.b.marked {
		r.dot.FillColor = th.Color(theme.ColorNamePrimary, v)
	}
	r.icon.SetResource(r.b.icon)
	r.Layout(r.b.Size())
	r.bg.Refresh()
	r.bar.Refresh()
	r.text.Refresh()
	r.dot.Refresh()
}

func (r *tabRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.bar, r.icon, r.text, r.dot}
}

func (r *tabRenderer) Destroy() {}

// divider is the bar between pane and conversation that the user drags.
type divider struct {
	widget.BaseWidget
	d       *Drawer
	hovered bool
}

func newDivider(d *Drawer) *divider {
	v := &divider{d: d}
	v.ExtendBaseWidget(v)
	return v
}

func (v *divider) Dragged(e *fyne.DragEvent) { v.d.drag(e.Dragged.DX) }
func (v *divider) DragEnd()                  { v.d.changed() }

func (v *divider) Cursor() desktop.Cursor { return desktop.HResizeCursor }

func (v *divider) MouseIn(*desktop.MouseEvent)    { v.hovered = true; v.Refresh() }
func (v *divider) MouseMoved(*desktop.MouseEvent) {}
func (v *divider) MouseOut()                      { v.hovered = false; v.Refresh() }

func (v *divider) CreateRenderer() fyne.WidgetRenderer {
	r := &dividerRenderer{v: v, line: canvas.NewRectangle(color.Transparent)}
	r.Refresh()
	return r
}

type dividerRenderer struct {
	v    *divider
	line *canvas.Rectangle
}

func (r *dividerRenderer) MinSize() fyne.Size {
	return fyne.NewSize(r.v.Theme().Size(theme.SizeNamePadding)*2, 0)
}

func (r *dividerRenderer) Layout(size fyne.Size) {
	w := float32(1)
	if r.v.hovered {
		w = 3
	}
	r.line.Move(fyne.NewPos((size.Width-w)/2, 0))
	r.line.Resize(fyne.NewSize(w, size.Height))
}

func (r *dividerRenderer) Refresh() {
	th := r.v.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.line.FillColor = th.Color(theme.ColorNameSeparator, v)
	if r.v.hovered {
		r.line.FillColor = th.Color(theme.ColorNamePrimary, v)
	}
	r.Layout(r.v.Size())
	r.line.Refresh()
}

func (r *dividerRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.line} }
func (r *dividerRenderer) Destroy()                     {}

var (
	_ fyne.Draggable     = (*divider)(nil)
	_ desktop.Cursorable = (*divider)(nil)
	_ fyne.Tappable      = (*tabButton)(nil)
)
