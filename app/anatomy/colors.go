package anatomy

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
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
	bg := toNRGBA(th.Color(theme.ColorNameBackground, v))
	hue, ok := layerHues[mark]
	if !ok {
		return bg
	}
	share := 0.30
	if luminance(bg) < 0.5 {
		share = 0.42 // a dark background takes more of the hue to show it
	}
	return mix(bg, hue, share)
}

// currentTheme is the app's theme and variant now (the test app's in tests).
func currentTheme() (fyne.Theme, fyne.ThemeVariant) {
	a := fyne.CurrentApp()
	if a == nil {
		return theme.DefaultTheme(), theme.VariantLight
	}
	return a.Settings().Theme(), a.Settings().ThemeVariant()
}

func toNRGBA(c color.Color) color.NRGBA {
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}

func luminance(c color.NRGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// mix moves a towards b by f (0..1).
func mix(a, b color.NRGBA, f float64) color.NRGBA {
	m := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*f + 0.5) }
	return color.NRGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 0xff}
}
