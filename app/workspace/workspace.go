// Package workspace is the workspace file (NAME.sockdesk): the sessions open
// in the app, in order, each with its kind and its settings, saved whole and
// opened again (File → Save workspace / Open workspace, sockdesk --workspace
// FILE). The format is described in docs/workspace-format.md.
//
// Settings are open: a session's fields are a map of names to strings (the
// names the panels already remember their fields by) plus named lists (the
// auto-reply rules), so the app can add a field without a new version. This
// package checks the file's structure, not the values: the panels check those
// as they do what a user types, showing the problem at its field.
//
// Opening is forgiving where saving a library is strict: a workspace is a
// convenience, so a damaged session, an unknown kind or a file from a newer
// version opens what can be opened and lists the rest as Problems. Only a
// file that is not a workspace at all (unreadable, truncated, another format)
// is an error.
package workspace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/sockdesk/sockdesk/internal/atomicfile"
	"github.com/sockdesk/sockdesk/internal/jsonfile"
)

// The file format.
const (
	FormatName = "sockdesk-workspace" // the value of "format"
	Version    = 1                    // the version this package reads and writes
	Ext        = ".sockdesk"          // the file name extension
)

// Kind is a kind of session.
type Kind string

const (
	UDP       Kind = "udp"
	TCPClient Kind = "tcp-client"
	TCPServer Kind = "tcp-server"
	TCPRelay  Kind = "tcp-relay"
	WebTrace  Kind = "web-trace"
)

// Kinds lists the kinds of session this version knows.
func Kinds() []Kind { return []Kind{UDP, TCPClient, TCPServer, TCPRelay, WebTrace} }

// ListRules is the name of the list holding a session's auto-reply rules,
// one rule per entry in the rules' text form.
const ListRules = "rules"

// Session is one session of a workspace.
type Session struct {
	Kind     Kind
	Settings map[string]string   // the panel's fields by name, as text
	Lists    map[string][]string // settings with many values, e.g. ListRules
}

// Unknown lists, sorted, the names of settings and lists that are not in
// known: what the app should report as not understood.
func (s Session) Unknown(known ...string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(s.Settings)) {
		if !slices.Contains(known, k) {
			out = append(out, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Lists)) {
		if !slices.Contains(known, k) && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Workspace is the sessions open in the app.
type Workspace struct {
	Sessions []Session
	Active   int // the index of the session in front
}

// Problem is a part of a workspace file that was not opened.
type Problem struct {
	Path    string // JSON path of the part, e.g. sessions[2].kind
	Session int    // the session's position in the file, from 0; -1 for the file as a whole
	Skipped bool   // the whole session was left out (otherwise only the part at Path)
	Msg     string
}

func (p Problem) String() string {
	s := p.Msg
	if p.Path != "" {
		s = p.Path + ": " + s
	}
	if p.Skipped {
		s += " (the session was not opened)"
	}
	return s
}

// Error is a file that is not a workspace at all: unreadable, truncated,
// another format. It names the file, and the line and column or JSON path.
type Error = jsonfile.Error

type fileSession struct {
	Kind     Kind                `json:"kind"`
	Settings map[string]string   `json:"settings,omitempty"`
	Lists    map[string][]string `json:"lists,omitempty"`
}

type fileWorkspace struct {
	Format   string        `json:"format"`
	Version  int           `json:"version"`
	Active   int           `json:"active"`
	Sessions []fileSession `json:"sessions"`
}

// Marshal is the workspace as a version 1 file: indented JSON, map keys
// sorted, ending in a newline. A session of a kind this version does not
// know is an error.
func (w *Workspace) Marshal() ([]byte, error) {
	f := fileWorkspace{Format: FormatName, Version: Version, Active: w.Active, Sessions: make([]fileSession, len(w.Sessions))}
	if len(w.Sessions) > 0 && (w.Active < 0 || w.Active >= len(w.Sessions)) {
		return nil, fmt.Errorf("workspace: active session %d of %d", w.Active, len(w.Sessions))
	}
	for i, s := range w.Sessions {
		if !slices.Contains(Kinds(), s.Kind) {
			return nil, fmt.Errorf("workspace: session %d: unknown kind %q", i, string(s.Kind))
		}
		f.Sessions[i] = fileSession(s)
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

// Save writes the workspace to path atomically: if the save fails, the file
// is as it was. No backup is kept.
func (w *Workspace) Save(path string) error {
	data, err := w.Marshal()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data, atomicfile.Options{})
}

// Load opens the workspace file at path; see Parse.
func Load(path string) (*Workspace, []Problem, error) {
	data, err := jsonfile.ReadFile(path, jsonfile.DefaultMaxSize)
	if err != nil {
		return nil, nil, err
	}
	return Parse(data, path)
}
