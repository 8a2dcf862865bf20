// Package resources holds the files Sockdesk bundles into its binary: the icon and
// the UI translations.
package resources

import (
	"embed"

	"fyne.io/fyne/v2"
)

// Translations holds translations/<lang>.json: one flat JSON object per language,
// English UI text to its translation, the format Fyne's lang package reads.
//
//go:embed translations
var Translations embed.FS

//go:embed icon.png
var iconPNG []byte

// Icon is the app icon (icon.svg is its source).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
