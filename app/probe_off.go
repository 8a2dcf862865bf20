//go:build !probe

package app

import (
	"time"

	"fyne.io/fyne/v2"
)

// probe is the real-window benchmark's probe (probe.go), absent from this build:
// uiProbe is nil and its hooks do nothing.
type probe struct{}

var uiProbe *probe

func (*probe) batch(int, time.Time, func() int) {}
func (*probe) locate(string, fyne.CanvasObject) {}
func (*probe) mark(string, string)              {}
func (*probe) took(string, time.Time)           {}
