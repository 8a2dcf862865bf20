//go:build ignore

// pngcheck fails unless a PNG shows something: at least a few distinct colours over
// a fair share of its area. `make test` runs it on the window screenshot.
//
//	go run scripts/pngcheck.go FILE.png
package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/pngcheck.go FILE.png")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fail(err.Error())
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		fail(err.Error())
	}
	b := img.Bounds()
	if b.Dx() < 200 || b.Dy() < 150 {
		fail(fmt.Sprintf("%s is only %dx%d", os.Args[1], b.Dx(), b.Dy()))
	}
	colours, differing := census(img)
	total := b.Dx() * b.Dy()
	// A blank or one-colour picture has one colour; a real window has text (many
	// anti-aliased shades) and widgets that differ from the background.
	if colours < 8 || differing*200 < total {
		fail(fmt.Sprintf("%s looks blank: %d colours, %d of %d pixels differ from the background", os.Args[1], colours, differing, total))
	}
	fmt.Printf("pngcheck: %s %dx%d, %d colours, %.1f%% of pixels not background\n", os.Args[1], b.Dx(), b.Dy(), colours, 100*float64(differing)/float64(total))
}

// census counts distinct colours and the pixels that differ from the most common one.
func census(img image.Image) (colours, differing int) {
	counts := map[[4]uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			counts[[4]uint32{r, g, bl, a}]++
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	return len(counts), b.Dx()*b.Dy() - most
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "pngcheck:", msg)
	os.Exit(1)
}
