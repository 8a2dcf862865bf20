//go:build ignore

// pngcheck fails unless a PNG shows something: at least a few distinct colours over
// a fair share of its area. `make test` runs it on the window screenshot (at least
// 200x150); `make package-check` on each packaged icon (exactly NxN).
//
//	go run scripts/pngcheck.go FILE.png
//	go run scripts/pngcheck.go --size N FILE.png...
package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"strconv"
)

func main() {
	switch {
	case len(os.Args) == 2:
		check(os.Args[1], func(b image.Rectangle) bool { return b.Dx() >= 200 && b.Dy() >= 150 }, "at least 200x150")
	case len(os.Args) >= 4 && os.Args[1] == "--size":
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n <= 0 {
			fail(fmt.Sprintf("--size %q: want a number of pixels", os.Args[2]))
		}
		for _, path := range os.Args[3:] {
			check(path, func(b image.Rectangle) bool { return b.Dx() == n && b.Dy() == n }, fmt.Sprintf("%dx%d", n, n))
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: go run scripts/pngcheck.go FILE.png | --size N FILE.png...")
		os.Exit(2)
	}
}

// check fails unless the PNG at path has a size sizeOK accepts (want says which)
// and does not look blank.
func check(path string, sizeOK func(image.Rectangle) bool, want string) {
	f, err := os.Open(path)
	if err != nil {
		fail(err.Error())
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		fail(path + ": " + err.Error())
	}
	b := img.Bounds()
	if !sizeOK(b) {
		fail(fmt.Sprintf("%s is %dx%d, want %s", path, b.Dx(), b.Dy(), want))
	}
	colours, differing := census(img)
	total := b.Dx() * b.Dy()
	// A blank or one-colour picture has one colour; a real window has text (many
	// anti-aliased shades) and widgets that differ from the background.
	if colours < 8 || differing*200 < total {
		fail(fmt.Sprintf("%s looks blank: %d colours, %d of %d pixels differ from the background", path, colours, differing, total))
	}
	fmt.Printf("pngcheck: %s %dx%d, %d colours, %.1f%% of pixels not background\n", path, b.Dx(), b.Dy(), colours, 100*float64(differing)/float64(total))
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
