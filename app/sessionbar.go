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
// shown — and its counters. UI goroutine only.
type sessionBar struct {
	actionBox *fyne.Container
	dot       *canvas.Circle
	state     *widget.Label
	counters  *countersView
	obj       fyne.CanvasObject

	tone stateTone
	text func() string
}

func newSessionBar(c *countersView) *sessionBar {
	b := &sessionBar{counters: c, actionBox: container.NewStack(), text: func() string { return "" }}
	b.dot = canvas.NewCircle(color.Transparent)
	b.state = widget.NewLabel("")
	b.state.Truncation = fyne.TextTruncateEllipsis
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(12), b.dot))
	left := container.NewHBox(b.actionBox, dot)
	// The state and the counters share the width; each is cut, never the
	// window widened, when the window is narrow.
	b.obj = container.NewBorder(widget.NewSeparator(), nil, left, nil, container.NewGridWithColumns(2, b.state, c.Object()))
	b.show()
	return b
}

// Object is the bar's widget tree.
func (b *sessionBar) Object() fyne.CanvasObject { return b.obj }

// setAction puts the session's button at the bar's start.
func (b *sessionBar) setAction(btn *widget.Button) {
	b.actionBox.Objects = []fyne.CanvasObject{btn}
	b.actionBox.Refresh()
}

// setState shows the state; text is asked again on relabel.
func (b *sessionBar) setState(tone stateTone, text func() string) {
	b.tone, b.text = tone, text
	b.show()
}

// setError shows a failure that is about no field, until the next state.
func (b *sessionBar) setError(err error) {
	b.setState(stateError, func() string { return "⚠ " + errorText(err) })
}

// Text is what the state says.
func (b *sessionBar) Text() string { return b.state.Text }

func (b *sessionBar) relabel() { b.show() }

func (b *sessionBar) show() {
	b.dot.FillColor = theme.Color(stateColors[b.tone])
	b.dot.Refresh()
	imp := widget.MediumImportance
	if b.tone == stateError {
		imp = widget.DangerImportance
	}
	text := b.text()
	if b.state.Text != text || b.state.Importance != imp {
		b.state.Importance = imp
		b.state.SetText(text)
	}
}
