package plot

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// seriesColor is the colour of the i-th series: the theme's accent colours first,
// then further hues, each brought towards the theme's foreground so that it
// stands out against the background in a light and a dark theme alike.
func seriesColor(i int, th fyne.Theme, v fyne.ThemeVariant) color.NRGBA {
	bg := toNRGBA(th.Color(theme.ColorNameBackground, v))
	named := []fyne.ThemeColorName{theme.ColorNamePrimary, theme.ColorNameError, theme.ColorNameSuccess, theme.ColorNameWarning}
	if i < len(named) {
		return contrasting(toNRGBA(th.Color(named[i], v)), bg)
	}
	extra := []color.NRGBA{
		{0x9c, 0x27, 0xb0, 0xff}, // purple
		{0x00, 0x96, 0x88, 0xff}, // teal
		{0x79, 0x55, 0x48, 0xff}, // brown
		{0xe9, 0x1e, 0x63, 0xff}, // pink
		{0x60, 0x7d, 0x8b, 0xff}, // blue grey
		{0xcd, 0xa0, 0x00, 0xff}, // dark yellow
		{0x3f, 0x51, 0xb5, 0xff}, // indigo
		{0x00, 0xbc, 0xd4, 0xff}, // cyan
	}
	return contrasting(extra[(i-len(named))%len(extra)], bg)
}

// contrasting brings c towards black on a light background and towards white on
// a dark one when it is too close to the background to read as a thin line.
func contrasting(c, bg color.NRGBA) color.NRGBA {
	const least = 0.3 // luminance apart
	lc, lb := luminance(c), luminance(bg)
	switch {
	case lb >= 0.5 && lb-lc < least:
		return mix(c, color.NRGBA{0, 0, 0, 0xff}, min(1, (least-(lb-lc))/lc))
	case lb < 0.5 && lc-lb < least:
		return mix(c, color.NRGBA{0xff, 0xff, 0xff, 0xff}, min(1, (least-(lc-lb))/(1-lc)))
	}
	return c
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
