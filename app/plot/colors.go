package plot

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/sockdesk/sockdesk/app/tint"
)

// seriesColor is the colour of the i-th series: the theme's accent colours first,
// then further hues, each brought towards the theme's foreground so that it
// stands out against the background in a light and a dark theme alike.
func seriesColor(i int, th fyne.Theme, v fyne.ThemeVariant) color.NRGBA {
	bg := tint.NRGBA(th.Color(theme.ColorNameBackground, v))
	named := []fyne.ThemeColorName{theme.ColorNamePrimary, theme.ColorNameError, theme.ColorNameSuccess, theme.ColorNameWarning}
	if i < len(named) {
		return contrasting(tint.NRGBA(th.Color(named[i], v)), bg)
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
	lc, lb := tint.Luminance(c), tint.Luminance(bg)
	switch {
	case lb >= 0.5 && lb-lc < least:
		return tint.Mix(c, color.NRGBA{0, 0, 0, 0xff}, min(1, (least-(lb-lc))/lc))
	case lb < 0.5 && lc-lb < least:
		return tint.Mix(c, color.NRGBA{0xff, 0xff, 0xff, 0xff}, min(1, (least-(lc-lb))/(1-lc)))
	}
	return c
}
