package library

import (
	"os"
	"strings"
	"testing"
)

// The examples in docs/library-format.md: the library loads and is exactly
// what Save writes; the Packet Sender export imports.
func TestDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/library-format.md")
	if err != nil {
		t.Fatal(err)
	}
	var examples []string
	for rest := string(doc); ; {
		var ok bool
		if _, rest, ok = strings.Cut(rest, "```json\n"); !ok {
			break
		}
		var example string
		example, rest, _ = strings.Cut(rest, "```")
		examples = append(examples, example)
	}
	if len(examples) != 2 {
		t.Fatalf("%d JSON examples in the document, want 2", len(examples))
	}
	lib, err := Parse([]byte(examples[0]), "example.json", testCheck)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := lib.Marshal(); string(data) != examples[0] {
		t.Errorf("Save writes:\n%s\nthe example is:\n%s", data, examples[0])
	}
	src, err := ParseSource([]byte(examples[1]), "packets.json", Detect, testCheck)
	if err != nil || len(src.Messages) != 1 || len(src.Notes) != 0 {
		t.Fatalf("the Packet Sender example: %+v, %v", src, err)
	}
	want := Message{Name: "Hello", Mode: ModeHex, Payload: "48 65 6C 6C 6F", Destination: "192.168.1.50:5000", Protocol: UDP, Repeat: 1500e6}
	if src.Messages[0] != want {
		t.Errorf("imported %+v, want %+v", src.Messages[0], want)
	}
}
