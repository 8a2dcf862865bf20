package framing

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Mode is a kind of framing.
type Mode uint8

const (
	None      Mode = iota // one frame per read
	Line                  // frames end after LF
	Delim                 // frames end after a byte sequence
	Fixed                 // frames of a fixed size
	Length                // frames sized by a length field
	ModbusTCP             // length framing on the Modbus TCP MBAP header
	Idle                  // frames end when the stream pauses
)

var modeNames = [...]string{
	None: "none", Line: "line", Delim: "delim", Fixed: "fixed",
	Length: "length", ModbusTCP: "modbus-tcp", Idle: "idle",
}

// String returns the mode's keyword in a spec, e.g. "modbus-tcp".
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", m)
}

// Limits on what a spec may ask for. They keep every size computation far from
// overflow; real protocols are well inside them.
const (
	MaxDelimiter = 64      // bytes in a delim:HEX sequence
	MaxFixed     = 1 << 30 // N in fixed:N
	MaxOffset    = 65535   // OFFSET in length:...
	MaxAdjust    = 1 << 20 // |ADJUST| in length:...
	MinIdle      = time.Millisecond
	MaxIdle      = time.Hour
)

// LengthField describes length framing: a frame is Offset + Size + value + Adjust
// bytes long, value being the Size-byte unsigned integer at byte Offset.
type LengthField struct {
	Offset       int
	Size         int // 1, 2 or 4
	LittleEndian bool
	Adjust       int
}

// HeaderLen is the number of bytes up to the end of the length field.
func (l LengthField) HeaderLen() int { return l.Offset + l.Size }

// Spec says where frames end. The zero Spec is None; any other comes from [Parse],
// so a Spec is always valid. Specs are comparable with ==.
type Spec struct {
	mode  Mode
	delim string // Line: "\n"; Delim: the sequence
	fixed int
	field LengthField
	idle  time.Duration
}

// Mode returns the kind of framing.
func (s Spec) Mode() Mode { return s.mode }

// Delimiter returns the bytes that end a frame: LF for Line, the sequence for
// Delim, nil otherwise.
func (s Spec) Delimiter() []byte {
	if s.delim == "" {
		return nil
	}
	return []byte(s.delim)
}

// FixedSize returns N for fixed:N, 0 otherwise.
func (s Spec) FixedSize() int { return s.fixed }

// LengthField returns the length field for Length and ModbusTCP (ok false otherwise).
func (s Spec) LengthField() (field LengthField, ok bool) {
	return s.field, s.mode == Length || s.mode == ModbusTCP
}

// IdleTimeout returns DUR for idle:DUR, 0 otherwise.
func (s Spec) IdleTimeout() time.Duration { return s.idle }

// String returns the spec in canonical form; Parse(s.String()) == s.
func (s Spec) String() string {
	switch s.mode {
	case Delim:
		return "delim:" + hex.EncodeToString([]byte(s.delim))
	case Fixed:
		return "fixed:" + strconv.Itoa(s.fixed)
	case Length:
		out := fmt.Sprintf("length:%d:%d", s.field.Offset, s.field.Size)
		if s.field.LittleEndian {
			out += ":le"
		}
		if s.field.Adjust != 0 {
			out += ":" + strconv.Itoa(s.field.Adjust)
		}
		return out
	case Idle:
		return "idle:" + s.idle.String()
	}
	return s.mode.String()
}

// Describe says in a few English words where frames end, for a status line.
func (s Spec) Describe() string {
	switch s.mode {
	case Line:
		return "frames end at LF"
	case Delim:
		return "frames end at " + spacedHex(s.delim)
	case Fixed:
		if s.fixed == 1 {
			return "frames of 1 byte"
		}
		return fmt.Sprintf("frames of %d bytes", s.fixed)
	case Length:
		order := "big-endian"
		if s.field.LittleEndian {
			order = "little-endian"
		}
		return fmt.Sprintf("frames of %s bytes, length in a %d-byte %s field at byte %d",
			s.sizeFormula(), s.field.Size, order, s.field.Offset)
	case ModbusTCP:
		return "Modbus TCP frames of 6 + length bytes (MBAP header)"
	case Idle:
		return "frames end after " + s.idle.String() + " without data"
	}
	return "one frame per read"
}

// sizeFormula is "6 + length", "6 + length - 2", ...
func (s Spec) sizeFormula() string {
	out := strconv.Itoa(s.field.HeaderLen()) + " + length"
	switch a := s.field.Adjust; {
	case a > 0:
		out += " + " + strconv.Itoa(a)
	case a < 0:
		out += " - " + strconv.Itoa(-a)
	}
	return out
}

func spacedHex(b string) string {
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02x", b[i])
	}
	return sb.String()
}

// SpecError is a spec Parse rejects. Its message names the spec and what is wrong,
// e.g. "length:4:3: SIZE must be 1, 2 or 4".
type SpecError struct {
	Spec   string // the spec as given
	Field  string // the part at fault: "mode", "HEX", "N", "OFFSET", "SIZE", "ADJUST" or "DUR"
	Pos    int    // 1-based character position in Spec of the fault (one past the end for a missing part)
	Reason string // what is wrong, without the spec
}

func (e *SpecError) Error() string {
	if strings.TrimSpace(e.Spec) == "" {
		return e.Reason
	}
	return e.Spec + ": " + e.Reason
}

// Syntax is the list of spec forms, for help texts and errors.
const Syntax = "none, line, delim:HEX, fixed:N, length:OFFSET:SIZE[:be|le][:ADJUST], modbus-tcp or idle:DUR"

// Parse reads a spec such as "line", "delim:0d0a" or "length:4:2:be:-2" (see the
// package documentation). Mode keywords and be/le may be in any case; space
// around the spec is ignored.
func Parse(spec string) (Spec, error) {
	p := parser{spec: spec}
	s := strings.TrimLeft(spec, " \t")
	p.base = len(spec) - len(s)
	s = strings.TrimRight(s, " \t")
	if s == "" {
		return Spec{}, p.fail("mode", 0, "empty framing spec (want "+Syntax+")")
	}
	keyword, rest, hasRest := strings.Cut(s, ":")
	restAt := len(keyword) + 1
	known := slices.IndexFunc(modeNames[:], func(name string) bool { return strings.EqualFold(keyword, name) })
	if known < 0 {
		return Spec{}, p.fail("mode", 0, fmt.Sprintf("unknown framing %q (want %s)", keyword, Syntax))
	}
	mode := Mode(known)
	if hasRest && (mode == None || mode == Line || mode == ModbusTCP) {
		return Spec{}, p.fail("mode", restAt-1, modeNames[mode]+" takes no parameters")
	}
	switch mode {
	case None:
		return Spec{}, nil
	case Line:
		return Spec{mode: Line, delim: "\n"}, nil
	case ModbusTCP:
		return Spec{mode: ModbusTCP, field: LengthField{Offset: 4, Size: 2}}, nil
	case Delim:
		return p.delim(rest, restAt, hasRest)
	case Fixed:
		if !hasRest || rest == "" {
			return Spec{}, p.fail("N", restAt, "N is missing (e.g. fixed:16)")
		}
		n, err := p.number("N", rest, restAt, 1, MaxFixed)
		if err != nil {
			return Spec{}, err
		}
		return Spec{mode: Fixed, fixed: n}, nil
	case Length:
		return p.length(rest, restAt, hasRest)
	}
	return p.idle(rest, restAt, hasRest)
}

type parser struct {
	spec string
	base int // bytes of leading space trimmed off spec
}

// fail returns a SpecError whose position is the character at byte at of the
// trimmed spec.
func (p parser) fail(field string, at int, reason string) *SpecError {
	return &SpecError{Spec: p.spec, Field: field, Pos: p.pos(at), Reason: reason}
}

// pos is the 1-based character position of byte at of the trimmed spec.
func (p parser) pos(at int) int {
	return utf8.RuneCountInString(p.spec[:min(p.base+at, len(p.spec))]) + 1
}

func (p parser) delim(rest string, at int, hasRest bool) (Spec, error) {
	if !hasRest || rest == "" {
		return Spec{}, p.fail("HEX", at, "HEX is missing (e.g. delim:0d0a)")
	}
	for i, r := range rest {
		if !isHexDigit(r) {
			return Spec{}, p.fail("HEX", at+i, fmt.Sprintf("HEX: invalid character %q at position %d", string(r), p.pos(at+i)))
		}
	}
	if len(rest)%2 != 0 {
		return Spec{}, p.fail("HEX", at+len(rest)-1, "HEX must have two digits per byte (odd number of digits)")
	}
	if len(rest)/2 > MaxDelimiter {
		return Spec{}, p.fail("HEX", at, fmt.Sprintf("HEX is %d bytes, at most %d", len(rest)/2, MaxDelimiter))
	}
	b, _ := hex.DecodeString(rest)
	return Spec{mode: Delim, delim: string(b)}, nil
}

func (p parser) length(rest string, at int, hasRest bool) (Spec, error) {
	const form = " (length:OFFSET:SIZE[:be|le][:ADJUST])"
	if !hasRest || rest == "" {
		return Spec{}, p.fail("OFFSET", at, "OFFSET is missing"+form)
	}
	parts := strings.Split(rest, ":")
	starts := make([]int, len(parts)) // byte offset of each part in the trimmed spec
	for i, off := 0, at; i < len(parts); i++ {
		starts[i] = off
		off += len(parts[i]) + 1
	}
	var f LengthField
	var err error
	if f.Offset, err = p.number("OFFSET", parts[0], starts[0], 0, MaxOffset); err != nil {
		return Spec{}, err
	}
	if len(parts) < 2 || parts[1] == "" {
		return Spec{}, p.fail("SIZE", starts[0]+len(parts[0])+1, "SIZE is missing"+form)
	}
	switch parts[1] {
	case "1", "2", "4":
		f.Size = int(parts[1][0] - '0')
	default:
		return Spec{}, p.fail("SIZE", starts[1], "SIZE must be 1, 2 or 4")
	}
	i := 2
	if i < len(parts) {
		switch strings.ToLower(parts[i]) {
		case "be":
			i++
		case "le":
			f.LittleEndian = true
			i++
		}
	}
	if i < len(parts) {
		reason := "ADJUST must be a whole number"
		if i == 2 {
			reason = "expected be, le or ADJUST (a whole number)"
		}
		if f.Adjust, err = p.signed(parts[i], starts[i], reason); err != nil {
			return Spec{}, err
		}
		i++
	}
	if i < len(parts) {
		return Spec{}, p.fail("ADJUST", starts[i]-1, "too many fields"+form)
	}
	return Spec{mode: Length, field: f}, nil
}

func (p parser) idle(rest string, at int, hasRest bool) (Spec, error) {
	if !hasRest || rest == "" {
		return Spec{}, p.fail("DUR", at, "DUR is missing (e.g. idle:20ms)")
	}
	d, err := time.ParseDuration(rest)
	if err != nil {
		return Spec{}, p.fail("DUR", at, fmt.Sprintf("DUR must be a duration such as 20ms or 1.5s, not %q", rest))
	}
	if d < MinIdle || d > MaxIdle {
		return Spec{}, p.fail("DUR", at, fmt.Sprintf("DUR must be between %v and %v", MinIdle, MaxIdle))
	}
	return Spec{mode: Idle, idle: d}, nil
}

// number parses a decimal count in [lo, hi].
func (p parser) number(field, s string, at, lo, hi int) (int, error) {
	for i, r := range s {
		if r < '0' || r > '9' {
			return 0, p.fail(field, at+i, fmt.Sprintf("%s must be a whole number, not %q", field, s))
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, p.fail(field, at, fmt.Sprintf("%s must be between %d and %d", field, lo, hi))
	}
	return n, nil
}

// signed parses ADJUST: an optionally signed decimal within ±MaxAdjust.
func (p parser) signed(s string, at int, notNumber string) (int, error) {
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" {
		return 0, p.fail("ADJUST", at, fmt.Sprintf("%s, not %q", notNumber, s))
	}
	for i, r := range digits {
		if r < '0' || r > '9' {
			return 0, p.fail("ADJUST", at+len(s)-len(digits)+i, fmt.Sprintf("%s, not %q", notNumber, s))
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < -MaxAdjust || n > MaxAdjust {
		return 0, p.fail("ADJUST", at, fmt.Sprintf("ADJUST must be between %d and %d", -MaxAdjust, MaxAdjust))
	}
	return n, nil
}

func isHexDigit(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
}
