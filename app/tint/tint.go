// Package tint holds the colour arithmetic the app's drawings share: how light
// a colour is and how to move one colour towards another, so that a hue reads
// on the theme's background in a light and a dark theme alike.
package tint

import "image/color"

// NRGBA is c as non-premultiplied RGBA.
func NRGBA(c color.Color) color.NRGBA {
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}

// Luminance is how light c looks, from 0 (black) to 1 (white): the Rec. 709
// weights of its channels.
func Luminance(c color.NRGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// Mix moves a towards b by f (0 keeps a, 1 gives b); the result is opaque.
func Mix(a, b color.NRGBA, f float64) color.NRGBA {
	m := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*f + 0.5) }
	return color.NRGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 0xff}
}
