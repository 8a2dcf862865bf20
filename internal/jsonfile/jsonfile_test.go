package jsonfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const doc = `{
  "format": "x",
  "messages": [
    {"name": "a", "n": 3},
    {"name": "b", "weird key": 1.5}
  ]
}
`

func TestParseAndPaths(t *testing.T) {
	root, err := Parse([]byte(doc), "f.json")
	if err != nil {
		t.Fatal(err)
	}
	obj, err := root.AsObject()
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := obj.Get("messages")
	list, err := msgs.AsArray()
	if err != nil || len(list) != 2 {
		t.Fatalf("messages: %v %v", list, err)
	}
	second, _ := list[1].AsObject()
	w, _ := second.Get("weird key")
	if w.Path() != `messages[1]["weird key"]` {
		t.Errorf("path %q", w.Path())
	}
	if _, err := w.AsInt(); err == nil || err.Error() != `f.json: messages[1]["weird key"]: want a whole number, found 1.5` {
		t.Errorf("AsInt of 1.5: %v", err)
	}
	first, _ := list[0].AsObject()
	n, _ := first.Get("n")
	if i, err := n.AsInt(); i != 3 || err != nil {
		t.Errorf("n = %d, %v", i, err)
	}
	name, _ := first.Get("name")
	if _, err := name.AsObject(); err == nil || err.Error() != "f.json: messages[0].name: want an object, found a string" {
		t.Errorf("AsObject of a string: %v", err)
	}
	if got := second.Unknown("name"); len(got) != 1 || got[0] != "weird key" {
		t.Errorf("Unknown = %q", got)
	}
	if _, ok := first.Get("missing"); ok {
		t.Error("Get found a missing key")
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"truncated in a string", doc[:strings.Index(doc, `"b"`)+2],
			`f.json:5:16: messages[1].name: the file ends in the middle of the document: it is truncated or damaged`},
		{"truncated after a member", doc[:strings.Index(doc, `"n": 3`)+6],
			`f.json:4:25: messages[0]: the file ends in the middle of the document: it is truncated or damaged`},
		{"empty", "", `f.json:1:1: the file ends in the middle of the document: it is truncated or damaged`},
		{"bad character", "{\n \"a\": [1, 2, x]}", `f.json:2:14: a[2]: invalid character 'x' looking for beginning of value`},
		{"trailing data", `{"a": 1} {"b": 2}`, `f.json:1:10: invalid character '{' after top-level value`},
		{"duplicate key", `{"a": 1, "a": 2}`, `f.json:1:10: a: the key is given twice`},
		{"too deep", strings.Repeat("[", 100000), `f.json:1:65: [0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nested more than 64 levels deep`},
		{"column counts characters", "{\"名前\": x}", `f.json:1:8: ["名前"]: invalid character 'x' looking for beginning of value`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.data), "f.json")
			var e *Error
			if !errors.As(err, &e) || e.Line == 0 {
				t.Fatalf("error %v, want an *Error with a position", err)
			}
			if err.Error() != c.want {
				t.Errorf("\n got %s\nwant %s", err, c.want)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.json")
	_, err := ReadFile(missing, DefaultMaxSize)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), missing+": cannot open: ") {
		t.Errorf("missing file: %v", err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, make([]byte, 2<<20+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(big, 2<<20); err == nil || !strings.Contains(err.Error(), "larger than 2 MiB") {
		t.Errorf("too big: %v", err)
	}
	if data, err := ReadFile(big, 4<<20); err != nil || len(data) != 2<<20+1 {
		t.Errorf("read %d bytes, %v", len(data), err)
	}
}
