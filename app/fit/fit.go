// Package fit sizes widgets to what they show, so that a choice or a short field
// is shown whole in either UI language inside boxes that would shrink it.
package fit

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Width gives an object a minimum width, so short entries (ports) stay readable in
// an HBox that would otherwise shrink them to nothing.
func Width(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	spacer := canvas.NewRectangle(color.Transparent)
	spacer.SetMinSize(fyne.NewSize(width, 0))
	return container.NewStack(spacer, o)
}

// Options gives a Select the width of its longest option, so a choice is shown
// whole in the UI language: a Select asks only for its placeholder's width, which
// cuts "Auto (Content-Type or <meta>)" or "文本 + 十六进制" short in an HBox. It measures the
// options as they are now; call it after setting them.
func Options(s *widget.Select) fyne.CanvasObject {
	th := theme.Current()
	text := th.Size(theme.SizeNameText)
	var w float32
	for _, o := range append([]string{s.PlaceHolder}, s.Options...) {
		w = max(w, fyne.MeasureText(o, text, fyne.TextStyle{}).Width)
	}
	pad := th.Size(theme.SizeNameInnerPadding)
	// As the Select's renderer adds: padding either side and before its icon.
	return Width(s, w+pad*4+th.Size(theme.SizeNameInlineIcon))
}
