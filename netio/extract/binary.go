package extract

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
)

// binType is the encoding of a binary field.
type binType struct {
	name   string
	size   int
	read   func(b []byte) float64
	isReal bool // a float type: NaN and infinities give no value
}

var binTypes = []binType{
	{name: "u8", size: 1, read: func(b []byte) float64 { return float64(b[0]) }},
	{name: "i8", size: 1, read: func(b []byte) float64 { return float64(int8(b[0])) }},
	{name: "u16be", size: 2, read: func(b []byte) float64 { return float64(binary.BigEndian.Uint16(b)) }},
	{name: "u16le", size: 2, read: func(b []byte) float64 { return float64(binary.LittleEndian.Uint16(b)) }},
	{name: "i16be", size: 2, read: func(b []byte) float64 { return float64(int16(binary.BigEndian.Uint16(b))) }},
	{name: "i16le", size: 2, read: func(b []byte) float64 { return float64(int16(binary.LittleEndian.Uint16(b))) }},
	{name: "u32be", size: 4, read: func(b []byte) float64 { return float64(binary.BigEndian.Uint32(b)) }},
	{name: "u32le", size: 4, read: func(b []byte) float64 { return float64(binary.LittleEndian.Uint32(b)) }},
	{name: "i32be", size: 4, read: func(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) }},
	{name: "i32le", size: 4, read: func(b []byte) float64 { return float64(int32(binary.LittleEndian.Uint32(b))) }},
	{name: "f32be", size: 4, isReal: true, read: func(b []byte) float64 { return float64(math.Float32frombits(binary.BigEndian.Uint32(b))) }},
	{name: "f32le", size: 4, isReal: true, read: func(b []byte) float64 { return float64(math.Float32frombits(binary.LittleEndian.Uint32(b))) }},
	{name: "f64be", size: 8, isReal: true, read: func(b []byte) float64 { return math.Float64frombits(binary.BigEndian.Uint64(b)) }},
	{name: "f64le", size: 8, isReal: true, read: func(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }},
}

func binTypeNames() string {
	names := make([]string, len(binTypes))
	for i, t := range binTypes {
		names[i] = t.name
	}
	return strings.Join(names, " ")
}

// binField is a bin rule: NAME@OFFSET:TYPE[*SCALE].
type binField struct {
	name   string
	offset int
	typ    *binType
	scale  float64
}

// value reads the field from data; ok is false when data is too short.
func (f *binField) value(data []byte) (float64, bool) {
	if f.offset > len(data)-f.typ.size {
		return 0, false
	}
	v := f.typ.read(data[f.offset : f.offset+f.typ.size])
	if f.typ.isReal && (math.IsNaN(v) || math.IsInf(v, 0)) {
		return 0, false
	}
	v *= f.scale
	if math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// maxOffset keeps offset+size from overflowing on any platform; no message is
// near this long.
const maxOffset = 1 << 30

func parseBinary(spec, arg string) (Rule, error) {
	base := len("bin:") // byte offset of arg in spec
	at := strings.LastIndexByte(arg, '@')
	if at < 0 {
		return Rule{}, specError(spec, base, "want bin:NAME@OFFSET:TYPE[*SCALE], e.g. bin:temp@2:i16be*0.1")
	}
	f := binField{name: strings.TrimSpace(arg[:at]), scale: 1}
	if f.name == "" {
		return Rule{}, specError(spec, base, "the value has no NAME before @")
	}
	offsetAt := base + at + 1
	offsetText, typeText, ok := strings.Cut(arg[at+1:], ":")
	if !ok {
		return Rule{}, specError(spec, offsetAt, "missing :TYPE after the offset (TYPE is one of %s)", binTypeNames())
	}
	offset, err := strconv.ParseUint(offsetText, 0, 64)
	if err != nil || offset > maxOffset {
		return Rule{}, specError(spec, offsetAt, "offset %q is not a byte offset from 0 to %d (decimal or 0x hex)", offsetText, maxOffset)
	}
	f.offset = int(offset)

	typeAt := offsetAt + len(offsetText) + 1
	typeName, scaleText, hasScale := strings.Cut(typeText, "*")
	for i := range binTypes {
		if binTypes[i].name == typeName {
			f.typ = &binTypes[i]
		}
	}
	if f.typ == nil {
		return Rule{}, specError(spec, typeAt, "unknown type %q (known: %s)", typeName, binTypeNames())
	}
	if hasScale {
		scaleAt := typeAt + len(typeName) + 1
		scale, n, ok := leadingNumber(scaleText)
		if !ok || n != len(scaleText) || scale == 0 {
			return Rule{}, specError(spec, scaleAt, "scale %q is not a non-zero number", scaleText)
		}
		f.scale = scale
	}
	return Rule{spec: spec, kind: KindBinary, field: f}, nil
}
