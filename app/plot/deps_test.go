package plot

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The chart imports the standard library and Fyne, but not Fyne's app package
// (its tests run headless, without cgo) and nothing of the project.
func TestImportsOnlyFyneWidgets(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			fyne := path == "fyne.io/fyne/v2" || strings.HasPrefix(path, "fyne.io/fyne/v2/")
			if strings.Contains(first, ".") && !fyne || path == "fyne.io/fyne/v2/app" || strings.HasPrefix(path, "fyne.io/fyne/v2/app/") {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
