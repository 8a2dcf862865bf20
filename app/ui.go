package app

import (
	"fyne.io/fyne/v2"
)

// uiRunner runs functions on Fyne's goroutine. Background goroutines (pumps, send
// workers, connect attempts) reach widgets only through it.
type uiRunner interface {
	Do(func())
}

// fyneUI is the real thing: fyne.Do.
type fyneUI struct{}

func (fyneUI) Do(fn func()) { fyne.Do(fn) }

// env is what every panel needs from its surroundings.
type env struct {
	app fyne.App
	win fyne.Window
	ui  uiRunner
	lib *libraryStore // the app's message library, shared by every session
}
