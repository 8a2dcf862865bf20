package library

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/internal/jsonfile"
)

// Error is a problem with a library file or a message: the file, the JSON
// path of the bad field (messages[3].mode) and what is wrong. A syntax error
// also has the line and column.
type Error = jsonfile.Error

// Mode says how a message's payload text becomes bytes.
type Mode string

const (
	ModeText    Mode = "text"    // the text, encoded in the charset
	ModeEscapes Mode = "escapes" // the text with \r \n \t \\ \0 \xNN escapes
	ModeHex     Mode = "hex"     // hex digits, e.g. "c4 e3"
)

// Protocol is the kind of socket a message is meant for.
type Protocol string

const (
	AnyProtocol Protocol = ""    // whatever session sends it
	UDP         Protocol = "udp" // a datagram
	TCP         Protocol = "tcp" // a TCP connection
	TLS         Protocol = "tls" // TLS over TCP
)

// Limits on a message's fields.
const (
	MaxNameLen = 100       // characters in a name or a group
	MaxRepeat  = time.Hour // the longest repeat interval
	MinRepeat  = time.Millisecond
)

// Message is one message of the library.
type Message struct {
	Name        string        // unique in the library, regardless of case
	Group       string        // "" for none
	Mode        Mode          // how Payload becomes bytes
	Payload     string        // as typed in the send box, placeholders included
	Charset     string        // "" for the sending session's charset
	Checksum    string        // "" for none; a name with an optional ":le" or ":be"
	Destination string        // "" for the sending session's; host:port
	Protocol    Protocol      // AnyProtocol, UDP, TCP or TLS
	Repeat      time.Duration // 0 to send once; else whole milliseconds, MinRepeat to MaxRepeat
	Note        string        // free text for people
}

// Checker checks a charset or checksum name: kind is KindCharset or
// KindChecksum, name is as written (for a checksum without its ":le"/":be").
// It returns an error that says what is wrong (unknown name, the known ones).
type Checker func(kind, name string) error

// Kinds of names a Checker checks.
const (
	KindCharset  = "charset"
	KindChecksum = "checksum"
)

// Field names, as in the file.
const (
	fieldName        = "name"
	fieldGroup       = "group"
	fieldMode        = "mode"
	fieldPayload     = "payload"
	fieldCharset     = "charset"
	fieldChecksum    = "checksum"
	fieldDestination = "destination"
	fieldProtocol    = "protocol"
	fieldRepeat      = "repeat_ms"
	fieldNote        = "note"
)

// Validate checks every field of m (names through check, which may be nil to
// check syntax only) and returns the first problem as an *Error whose Path is
// the field's name in the file.
func (m Message) Validate(check Checker) error {
	if errs := m.problems(check); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// problems lists what is wrong with m, each an *Error with the field as Path.
func (m Message) problems(check Checker) []*Error {
	var errs []*Error
	bad := func(field string, err error) {
		if err != nil {
			errs = append(errs, &Error{Path: field, Msg: err.Error()})
		}
	}
	if m.Name == "" {
		bad(fieldName, fmt.Errorf("a message needs a name"))
	} else {
		bad(fieldName, checkLabel(m.Name))
	}
	bad(fieldGroup, checkLabel(m.Group))
	bad(fieldMode, checkMode(m.Mode))
	bad(fieldCharset, checkCharset(m.Charset, check))
	bad(fieldChecksum, checkChecksum(m.Checksum, check))
	bad(fieldDestination, checkDestination(m.Destination))
	bad(fieldProtocol, checkProtocol(m.Protocol))
	bad(fieldRepeat, checkRepeat(m.Repeat))
	return errs
}

// checkLabel checks a name or a group: short, one line, no white space at
// either end (which would make two names look the same).
func checkLabel(s string) error {
	if s == "" {
		return nil
	}
	if n := utf8.RuneCountInString(s); n > MaxNameLen {
		return fmt.Errorf("%q is %d characters long; the most is %d", s, n, MaxNameLen)
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%q starts or ends with white space", s)
	}
	if i, r := controlChar(s); i > 0 {
		return fmt.Errorf("%q has a control character (%U) at position %d", s, r, i)
	}
	return nil
}

// controlChar finds the first control character: its 1-based position in
// characters, or 0.
func controlChar(s string) (int, rune) {
	pos := 0
	for _, r := range s {
		pos++
		if unicode.IsControl(r) {
			return pos, r
		}
	}
	return 0, 0
}

func checkMode(m Mode) error {
	switch m {
	case ModeText, ModeEscapes, ModeHex:
		return nil
	}
	return fmt.Errorf("%q is not text, escapes or hex", string(m))
}

func checkProtocol(p Protocol) error {
	switch p {
	case AnyProtocol, UDP, TCP, TLS:
		return nil
	}
	return fmt.Errorf("%q is not udp, tcp or tls", string(p))
}

// checkWord checks a charset or checksum name's syntax: one word.
func checkWord(kind, s string) error {
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("%q is not a %s name", s, kind)
	}
	return nil
}

func checkCharset(name string, check Checker) error {
	if name == "" {
		return nil
	}
	if err := checkWord(KindCharset, name); err != nil {
		return err
	}
	if check != nil {
		return check(KindCharset, name)
	}
	return nil
}

// SplitChecksum splits "crc16-modbus:le" into the name and the byte order
// ("le", "be" or "" for the algorithm's usual order).
func SplitChecksum(spec string) (name, order string) {
	if i := strings.LastIndexByte(spec, ':'); i >= 0 {
		return spec[:i], spec[i+1:]
	}
	return spec, ""
}

func checkChecksum(spec string, check Checker) error {
	if spec == "" {
		return nil
	}
	name, order := SplitChecksum(spec)
	if strings.Contains(spec, ":") && order != "le" && order != "be" {
		return fmt.Errorf("%q: the byte order after the colon must be le or be", spec)
	}
	if err := checkWord(KindChecksum, name); err != nil {
		return err
	}
	if check != nil {
		return check(KindChecksum, name)
	}
	return nil
}

// checkDestination checks "host:port": a host name or address (an IPv6
// address in brackets) and a port from 1 to 65535.
func checkDestination(dst string) error {
	if dst == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(dst)
	if err != nil {
		return fmt.Errorf("%q is not host:port (an IPv6 address goes in brackets: [::1]:9000)", dst)
	}
	if host == "" {
		return fmt.Errorf("%q has no host", dst)
	}
	if strings.IndexFunc(host, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' }) >= 0 {
		return fmt.Errorf("%q: %q is not a host name or address", dst, host)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return fmt.Errorf("%q: the port %q is not a number from 1 to 65535", dst, port)
	}
	return nil
}

func checkRepeat(d time.Duration) error {
	if d == 0 {
		return nil
	}
	if d%time.Millisecond != 0 {
		return fmt.Errorf("%v is not a whole number of milliseconds", d)
	}
	if d < MinRepeat || d > MaxRepeat {
		return fmt.Errorf("%d is not a number of milliseconds from 1 to %d (0 or none: send once)", d.Milliseconds(), MaxRepeat.Milliseconds())
	}
	return nil
}

// sameName tells whether two names (or groups) are the same regardless of case.
func sameName(a, b string) bool { return strings.EqualFold(a, b) }
