//go:build ignore

// icons puts the app icon into the freedesktop hicolor theme at the sizes desktops
// look for, scaled down from the PNG the app bundles, plus the SVG as the scalable one:
//
//	go run scripts/icons.go resources/icon.png resources/icon.svg io.github.sockdesk ROOT
//
// writes ROOT/usr/share/icons/hicolor/{16x16,...,512x512}/apps/io.github.sockdesk.png
// and ROOT/usr/share/icons/hicolor/scalable/apps/io.github.sockdesk.svg, with no
// image tool but golang.org/x/image (already in the module graph through Fyne).
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"

	"golang.org/x/image/draw"
)

// sizes are the hicolor sizes software centres, menus, docks and taskbars use.
var sizes = []int{16, 22, 24, 32, 48, 64, 128, 256, 512}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/icons.go ICON.png ICON.svg APP_ID ROOT")
		os.Exit(2)
	}
	pngPath, svgPath, appID, root := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	src, err := readPNG(pngPath)
	if err != nil {
		fail(err)
	}
	svg, err := os.ReadFile(svgPath)
	if err != nil {
		fail(err)
	}
	hicolor := filepath.Join(root, "usr", "share", "icons", "hicolor")
	for _, n := range sizes {
		dst := image.NewNRGBA(image.Rect(0, 0, n, n))
		// Catmull-Rom averages every source pixel under a target pixel, so thin
		// lines stay visible at 16x16.
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
		var buf bytes.Buffer
		if err := png.Encode(&buf, dst); err != nil {
			fail(err)
		}
		write(filepath.Join(hicolor, fmt.Sprintf("%dx%d", n, n), "apps", appID+".png"), buf.Bytes())
	}
	write(filepath.Join(hicolor, "scalable", "apps", appID+".svg"), svg)
}

// readPNG reads a square PNG at least as large as the largest size.
func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b := img.Bounds()
	if b.Dx() != b.Dy() || b.Dx() < sizes[len(sizes)-1] {
		return nil, fmt.Errorf("%s is %dx%d: want a square of at least %d pixels", path, b.Dx(), b.Dy(), sizes[len(sizes)-1])
	}
	return img, nil
}

func write(path string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fail(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "icons:", err)
	os.Exit(1)
}
