package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/library/known"
)

// The commands of issue 15's message library: list a library file, import
// into one (from another library or a Packet Sender export), export one or a
// group of it. The file format is docs/library-format.md.

// libraryChecker checks the charset and checksum names of a library's
// messages against the ones sockdesk knows (the app uses the same checker).
var libraryChecker library.Checker = known.Names

// loadLibrary reads a library file; every problem is a line on stderr naming
// the file and the JSON path (prefix names the flag, if any), and the status
// is 2.
func loadLibrary(e *env, prefix, path string) (*library.Library, error) {
	lib, err := library.Load(path, libraryChecker)
	if err != nil {
		return nil, fileProblems(e, prefix, err)
	}
	return lib, nil
}

// fileProblems reports a library or import file that cannot be used: each of
// its problems (a file may have up to 20) on a line of its own, status 2.
func fileProblems(e *env, prefix string, err error) error {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, err := range errs {
		fmt.Fprintf(e.stderr, "sockdesk: %s%s\n", prefix, charset.DisplayText(errText(err)))
	}
	return &exitError{code: exitUsage}
}

// groupFlag is --group G: set tells --group "" (the messages without a
// group) from no --group at all.
type groupFlag struct {
	name string
	set  bool
}

func (g *groupFlag) String() string     { return g.name }
func (g *groupFlag) Set(s string) error { g.name, g.set = s, true; return nil }

// selectGroup is the library, or with --group the messages of that group; a
// group no message is in is bad input.
func selectGroup(lib *library.Library, file string, g groupFlag) (*library.Library, error) {
	if !g.set {
		return lib, nil
	}
	sub := lib.Group(g.name)
	if sub.Len() == 0 {
		groups := lib.Groups()
		if len(groups) == 0 {
			return nil, usageErr("--group: no message of %s is in group %q (it has no groups)", file, g.name)
		}
		return nil, usageErr("--group: no message of %s is in group %q (its groups: %s)", file, g.name, quoteAll(groups))
	}
	return sub, nil
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// messageJSON is a message in `library list --json`: the file's field names.
type messageJSON struct {
	Name        string `json:"name"`
	Group       string `json:"group,omitempty"`
	Mode        string `json:"mode"`
	Payload     string `json:"payload"`
	Charset     string `json:"charset,omitempty"`
	Checksum    string `json:"checksum,omitempty"`
	Destination string `json:"destination,omitempty"`
	Protocol    string `json:"protocol,omitempty"`
	RepeatMs    int64  `json:"repeat_ms,omitempty"`
	Note        string `json:"note,omitempty"`
}

// runLibraryList is `library list FILE [--group G]`: one line (or JSON object)
// per message, in the library's order.
func runLibraryList(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("library list")
	asJSON := fs.Bool("json", false, "one JSON object per message")
	var group groupFlag
	fs.Var(&group, "group", "only the messages of this group")
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return err
	}
	file, err := oneFile(pos, "FILE: missing; give the library file to list")
	if err != nil {
		return err
	}
	lib, err := loadLibrary(e, "", file)
	if err != nil {
		return err
	}
	if lib, err = selectGroup(lib, file, group); err != nil {
		return err
	}
	w := bufio.NewWriter(e.stdout)
	for _, m := range lib.Messages() {
		if *asJSON {
			b, _ := json.Marshal(messageJSON{
				Name: m.Name, Group: m.Group, Mode: string(m.Mode), Payload: m.Payload, Charset: m.Charset,
				Checksum: m.Checksum, Destination: m.Destination, Protocol: string(m.Protocol),
				RepeatMs: m.Repeat.Milliseconds(), Note: m.Note,
			})
			w.Write(append(b, '\n'))
			continue
		}
		w.WriteString(charset.DisplayText(messageLine(m)))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return failure("writing output: %s", errText(err))
	}
	return nil
}

// messageLine describes a message on one line, free text quoted:
//
//	"Read coils" (group "Modbus"): hex "01 01 00 00 00 08", checksum crc16-modbus:le, tcp to 192.168.1.20:502
func messageLine(m library.Message) string {
	var b strings.Builder
	b.WriteString(strconv.Quote(m.Name))
	if m.Group != "" {
		fmt.Fprintf(&b, " (group %q)", m.Group)
	}
	fmt.Fprintf(&b, ": %s %q", m.Mode, m.Payload)
	if m.Charset != "" {
		b.WriteString(", charset " + m.Charset)
	}
	if m.Checksum != "" {
		b.WriteString(", checksum " + m.Checksum)
	}
	switch {
	case m.Destination != "" && m.Protocol != library.AnyProtocol:
		fmt.Fprintf(&b, ", %s to %s", m.Protocol, m.Destination)
	case m.Destination != "":
		b.WriteString(", to " + m.Destination)
	case m.Protocol != library.AnyProtocol:
		b.WriteString(", " + string(m.Protocol))
	}
	if m.Repeat > 0 {
		b.WriteString(", every " + m.Repeat.String())
	}
	if m.Note != "" {
		fmt.Fprintf(&b, ", note %q", m.Note)
	}
	return b.String()
}

// oneFile is the one positional argument of a library command.
func oneFile(pos []string, missing string) (string, error) {
	switch {
	case len(pos) == 0:
		return "", usageErr("%s", missing)
	case len(pos) > 1:
		return "", usageErr("unexpected argument %q", pos[1])
	}
	return pos[0], nil
}

// importJSON is a line of `library import --json`: one per incoming message
// (event added, replaced, renamed, kept or unchanged), one per note, and the
// summary.
type importJSON struct {
	Event  string `json:"event"`
	Name   string `json:"name,omitempty"`
	From   string `json:"from,omitempty"`   // renamed: the incoming name
	Index  *int   `json:"index,omitempty"`  // note: the entry's position in the source, from 0
	Field  string `json:"field,omitempty"`  // note
	Value  string `json:"value,omitempty"`  // note
	Reason string `json:"reason,omitempty"` // note
	// summary
	Library   string `json:"library,omitempty"`
	Created   bool   `json:"created,omitempty"`
	Added     int    `json:"added,omitempty"`
	Replaced  int    `json:"replaced,omitempty"`
	Renamed   int    `json:"renamed,omitempty"`
	Kept      int    `json:"kept,omitempty"`
	Unchanged int    `json:"unchanged,omitempty"`
	Notes     int    `json:"notes,omitempty"`
}

// runLibraryImport is `library import SRC --into FILE`: merge the messages of
// SRC into the library by name, clashes decided by --on-clash, and say what
// happened to each and what of SRC could not be carried over.
func runLibraryImport(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("library import")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	into := fs.String("into", "", "the library file to import into (created if missing)")
	fromS := fs.String("from", "", "sockdesk or packetsender (default: told by the content)")
	onClashS := fs.String("on-clash", "", "keep, replace or rename")
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return err
	}
	src, err := oneFile(pos, "SRC: missing; give the file to import (a Sockdesk library or a Packet Sender export)")
	if err != nil {
		return err
	}
	if strings.TrimSpace(*into) == "" {
		return usageErr("--into: missing; give the library file to import into (created if missing)")
	}
	format, err := library.ParseFormat(*fromS)
	if err != nil {
		return usageErr("--from: %s", errText(err))
	}
	onClash := library.Undecided
	if *onClashS != "" {
		if onClash, err = library.ParseDecision(*onClashS); err != nil {
			return usageErr("--on-clash: %s", errText(err))
		}
	}

	lib, err := library.Load(*into, libraryChecker)
	created := false
	if errors.Is(err, os.ErrNotExist) {
		lib, created, err = library.New(libraryChecker), true, nil
	}
	if err != nil {
		return fileProblems(e, "--into: ", err)
	}
	source, err := library.ReadSource(src, format, libraryChecker)
	if err != nil {
		return fileProblems(e, "", err)
	}
	plan, err := lib.PlanImport(source.Messages)
	if err != nil {
		return fileProblems(e, "", fmt.Errorf("%s: %w", src, err))
	}
	if clashes := plan.Clashes(); len(clashes) > 0 {
		if onClash == library.Undecided {
			names := make([]string, len(clashes))
			for i, c := range clashes {
				names[i] = c.Incoming.Name
			}
			return usageErr("--on-clash: missing; %d incoming messages have the name of a different message of %s (%s): choose keep, replace or rename; nothing was imported",
				len(clashes), *into, quoteAll(names))
		}
		plan.DecideAll(onClash)
	}
	res, err := lib.Import(plan)
	if err != nil {
		return failure("%s", errText(err))
	}
	changed := len(res.Added)+len(res.Replaced)+len(res.Renamed) > 0
	if changed || created {
		if err := lib.Save(*into); err != nil {
			return failure("--into: %s", errText(err))
		}
	}
	return writeImport(e.stdout, *asJSON, *into, created, res, source.Notes)
}

// writeImport says what the import did with each message, every note about
// the source, and a summary.
func writeImport(out io.Writer, asJSON bool, into string, created bool, res library.Result, notes []library.Note) error {
	w := bufio.NewWriter(out)
	line := func(j importJSON, text string) {
		if asJSON {
			b, _ := json.Marshal(j)
			w.Write(append(b, '\n'))
			return
		}
		w.WriteString(charset.DisplayText(text))
		w.WriteByte('\n')
	}
	for _, n := range res.Added {
		line(importJSON{Event: "added", Name: n}, fmt.Sprintf("added %q", n))
	}
	for _, n := range res.Replaced {
		line(importJSON{Event: "replaced", Name: n}, fmt.Sprintf("replaced %q", n))
	}
	for _, r := range res.Renamed {
		line(importJSON{Event: "renamed", Name: r.To, From: r.From}, fmt.Sprintf("renamed %q to %q (the library has a different %q)", r.From, r.To, r.From))
	}
	for _, n := range res.Kept {
		line(importJSON{Event: "kept", Name: n}, fmt.Sprintf("kept %q: the library's message stays, the incoming one was not imported", n))
	}
	for _, n := range res.Unchanged {
		line(importJSON{Event: "unchanged", Name: n}, fmt.Sprintf("unchanged %q: already in the library as it is", n))
	}
	for _, n := range notes {
		line(importJSON{Event: "note", Name: n.Name, Index: &n.Index, Field: n.Field, Value: n.Value, Reason: n.Reason}, "note "+n.String())
	}
	sum := importJSON{Event: "summary", Library: into, Created: created, Added: len(res.Added), Replaced: len(res.Replaced),
		Renamed: len(res.Renamed), Kept: len(res.Kept), Unchanged: len(res.Unchanged), Notes: len(notes)}
	verb := "imported into"
	if created {
		verb = "created"
	}
	text := fmt.Sprintf("%s %s: %d added, %d replaced, %d renamed, %d kept, %d unchanged", verb, into,
		sum.Added, sum.Replaced, sum.Renamed, sum.Kept, sum.Unchanged)
	if len(notes) > 0 {
		text += fmt.Sprintf("; %d notes on what was not carried over or was changed", len(notes))
	}
	line(sum, text)
	if err := w.Flush(); err != nil {
		return failure("writing output: %s", errText(err))
	}
	return nil
}

// exportJSON is the line of `library export --json`.
type exportJSON struct {
	Event    string  `json:"event"` // "exported"
	Library  string  `json:"library"`
	Out      string  `json:"out"`
	Group    *string `json:"group,omitempty"`
	Messages int     `json:"messages"`
}

// runLibraryExport is `library export FILE [--group G] --out OUT`: the library,
// or one group of it, written to OUT in the library format, for sharing.
func runLibraryExport(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("library export")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	var group groupFlag
	fs.Var(&group, "group", "export only the messages of this group")
	out := fs.String("out", "", "the file to write")
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return err
	}
	file, err := oneFile(pos, "FILE: missing; give the library file to export")
	if err != nil {
		return err
	}
	if strings.TrimSpace(*out) == "" {
		return usageErr("--out: missing; give the file to export to")
	}
	if sameFile(file, *out) {
		return usageErr("--out: %s is the library itself; export to another file", *out)
	}
	lib, err := loadLibrary(e, "", file)
	if err != nil {
		return err
	}
	if lib, err = selectGroup(lib, file, group); err != nil {
		return err
	}
	if err := lib.Export(*out); err != nil {
		return failure("--out: %s", errText(err))
	}
	var text string
	j := exportJSON{Event: "exported", Library: file, Out: *out, Messages: lib.Len()}
	if group.set {
		j.Group = &group.name
		text = fmt.Sprintf("exported %d messages of group %q of %s to %s", lib.Len(), group.name, file, *out)
	} else {
		text = fmt.Sprintf("exported %d messages of %s to %s", lib.Len(), file, *out)
	}
	if *asJSON {
		b, _ := json.Marshal(j)
		_, err = e.stdout.Write(append(b, '\n'))
	} else {
		_, err = fmt.Fprintln(e.stdout, charset.DisplayText(text))
	}
	if err != nil {
		return failure("writing output: %s", errText(err))
	}
	return nil
}

// sameFile tells whether two paths name one file (the same path, or links to
// one file).
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(ia, ib)
}
