// Package jsonfile reads JSON documents that people keep in files and says
// exactly where a problem is: the file, the line and column of a syntax error
// (a truncated or damaged file), and the JSON path of a value that is wrong
// (messages[3].mode). Formats built on it check each field themselves, with
// Value's typed accessors, so that every error they return names its place.
package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultMaxSize is a size limit for ReadFile that no hand-made file reaches.
const DefaultMaxSize = 32 << 20

// maxDepth bounds how deeply arrays and objects may nest: formats read here
// are shallow, and a hostile file of a million '[' must not exhaust the stack.
const maxDepth = 64

// Error is a problem in a JSON document, and where it is.
type Error struct {
	File   string // the file as the user named it; "" for data not from a file
	Line   int    // 1-based line of a syntax error; 0 for a problem with a value
	Column int    // 1-based column (in characters) of a syntax error
	Path   string // JSON path of the value, e.g. messages[3].mode; "" for the document
	Msg    string // what is wrong
	Err    error  // the cause, if any: an I/O error, a checker's error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		if e.Msg != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ReadFile reads the file at path, refusing one larger than max bytes. Errors
// are *Error naming the file; errors.Is(err, fs.ErrNotExist) tells a missing
// file.
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot open", Err: unwrapPath(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot read", Err: unwrapPath(err)}
	}
	if int64(len(data)) > max {
		return nil, &Error{File: path, Msg: fmt.Sprintf("larger than %d MiB: not a file this program wrote", max>>20)}
	}
	return data, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Value is one JSON value of a parsed document and its place in it.
type Value struct {
	file string
	path string
	v    any // map[string]any, []any, string, json.Number, bool or nil
}

// Parse reads one JSON document. A syntax error (a truncated or damaged file,
// data after the document, a key given twice, nesting deeper than 64 levels)
// is an *Error with the line and column and the path of the value being read.
// file names the data in errors.
func Parse(data []byte, file string) (Value, error) {
	// The standard scanner finds a syntax error and its exact offset; the
	// walk below, stopped there, says which value it was in.
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			return Value{}, &Error{File: file, Msg: err.Error()}
		}
		at, msg := se.Offset-1, se.Error() // Offset counts the offending byte
		if msg == "unexpected end of JSON input" {
			at, msg = int64(len(data)), "the file ends in the middle of the document: it is truncated or damaged"
		}
		path := ""
		if _, err := walk(data[:at], file); err != nil {
			if err.Msg != errTruncated {
				return Value{}, err // a duplicate key or deep nesting before the syntax error
			}
			path = err.Path
		}
		line, col := position(data, at)
		return Value{}, &Error{File: file, Line: line, Column: col, Path: path, Msg: msg}
	}
	v, err := walk(data, file)
	if err != nil {
		return Value{}, err
	}
	return Value{file: file, v: v}, nil
}

// errTruncated is walk's message for data that ends inside a value.
const errTruncated = "truncated"

// walk builds the tree of a document that the scanner found valid (or of the
// valid part before a syntax error), refusing duplicate keys and deep nesting.
func walk(data []byte, file string) (any, *Error) {
	w := walker{data: data, file: file, dec: json.NewDecoder(bytes.NewReader(data))}
	w.dec.UseNumber()
	return w.value("", 0)
}

type walker struct {
	data []byte
	file string
	dec  *json.Decoder
}

func (w *walker) value(path string, depth int) (any, *Error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, w.errorAt(path, errTruncated, w.dec.InputOffset())
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth == maxDepth {
		return nil, w.errorAt(path, fmt.Sprintf("nested more than %d levels deep", maxDepth), w.dec.InputOffset()-1)
	}
	if d == '[' {
		list := []any{}
		for w.dec.More() {
			v, err := w.value(Index(path, len(list)), depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, w.closing(path)
	}
	obj := map[string]any{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return nil, w.errorAt(path, errTruncated, w.dec.InputOffset())
		}
		key := tok.(string) // the decoder allows only a string here
		if _, dup := obj[key]; dup {
			end := w.dec.InputOffset()
			start := int64(bytes.LastIndexByte(w.data[:end-1], '"'))
			return nil, w.errorAt(Key(path, key), "the key is given twice", start)
		}
		v, verr := w.value(Key(path, key), depth+1)
		if verr != nil {
			return nil, verr
		}
		obj[key] = v
	}
	return obj, w.closing(path)
}

// closing reads the ']' or '}' that More announced.
func (w *walker) closing(path string) *Error {
	if _, err := w.dec.Token(); err != nil {
		return w.errorAt(path, errTruncated, w.dec.InputOffset())
	}
	return nil
}

func (w *walker) errorAt(path, msg string, offset int64) *Error {
	line, col := position(w.data, offset)
	return &Error{File: w.file, Line: line, Column: col, Path: path, Msg: msg}
}

// position turns a byte offset into a 1-based line and column in characters.
func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}

// Key is the path of an object's member: parent.key, or parent["key"] when
// the key is not a plain identifier.
func Key(parent, key string) string {
	if !plainKey(key) {
		return parent + "[" + strconv.Quote(key) + "]"
	}
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// Index is the path of an array's element: parent[i], counting from 0.
func Index(parent string, i int) string { return parent + "[" + strconv.Itoa(i) + "]" }

func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for i, r := range key {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// File is the name of the file the value is from, as given to Parse.
func (v Value) File() string { return v.file }

// Path is the value's JSON path; "" for the document itself.
func (v Value) Path() string { return v.path }

// Errorf is an *Error at this value.
func (v Value) Errorf(format string, args ...any) *Error {
	return &Error{File: v.file, Path: v.path, Msg: fmt.Sprintf(format, args...)}
}

// Wrap is an *Error at this value with a cause.
func (v Value) Wrap(err error) *Error { return &Error{File: v.file, Path: v.path, Err: err} }

// Kind names the value's JSON type: object, array, string, number, boolean or null.
func (v Value) Kind() string {
	switch v.v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

func (v Value) wrongKind(want string) *Error {
	return v.Errorf("want %s, found %s", want, article(v.Kind()))
}

func article(kind string) string {
	switch kind {
	case "object", "array":
		return "an " + kind
	case "null":
		return "null"
	}
	return "a " + kind
}

// IsNull tells a JSON null.
func (v Value) IsNull() bool { return v.v == nil }

// AsString is the value of a string.
func (v Value) AsString() (string, error) {
	if s, ok := v.v.(string); ok {
		return s, nil
	}
	return "", v.wrongKind("a string")
}

// AsBool is the value of true or false.
func (v Value) AsBool() (bool, error) {
	if b, ok := v.v.(bool); ok {
		return b, nil
	}
	return false, v.wrongKind("true or false")
}

// Number is the text of a number, as written; ok is false for other kinds.
func (v Value) Number() (text string, ok bool) {
	n, ok := v.v.(json.Number)
	return string(n), ok
}

// AsInt is the value of a whole number that fits in an int64.
func (v Value) AsInt() (int64, error) {
	n, ok := v.v.(json.Number)
	if !ok {
		return 0, v.wrongKind("a whole number")
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return 0, v.Errorf("want a whole number, found %s", n)
	}
	return i, nil
}

// AsArray is the elements of an array.
func (v Value) AsArray() ([]Value, error) {
	list, ok := v.v.([]any)
	if !ok {
		return nil, v.wrongKind("an array")
	}
	out := make([]Value, len(list))
	for i, e := range list {
		out[i] = Value{file: v.file, path: Index(v.path, i), v: e}
	}
	return out, nil
}

// AsObject is the members of an object.
func (v Value) AsObject() (Object, error) {
	m, ok := v.v.(map[string]any)
	if !ok {
		return Object{}, v.wrongKind("an object")
	}
	return Object{Value: v, m: m}, nil
}

// Object is a JSON object and its place in the document.
type Object struct {
	Value
	m map[string]any
}

// Get returns the member named key.
func (o Object) Get(key string) (Value, bool) {
	e, ok := o.m[key]
	return Value{file: o.file, path: Key(o.path, key), v: e}, ok
}

// Keys lists the member names, sorted.
func (o Object) Keys() []string {
	keys := make([]string, 0, len(o.m))
	for k := range o.m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Unknown lists, sorted, the member names that are not in known.
func (o Object) Unknown(known ...string) []string {
	var out []string
	for _, k := range o.Keys() {
		if !slices.Contains(known, k) {
			out = append(out, k)
		}
	}
	return out
}
