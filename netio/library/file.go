package library

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sockdesk/sockdesk/internal/atomicfile"
	"github.com/sockdesk/sockdesk/internal/jsonfile"
)

// The file format: see docs/library-format.md.
const (
	FormatName = "sockdesk-library" // the value of "format"
	Version    = 1                  // the version this package reads and writes
)

// maxErrors is how many problems Parse lists before it stops counting.
const maxErrors = 20

// fileMessage is a message as the file holds it, fields in the file's order.
type fileMessage struct {
	Name        string `json:"name"`
	Group       string `json:"group,omitempty"`
	Mode        Mode   `json:"mode"`
	Payload     string `json:"payload"`
	Charset     string `json:"charset,omitempty"`
	Checksum    string `json:"checksum,omitempty"`
	Destination string `json:"destination,omitempty"`
	Protocol    string `json:"protocol,omitempty"`
	RepeatMs    int64  `json:"repeat_ms,omitempty"`
	Note        string `json:"note,omitempty"`
}

type fileLibrary struct {
	Format   string        `json:"format"`
	Version  int           `json:"version"`
	Messages []fileMessage `json:"messages"`
}

// Marshal is the library as a version 1 file: indented JSON ending in a newline.
func (l *Library) Marshal() ([]byte, error) {
	f := fileLibrary{Format: FormatName, Version: Version, Messages: make([]fileMessage, len(l.messages))}
	for i, m := range l.messages {
		f.Messages[i] = fileMessage{
			Name: m.Name, Group: m.Group, Mode: m.Mode, Payload: m.Payload,
			Charset: m.Charset, Checksum: m.Checksum, Destination: m.Destination,
			Protocol: string(m.Protocol), RepeatMs: m.Repeat.Milliseconds(), Note: m.Note,
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // payloads and rules keep their < > & as typed
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes the library to path atomically, keeping the file's previous
// version as path+".bak". If the save fails the file is as it was.
func (l *Library) Save(path string) error { return l.write(path, true) }

// Export writes the library (or a Group of it) to path atomically, for
// sharing; no backup is kept.
func (l *Library) Export(path string) error { return l.write(path, false) }

func (l *Library) write(path string, backup bool) error {
	data, err := l.Marshal()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data, atomicfile.Options{Backup: backup})
}

// Load reads the library file at path; see Parse. A missing file is an error
// (errors.Is(err, fs.ErrNotExist)): the caller decides whether that means an
// empty library.
func Load(path string, check Checker) (*Library, error) {
	data, err := jsonfile.ReadFile(path, jsonfile.DefaultMaxSize)
	if err != nil {
		return nil, err
	}
	return Parse(data, path, check)
}

// Parse reads a library file's content; file names it in errors. The whole
// file is checked and every problem returned (the first 20), each an *Error
// naming the file and the JSON path of the bad field; a library is returned
// only when there is none. A file of a newer version is refused.
func Parse(data []byte, file string, check Checker) (*Library, error) {
	root, err := jsonfile.Parse(data, file)
	if err != nil {
		return nil, err
	}
	obj, err := header(root, FormatName)
	if err != nil {
		return nil, err
	}
	r := reader{check: check}
	for _, k := range obj.Unknown("format", "version", "messages") {
		v, _ := obj.Get(k)
		r.add(v.Errorf("not a field of a version %d library", Version))
	}
	list, ok := obj.Get("messages")
	if !ok {
		r.add(obj.Errorf(`no "messages": want "messages": [...]`))
	} else if items, err := list.AsArray(); err != nil {
		r.add(err)
	} else {
		r.messages(items)
	}
	if len(r.errs) > 0 {
		return nil, r.err()
	}
	return &Library{messages: r.out, check: check}, nil
}

// header checks "format" and "version" and returns the document's object.
func header(root jsonfile.Value, format string) (jsonfile.Object, error) {
	obj, err := root.AsObject()
	if err != nil {
		if root.Kind() == "array" {
			return obj, root.Errorf("this is a list, not a Sockdesk library; a Packet Sender export is imported, not opened")
		}
		return obj, err
	}
	f, ok := obj.Get("format")
	if !ok {
		return obj, obj.Errorf(`no "format": this is not a Sockdesk library (want "format": %q)`, format)
	}
	name, err := f.AsString()
	if err != nil {
		return obj, err
	}
	if name != format {
		return obj, f.Errorf("%q is not %q: this file is not a Sockdesk library", name, format)
	}
	v, ok := obj.Get("version")
	if !ok {
		return obj, obj.Errorf(`no "version": want "version": %d`, Version)
	}
	n, err := v.AsInt()
	if err != nil {
		return obj, err
	}
	switch {
	case n > Version:
		return obj, v.Errorf("version %d was written by a newer Sockdesk, which this one (version %d) cannot read safely: update Sockdesk", n, Version)
	case n < 1:
		return obj, v.Errorf("%d is not a version (want %d)", n, Version)
	}
	return obj, nil
}

// reader collects the messages of a file and its problems.
type reader struct {
	check   Checker
	out     []Message
	errs    []error
	dropped int // problems past maxErrors
}

func (r *reader) add(err error) {
	if len(r.errs) < maxErrors {
		r.errs = append(r.errs, err)
	} else {
		r.dropped++
	}
}

// err joins the problems; each is on a line of its own.
func (r *reader) err() error {
	errs := r.errs
	if r.dropped > 0 {
		errs = append(errs, fmt.Errorf("... and %d more problems", r.dropped))
	}
	return errors.Join(errs...)
}

func (r *reader) messages(items []jsonfile.Value) {
	for _, item := range items {
		m, obj, ok := r.message(item)
		if !ok {
			continue
		}
		if j := slices.IndexFunc(r.out, func(o Message) bool { return sameName(o.Name, m.Name) }); j >= 0 {
			v, _ := obj.Get(fieldName)
			r.add(v.Errorf("%q is already the name of the message %q; names must differ, regardless of case", m.Name, r.out[j].Name))
			continue
		}
		r.out = append(r.out, m)
	}
}

// message reads one message, adding its problems; ok is false if it had any.
func (r *reader) message(item jsonfile.Value) (m Message, obj jsonfile.Object, ok bool) {
	obj, err := item.AsObject()
	if err != nil {
		r.add(err)
		return m, obj, false
	}
	before := len(r.errs) + r.dropped
	for _, k := range obj.Unknown(fieldName, fieldGroup, fieldMode, fieldPayload, fieldCharset,
		fieldChecksum, fieldDestination, fieldProtocol, fieldRepeat, fieldNote) {
		v, _ := obj.Get(k)
		r.add(v.Errorf("not a field of a message (known: name, group, mode, payload, charset, checksum, destination, protocol, repeat_ms, note)"))
	}
	unread := map[string]bool{} // fields missing or of the wrong type: not checked further
	str := func(field string, required bool) string {
		v, present := obj.Get(field)
		if !present {
			if required {
				unread[field] = true
				r.add(obj.Errorf("no %q: a message needs a name, a mode and a payload", field))
			}
			return ""
		}
		s, err := v.AsString()
		if err != nil {
			unread[field] = true
			r.add(err)
		}
		return s
	}
	m.Name = str(fieldName, true)
	m.Group = str(fieldGroup, false)
	m.Mode = Mode(str(fieldMode, true))
	m.Payload = str(fieldPayload, true)
	m.Charset = str(fieldCharset, false)
	m.Checksum = str(fieldChecksum, false)
	m.Destination = str(fieldDestination, false)
	m.Protocol = Protocol(str(fieldProtocol, false))
	m.Note = str(fieldNote, false)
	if v, present := obj.Get(fieldRepeat); present {
		ms, err := v.AsInt()
		switch {
		case err != nil:
			r.add(err)
		case ms < 0 || ms > MaxRepeat.Milliseconds():
			r.add(v.Errorf("%d is not a number of milliseconds from 1 to %d (0 or none: send once)", ms, MaxRepeat.Milliseconds()))
		default:
			m.Repeat = time.Duration(ms) * time.Millisecond
		}
	}
	for _, p := range m.problems(r.check) {
		if unread[p.Path] {
			continue
		}
		v, _ := obj.Get(p.Path) // every field problems names is one the file may have
		p.File, p.Path = v.File(), v.Path()
		r.add(p)
	}
	return m, obj, len(r.errs)+r.dropped == before
}
