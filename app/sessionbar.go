package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// stateTone is the colour of the session bar's dot: what the state means at a
// glance.
type stateTone int

const (
	stateIdle   stateTone = iota // closed, stopped, disconnected
	stateBusy                    // connecting
	stateActive                  // listening, connected, serving
	stateError                   // the last action failed (not at a field)
)

var stateColors = [...]fyne.ThemeColorName{
	stateIdle:   theme.ColorNamePlaceHolder,
	stateBusy:   theme.ColorNameWarning,
	stateActive: theme.ColorNameSuccess,
	stateError:  theme.ColorNameError,
}

// sessionBar runs along the bottom of a session: its one button (Open, Connect,
// Start), its state in words with a coloured dot — the one place the state is
// shown, which nothing else overwrites — then a failure that is about no field,
// in red, until the next state or attempt, and the counters. UI goroutine only.
type sessionBar struct {
	actionBox *fyne.Container
	dot       *canvas.Circle
	state     *widget.Label
	errLabel  *widget.Label
	stateBox  *fyne.Container // the state and the failure, laid out by stateLayout
	row       *fyne.Container // the state box and the counters, laid out by sessionRowLayout
	counters  *countersView
	obj       fyne.CanvasObject

	tone stateTone
	text func() string
	err  error
}

func newSessionBar(c *countersView) *sessionBar {
	b := &sessionBar{counters: c, actionBox: container.NewStack(), text: func() string { return "" }}
	b.dot = canvas.NewCircle(color.Transparent)
	b.state = widget.NewLabel("")
	b.state.Truncation = fyne.TextTruncateEllipsis
	b.errLabel = widget.NewLabel("")
	b.errLabel.Importance = widget.DangerImportance
	b.errLabel.Truncation = fyne.TextTruncateEllipsis
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(12), b.dot))
	left := container.NewHBox(b.actionBox, dot)
	// The state (with a failure after it) and the counters share the width;
	// each is cut, never the window widened, when the window is narrow.
	b.stateBox = container.New(&stateLayout{}, b.state, b.errLabel)
	b.row = container.New(sessionRowLayout{b}, b.stateBox, c.Object())
	c.cramped = func() { b.row.Layout.Layout(b.row.Objects, b.row.Size()) }
	b.obj = container.NewBorder(widget.NewSeparator(), nil, left, nil, b.row)
	b.show()
	return b
}

// stateShare is the least of the bar's width the state is given when its
// words want more than the counters leave; failureShare is the most the state
// with a failure after it may take, for the failure is what the user needs to
// read then.
const (
	stateShare   = 0.45
	failureShare = 0.8
)

// sessionRowLayout gives the state the width its words need, as far as the
// counters' words (without their message rates) leave it and at least
// stateShare; a state with a failure after it, what their words need up to
// failureShare. The counters get the rest, and leave their message rates out
// where it is too narrow for them.
type sessionRowLayout struct{ b *sessionBar }

func (sessionRowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	s, c := objects[0].MinSize(), objects[1].MinSize()
	return fyne.NewSize(s.Width+c.Width, max(s.Height, c.Height))
}

func (l sessionRowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	want := cutLabelWant(l.b.state) + cutLabelWant(l.b.errLabel)
	least := size.Width * stateShare
	w := min(want, max(least, size.Width-l.b.counters.need()))
	if l.b.errLabel.Text != "" {
		w = min(want, size.Width*failureShare)
	}
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(fyne.NewSize(w, size.Height))
	objects[1].Move(fyne.NewPos(w, 0))
	objects[1].Resize(fyne.NewSize(size.Width-w, size.Height))
	l.b.counters.setRoom(size.Width-w, w > least && l.b.errLabel.Text == "")
}

// cutLabelWant is the width a label that may cut its text needs to show it
// whole: the words (textWidth, what a label that is not cut measures), and a
// little more, for such a label wants some room to spare.
func cutLabelWant(l *widget.Label) float32 {
	if l.Text == "" {
		return 0
	}
	return textWidth(l.Text, l.TextStyle) + 2*theme.Padding()
}

// stateLayout gives the state the width its words need (up to all there is),
// and the failure after it the rest.
type stateLayout struct{}

func (stateLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return objects[0].MinSize().Max(objects[1].MinSize())
}

func (stateLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	state := objects[0].(*widget.Label)
	w := min(cutLabelWant(state), size.Width)
	state.Move(fyne.NewPos(0, 0))
	state.Resize(fyne.NewSize(w, size.Height))
	objects[1].Move(fyne.NewPos(w, 0))
	objects[1].Resize(fyne.NewSize(max(size.Width-w, 0), size.Height))
}

// Object is the bar's widget tree.
func (b *sessionBar) Object() fyne.CanvasObject { return b.obj }

// setAction puts the session's button at the bar's start.
func (b *sessionBar) setAction(btn *widget.Button) {
	b.actionBox.Objects = []fyne.CanvasObject{btn}
	b.actionBox.Refresh()
}

// setActionEnabled enables or disables the session's button (while a tool
// runs a connection of its own in the session).
func (b *sessionBar) setActionEnabled(on bool) {
	for _, o := range b.actionBox.Objects {
		if btn, ok := o.(*widget.Button); ok {
			setEnabled(on, btn)
		}
	}
}

// setState shows the state; text is asked again on relabel. A new state takes
// a failure shown before away.
func (b *sessionBar) setState(tone stateTone, text func() string) {
	b.tone, b.text, b.err = tone, text, nil
	b.show()
}

// setError shows a failure that is about no field after the state, until the
// next state or attempt (nil takes it away).
func (b *sessionBar) setError(err error) {
	b.err = err
	b.show()
}

// Text is what the bar says: the state, and a failure after it.
func (b *sessionBar) Text() string {
	if b.errLabel.Text == "" {
		return b.state.Text
	}
	return b.state.Text + " " + b.errLabel.Text
}

func (b *sessionBar) relabel() { b.show() }

func (b *sessionBar) show() {
	tone := b.tone
	if b.err != nil {
		tone = stateError
	}
	b.dot.FillColor = theme.Color(stateColors[tone])
	b.dot.Refresh()
	text, errText := b.text(), ""
	if b.err != nil {
		errText = "⚠ " + errorText(b.err)
	}
	if b.state.Text != text || b.errLabel.Text != errText {
		b.state.SetText(text)
		b.errLabel.SetText(errText)
		// The state's width follows its words.
		b.row.Layout.Layout(b.row.Objects, b.row.Size())
		b.stateBox.Layout.Layout(b.stateBox.Objects, b.stateBox.Size())
	}
}
