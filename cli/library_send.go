package cli

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/sockdesk/sockdesk/netio/library"
)

// messageFlags are --library FILE and --message NAME of the sending commands
// (udp send, tcp connect, gen): send a message of the library.
type messageFlags struct {
	library string
	name    string
}

func (f *messageFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.library, "library", "", "the message library file --message is in")
	fs.StringVar(&f.name, "message", "", "send this message of --library FILE")
}

// messageUse says which of a message's settings a command has a flag for.
type messageUse struct {
	interval bool // --interval takes the repeat interval (udp send)
	rate     bool // --rate takes it, as messages per second (gen)
	tls      bool // --tls is on for a tls message (tcp connect)
}

// libraryMessage is the message --library and --message name.
type libraryMessage struct {
	library.Message
	file string
}

// where names the message in errors about its payload.
func (m *libraryMessage) where() string { return fmt.Sprintf("--message %q", m.Name) }

// apply loads the message, or returns nil without --library and --message.
// Each flag of the command that the message has a setting for, and that the
// command line did not give, takes the message's value: --hex or --escapes,
// --charset, --checksum, the repeat interval (see messageUse) and --tls. So a
// flag given explicitly wins, and the rest of the command reads its flags as
// always.
func (f *messageFlags) apply(e *env, fs *flag.FlagSet, use messageUse) (*libraryMessage, error) {
	switch {
	case f.library == "" && f.name == "":
		return nil, nil
	case f.library == "":
		return nil, usageErr("--message: needs --library FILE (the library the message is in)")
	case f.name == "":
		return nil, usageErr("--library: needs --message NAME (the message to send)")
	}
	lib, err := loadLibrary(e, "--library: ", f.library)
	if err != nil {
		return nil, err
	}
	m, ok := lib.Find(f.name)
	if !ok {
		return nil, usageErr("--message: no message %q in %s (\"sockdesk library list %s\" lists them)", f.name, f.library, f.library)
	}
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	var defaults [][2]string
	if !given["hex"] && !given["escapes"] {
		switch m.Mode {
		case library.ModeHex:
			defaults = append(defaults, [2]string{"hex", "true"})
		case library.ModeEscapes:
			defaults = append(defaults, [2]string{"escapes", "true"})
		}
	}
	if m.Charset != "" {
		defaults = append(defaults, [2]string{"charset", m.Charset})
	}
	if m.Checksum != "" {
		spec := m.Checksum
		if given["checksum-order"] {
			spec, _ = library.SplitChecksum(spec) // the explicit order wins over the message's
		}
		defaults = append(defaults, [2]string{"checksum", spec})
	}
	if m.Repeat > 0 && use.interval {
		defaults = append(defaults, [2]string{"interval", m.Repeat.String()})
	}
	if m.Repeat > 0 && use.rate {
		defaults = append(defaults, [2]string{"rate", strconv.FormatFloat(1/m.Repeat.Seconds(), 'f', -1, 64)})
	}
	if m.Protocol == library.TLS && use.tls {
		defaults = append(defaults, [2]string{"tls", "true"})
	}
	for _, d := range defaults {
		if given[d[0]] {
			continue
		}
		if err := fs.Set(d[0], d[1]); err != nil {
			return nil, usageErr("--message %q: %s %q: %s", m.Name, d[0], d[1], errText(err))
		}
	}
	return &libraryMessage{Message: m, file: f.library}, nil
}

// destination is where to send: explicit when the command line names it,
// else the message's destination. A message meant for another protocol
// (kind: the command's, udp or tcp; tls counts as tcp where the command
// speaks it) does not lend its destination, whose port is then most likely
// the other protocol's: the command line must name one. missing is the
// command's error when there is no destination at all.
func (m *libraryMessage) destination(explicit string, kind library.Protocol, tlsOK bool, flagName string, missing error) (string, error) {
	if explicit != "" || m == nil {
		return explicit, nil
	}
	if m.Destination == "" {
		return "", missing
	}
	if !m.Fits(kind, tlsOK) {
		return "", usageErr("%s: missing, and %s is a %s message: its destination %s is not for %s; give %s",
			flagName, m.where(), m.Protocol, m.Destination, kind, flagName)
	}
	return m.Destination, nil
}

// libraryHelp is the part of the usage about --library and --message.
const libraryHelp = `Messages of a library (udp send, tcp connect, gen):
  --library FILE --message NAME
                     send the message NAME (in any case) of the message library FILE
                     (see "sockdesk library list"): its payload in its mode (--hex,
                     --escapes), its --charset and --checksum, its repeat interval as
                     udp send's --interval (of --repeat N) or gen's --rate, TLS on for
                     a tls message (tcp connect), and its destination when the command
                     names none. A flag given on the command line wins over the
                     message's setting.
`
