package library

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/internal/jsonfile"
)

// Format is the kind of file messages are imported from.
type Format string

const (
	Detect             Format = ""             // tell from the content
	FormatSockdesk     Format = "sockdesk"     // a library file (or an exported group)
	FormatPacketSender Format = "packetsender" // Packet Sender's JSON export
)

// ParseFormat reads the command line's --from: sockdesk, packetsender, or ""
// (or "auto") to tell from the content.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case Detect, FormatSockdesk, FormatPacketSender:
		return f, nil
	case "auto":
		return Detect, nil
	}
	return Detect, fmt.Errorf("%q is not sockdesk or packetsender", s)
}

// Source is the messages read from a file to import, and what of the file
// could not be carried over into them.
type Source struct {
	File     string
	Format   Format
	Messages []Message
	Notes    []Note // per entry of the file; none for a Sockdesk library
}

// Note is something of an imported entry that Sockdesk does not carry over,
// or changed on the way in: never dropped without a word.
type Note struct {
	Index  int    // the entry's position in the file, from 0
	Name   string // the message's name in Sockdesk; "" if the entry was skipped
	Field  string // the source's field, e.g. "fromport"; "" for the whole entry
	Value  string // the field's value as written
	Reason string // what happened and why
}

func (n Note) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%d]", n.Index)
	if n.Name != "" {
		fmt.Fprintf(&b, " %q", n.Name)
	}
	if n.Field != "" {
		fmt.Fprintf(&b, " %s", n.Field)
		if n.Value != "" {
			fmt.Fprintf(&b, " = %s", strconv.Quote(n.Value))
		}
	}
	b.WriteString(": ")
	b.WriteString(n.Reason)
	return b.String()
}

// ReadSource reads messages to import from the file at path, in the given
// format or the one its content shows. A Sockdesk library is read strictly
// (see Parse); a Packet Sender export as described in
// docs/library-format.md.
func ReadSource(path string, format Format, check Checker) (*Source, error) {
	data, err := jsonfile.ReadFile(path, jsonfile.DefaultMaxSize)
	if err != nil {
		return nil, err
	}
	return ParseSource(data, path, format, check)
}

// ParseSource is ReadSource for a file's content; file names it in errors.
func ParseSource(data []byte, file string, format Format, check Checker) (*Source, error) {
	root, err := jsonfile.Parse(data, file)
	if err != nil {
		return nil, err
	}
	if format == Detect {
		switch root.Kind() {
		case "array":
			format = FormatPacketSender
		case "object":
			format = FormatSockdesk
		default:
			return nil, root.Errorf("found %s: neither a Sockdesk library (an object) nor a Packet Sender export (a list)", root.Kind())
		}
	}
	switch format {
	case FormatSockdesk:
		lib, err := Parse(data, file, check)
		if err != nil {
			return nil, err
		}
		return &Source{File: file, Format: format, Messages: lib.Messages()}, nil
	case FormatPacketSender:
		return parsePacketSender(root, file)
	}
	return nil, fmt.Errorf("%s: unknown import format %q", file, string(format))
}
