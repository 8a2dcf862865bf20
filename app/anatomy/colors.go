package anatomy

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/sockdesk/sockdesk/app/tint"
)

// layerHues are the colours that tell a frame's layers apart, by the layer's
// mark (packet.Layer.Mark): Ethernet brown-grey, IP blue, UDP green, TCP
// orange, the application's bytes purple.
var layerHues = map[byte]color.NRGBA{
	'E': {0x8d, 0x6e, 0x63, 0xff},
	'I': {0x1e, 0x88, 0xe5, 0xff},
	'U': {0x43, 0xa0, 0x47, 0xff},
	'T': {0xfb, 0x8c, 0x00, 0xff},
	'A': {0x8e, 0x24, 0xaa, 0xff},
}

// LayerColor is the background of a layer's bytes in the hex map (and its
// swatch in the legend): the layer's hue mixed into the theme's background,
// enough to tell the layers apart while the theme's text colour stays easy to
// read on it, in a light and a dark theme alike.
func LayerColor(mark byte, th fyne.Theme, v fyne.ThemeVariant) color.NRGBA {
	bg := tint.NRGBA(th.Color(theme.ColorNameBackground, v))
	hue, ok := layerHues[mark]
	if !ok {
		return bg
	}
	share := 0.30
	if tint.Luminance(bg) < 0.5 {
		share = 0.42 // a dark background takes more of the hue to show it
	}
	return tint.Mix(bg, hue, share)
}

// currentTheme is the app's theme and variant now (the test app's in tests).
func currentTheme() (fyne.Theme, fyne.ThemeVariant) {
	a := fyne.CurrentApp()
	if a == nil {
		return theme.DefaultTheme(), theme.VariantLight
	}
	return a.Settings().Theme(), a.Settings().ThemeVariant()
}
