package tint

import (
	"image/color"
	"math"
	"testing"
)

func TestLuminanceAndMix(t *testing.T) {
	black, white := color.NRGBA{0, 0, 0, 0xff}, color.NRGBA{0xff, 0xff, 0xff, 0xff}
	if Luminance(black) != 0 || math.Abs(Luminance(white)-1) > 1e-9 {
		t.Errorf("luminance of black %v, of white %v; want 0 and 1", Luminance(black), Luminance(white))
	}
	if g := Luminance(color.NRGBA{0, 0xff, 0, 0xff}); g <= Luminance(color.NRGBA{0xff, 0, 0, 0xff}) {
		t.Errorf("green %v should look lighter than red", g)
	}
	if got := Mix(black, white, 0.5); got != (color.NRGBA{0x80, 0x80, 0x80, 0xff}) {
		t.Errorf("half way from black to white: %v", got)
	}
	if got := Mix(color.NRGBA{10, 20, 30, 0x40}, white, 0); got != (color.NRGBA{10, 20, 30, 0xff}) {
		t.Errorf("mix by 0: %v, want a opaque", got)
	}
	if got := NRGBA(color.RGBA{0x40, 0, 0, 0x80}); got != (color.NRGBA{0x7f, 0, 0, 0x80}) {
		t.Errorf("NRGBA of premultiplied half-alpha red: %v", got)
	}
}
