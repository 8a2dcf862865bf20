// Package drawer is a session's tool drawer: a strip of side tabs down the left
// edge, one per tool (the connection settings, multicast, the generator,
// auto-reply, files, TLS, and what comes next: framing, message buttons,
// sequences, plots, packet anatomy), and a pane beside the conversation that shows
// the chosen tool. Tools take the conversation's width, never its height, so the
// log keeps every row whatever is open.
//
// Tapping the open tool's tab folds the pane away (the conversation gets the
// width); tapping another tab shows that tool. The pane fits the tool it shows,
// up to a little more than half the width (a wider tool scrolls sideways), until the divider is
// dragged: then that tool keeps the dragged width.
//
// Everything here runs on Fyne's goroutine.
package drawer

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxShare is the most of the width a pane takes when it is fitted to its tool:
// the conversation keeps the rest, and at least its own minimum.
const maxShare = 0.55

// minPane and minMain bound a dragged divider: the pane and the conversation each
// keep at least this much width. fitMin is the least a fitted pane is given, so
// that a tool's wrapped text reads as sentences, not a column of words.
const (
	minPane = 120
	minMain = 240
	fitMin  = 320
)

// Tool is one tool of the drawer: its side tab and its content.
type Tool struct {
	ID      string
	title   func() string
	content fyne.CanvasObject
	scroll  *container.Scroll
	tab     *tabButton
	width   float32 // the width the user dragged the pane to for this tool; 0 = fitted
	prefer  float32 // the width the tool would use, if wider than its content needs
}

// SetPreferredWidth lets a tool that makes use of width (a chart) be fitted wider
// than its content's minimum: up to w, within the share of the width a fitted
// pane may take.
func (t *Tool) SetPreferredWidth(w float32) { t.prefer = w }

// Drawer holds the tools, the pane and the conversation beside them.
type Drawer struct {
	tools []*Tool
	open  *Tool // nil while folded

	strip   *fyne.Container
	title   *widget.Label
	foldBtn *widget.Button
	body    *fyne.Container
	pane    *fyne.Container
	divider *divider
	main    fyne.CanvasObject
	root    *fyne.Container

	// OnChanged, if set, hears the open tool's id ("" when folded) after each
	// change made by the user or by Show and Fold.
	OnChanged func(open string)
}

// New makes a drawer around main, the conversation, with no tools yet.
func New(main fyne.CanvasObject) *Drawer {
	d := &Drawer{main: main}
	d.strip = container.NewVBox()
	d.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.Truncation = fyne.TextTruncateEllipsis
	d.foldBtn = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), d.Fold)
	d.foldBtn.Importance = widget.LowImportance
	d.body = container.NewStack()
	d.pane = container.NewBorder(container.NewBorder(nil, nil, nil, d.foldBtn, d.title), nil, nil, nil, d.body)
	d.divider = newDivider(d)
	d.root = container.New(&drawerLayout{d: d}, d.strip, d.pane, d.divider, main)
	d.pane.Hide()
	d.divider.Hide()
	return d
}

// Object is the strip, the pane and the conversation, laid out side by side.
func (d *Drawer) Object() fyne.CanvasObject { return d.root }

// Add appends a tool: a side tab with icon and title (asked again on Relabel, so
// it follows the UI language), and its content, shown in the pane, scrolling
// when the pane is smaller than it. The first tool added opens at once.
func (d *Drawer) Add(id string, title func() string, icon fyne.Resource, content fyne.CanvasObject) *Tool {
	t := &Tool{ID: id, title: title, content: content, scroll: container.NewScroll(content)}
	t.tab = newTabButton(icon, title(), func() { d.tapped(t) })
	d.tools = append(d.tools, t)
	d.strip.Add(t.tab)
	if d.open == nil && len(d.tools) == 1 {
		d.show(t, false)
	}
	return t
}

// Caption is what the tool's tab says.
func (t *Tool) Caption() string { return t.tab.caption }

// Marked reports whether the tool's tab has its dot.
func (t *Tool) Marked() bool { return t.tab.marked }

// Tools are the tools in their order.
func (d *Drawer) Tools() []*Tool { return d.tools }

// Open is the id of the tool the pane shows, or "" while folded.
func (d *Drawer) Open() string {
	if d.open == nil {
		return ""
	}
	return d.open.ID
}

// Show opens the tool with that id (an unknown id does nothing).
func (d *Drawer) Show(id string) {
	for _, t := range d.tools {
		if t.ID == id {
			d.show(t, true)
			return
		}
	}
}

// Fold hides the pane; the conversation takes the width.
func (d *Drawer) Fold() {
	if d.open == nil {
		return
	}
	d.open.tab.setSelected(false)
	d.open = nil
	d.body.Objects = nil
	d.pane.Hide()
	d.divider.Hide()
	d.relayout()
	d.changed()
}

// SetMarked puts a dot on a tool's tab, saying the tool is doing something (a
// generator running, rules active) while it is not shown.
func (d *Drawer) SetMarked(id string, on bool) {
	for _, t := range d.tools {
		if t.ID == id {
			t.tab.setMarked(on)
		}
	}
}

// Relabel asks every tool for its title again (the UI language changed).
func (d *Drawer) Relabel() {
	for _, t := range d.tools {
		t.tab.setCaption(t.title())
	}
	if d.open != nil {
		d.title.SetText(d.open.title())
	}
	d.strip.Refresh()
	d.relayout()
}

func (d *Drawer) tapped(t *Tool) {
	if d.open == t {
		d.Fold()
		return
	}
	d.show(t, true)
}

func (d *Drawer) show(t *Tool, notify bool) {
	if d.open == t {
		return
	}
	if d.open != nil {
		d.open.tab.setSelected(false)
	}
	d.open = t
	t.tab.setSelected(true)
	d.title.SetText(t.title())
	d.body.Objects = []fyne.CanvasObject{t.scroll}
	d.body.Refresh()
	d.pane.Show()
	d.divider.Show()
	d.relayout()
	if notify {
		d.changed()
	}
}

func (d *Drawer) changed() {
	if d.OnChanged != nil {
		d.OnChanged(d.Open())
	}
}

// Refit places the pane again for its tool's width now: a tool whose content grew
// (a table's columns widening) calls it.
func (d *Drawer) Refit() { d.relayout() }

// relayout places the parts again without refreshing every child.
func (d *Drawer) relayout() {
	if s := d.root.Size(); !s.IsZero() {
		d.root.Layout.Layout(d.root.Objects, s)
	}
	canvas.Refresh(d.root)
}

// fitWidth is the pane's width for t as fitted: its content whole (scroll bars
// are drawn over the content, they take no room).
func (d *Drawer) fitWidth(t *Tool) float32 {
	return max(t.content.MinSize().Width+theme.Current().Size(theme.SizeNamePadding), fitMin, t.prefer)
}

// paneWidth is the pane's width in a drawer total wide.
func (d *Drawer) paneWidth(total float32) float32 {
	t := d.open
	avail := total - d.strip.MinSize().Width - d.divider.MinSize().Width
	if t.width > 0 {
		return clamp(t.width, minPane, avail-minMain)
	}
	return clamp(d.fitWidth(t), minPane, min(avail*maxShare, avail-d.main.MinSize().Width))
}

// drag moves the divider by dx (a user's drag).
func (d *Drawer) drag(dx float32) {
	if d.open == nil {
		return
	}
	w := d.open.width
	if w == 0 {
		w = d.pane.Size().Width
	}
	avail := d.root.Size().Width - d.strip.MinSize().Width - d.divider.MinSize().Width
	d.open.width = clamp(w+dx, minPane, avail-minMain)
	d.relayout()
}

func clamp(v, lo, hi float32) float32 {
	if hi < lo {
		hi = lo
	}
	return max(lo, min(v, hi))
}

// drawerLayout places strip | pane | divider | main, left to right.
type drawerLayout struct{ d *Drawer }

func (l *drawerLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	d := l.d
	s := d.strip.MinSize()
	m := d.main.MinSize()
	w := s.Width + m.Width
	h := max(s.Height, m.Height)
	if d.open != nil {
		w += minPane + d.divider.MinSize().Width
		h = max(h, d.pane.MinSize().Height)
	}
	return fyne.NewSize(w, h)
}

func (l *drawerLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	d := l.d
	x := d.strip.MinSize().Width
	d.strip.Move(fyne.NewPos(0, 0))
	d.strip.Resize(fyne.NewSize(x, size.Height))
	if d.open != nil {
		w := d.paneWidth(size.Width)
		d.pane.Move(fyne.NewPos(x, 0))
		d.pane.Resize(fyne.NewSize(w, size.Height))
		x += w
		dw := d.divider.MinSize().Width
		d.divider.Move(fyne.NewPos(x, 0))
		d.divider.Resize(fyne.NewSize(dw, size.Height))
		x += dw
	}
	d.main.Move(fyne.NewPos(x, 0))
	d.main.Resize(fyne.NewSize(max(size.Width-x, 0), size.Height))
}
