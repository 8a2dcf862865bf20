package app

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// sendShortcutName is how the send shortcut is written on this system.
func sendShortcutName() string {
	if runtime.GOOS == "darwin" {
		return "⌘+Return"
	}
	return "Ctrl+Enter"
}

// sendEntry is a multi-line Entry where Ctrl+Enter (Cmd+Enter on macOS) sends.
//
// Fyne 2.7.1's GLFW window turns a key pressed with Control, Alt or Super into
// a desktop.CustomShortcut and hands it to the focused widget's TypedShortcut
// instead of TypedKey, so the Entry never sees that Return and inserts no line
// break; plain Return still reaches TypedKey and breaks the line.
type sendEntry struct {
	widget.Entry
	onSend func()
}

func newSendEntry(onSend func()) *sendEntry {
	e := &sendEntry{onSend: onSend}
	e.MultiLine = true
	// One row high, docked under the log: a long message scrolls sideways rather
	// than wrap out of sight.
	e.Wrapping = fyne.TextWrapOff
	e.Scroll = container.ScrollHorizontalOnly
	e.ExtendBaseWidget(e)
	e.SetMinRowsVisible(1)
	return e
}

// TypedShortcut sends on Ctrl+Enter / Cmd+Enter (Return or keypad Enter) and
// leaves every other shortcut (copy, paste, undo, word moves) to the Entry.
func (e *sendEntry) TypedShortcut(s fyne.Shortcut) {
	if isSendShortcut(s) {
		if e.onSend != nil {
			e.onSend()
		}
		return
	}
	e.Entry.TypedShortcut(s)
}

func isSendShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && cs.Modifier == fyne.KeyModifierShortcutDefault &&
		(cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter)
}
