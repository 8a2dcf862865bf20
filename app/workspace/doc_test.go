package workspace

import (
	"os"
	"strings"
	"testing"
)

// The example in docs/workspace-format.md opens without problems and is
// exactly what Save writes.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/workspace-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(doc), "```json\n")
	example, _, _ := strings.Cut(rest, "```")
	w, problems, err := Parse([]byte(example), "example.sockdesk")
	if err != nil || len(problems) != 0 {
		t.Fatalf("the example: %v, problems %v", err, problems)
	}
	if len(w.Sessions) != 3 || w.Active != 1 {
		t.Errorf("the example opened as %+v", w)
	}
	data, _ := w.Marshal()
	if string(data) != example {
		t.Errorf("Save writes:\n%s\nthe example is:\n%s", data, example)
	}
}
