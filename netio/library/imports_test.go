package library

import (
	goparser "go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The package stays a leaf: the standard library and the two file helpers,
// never the charset or checksum packages (a Checker stands in for them).
func TestImportsStayLeaf(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	allowed := []string{"github.com/sockdesk/sockdesk/internal/atomicfile", "github.com/sockdesk/sockdesk/internal/jsonfile"}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := goparser.ParseFile(token.NewFileSet(), f, nil, goparser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") && !slices.Contains(allowed, path) {
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
}
