package framing

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		spec      string
		canonical string
		describe  string
	}{
		{"none", "none", "one frame per read"},
		{"line", "line", "frames end at LF"},
		{" LINE ", "line", "frames end at LF"},
		{"delim:0d0a", "delim:0d0a", "frames end at 0d 0a"},
		{"delim:03", "delim:03", "frames end at 03"},
		{"Delim:0D0A", "delim:0d0a", "frames end at 0d 0a"},
		{"fixed:1", "fixed:1", "frames of 1 byte"},
		{"fixed:16", "fixed:16", "frames of 16 bytes"},
		{"length:4:2", "length:4:2", "frames of 6 + length bytes, length in a 2-byte big-endian field at byte 4"},
		{"length:4:2:be", "length:4:2", "frames of 6 + length bytes, length in a 2-byte big-endian field at byte 4"},
		{"length:0:4:le", "length:0:4:le", "frames of 4 + length bytes, length in a 4-byte little-endian field at byte 0"},
		{"length:0:2:-2", "length:0:2:-2", "frames of 2 + length - 2 bytes, length in a 2-byte big-endian field at byte 0"},
		{"length:1:1:LE:+3", "length:1:1:le:3", "frames of 2 + length + 3 bytes, length in a 1-byte little-endian field at byte 1"},
		{"length:0:2:be:0", "length:0:2", "frames of 2 + length bytes, length in a 2-byte big-endian field at byte 0"},
		{"modbus-tcp", "modbus-tcp", "Modbus TCP frames of 6 + length bytes (MBAP header)"},
		{"idle:20ms", "idle:20ms", "frames end after 20ms without data"},
		{"idle:1.5s", "idle:1.5s", "frames end after 1.5s without data"},
		{"idle:1h", "idle:1h0m0s", "frames end after 1h0m0s without data"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.spec)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.spec, err)
			continue
		}
		if s.String() != tt.canonical {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.spec, s.String(), tt.canonical)
		}
		if back, err := Parse(s.String()); err != nil || back != s {
			t.Errorf("Parse(%q) = %#v, %v; want %#v", s.String(), back, err, s)
		}
		if s.Describe() != tt.describe {
			t.Errorf("Parse(%q).Describe() = %q, want %q", tt.spec, s.Describe(), tt.describe)
		}
	}
	var zero Spec
	if zero.Mode() != None || zero.String() != "none" {
		t.Errorf("the zero Spec is %v", zero)
	}
}

func TestSpecAccessors(t *testing.T) {
	s := mustParse(t, "modbus-tcp")
	if lf, ok := s.LengthField(); !ok || lf != (LengthField{Offset: 4, Size: 2}) || lf.HeaderLen() != 6 {
		t.Errorf("modbus-tcp field %+v %v", lf, ok)
	}
	if lf, _ := mustParse(t, "length:3:4:le:-7").LengthField(); lf != (LengthField{3, 4, true, -7}) {
		t.Errorf("length field %+v", lf)
	}
	if _, ok := mustParse(t, "line").LengthField(); ok {
		t.Error("line has a length field")
	}
	if d := mustParse(t, "line").Delimiter(); string(d) != "\n" {
		t.Errorf("line delimiter %q", d)
	}
	if d := mustParse(t, "delim:00ff").Delimiter(); string(d) != "\x00\xff" {
		t.Errorf("delimiter %q", d)
	}
	if n := mustParse(t, "fixed:9").FixedSize(); n != 9 {
		t.Errorf("fixed %d", n)
	}
	if d := mustParse(t, "idle:20ms").IdleTimeout(); d != 20*time.Millisecond {
		t.Errorf("idle %v", d)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		spec  string
		msg   string
		field string
		pos   int
	}{
		{"", `empty framing spec (want ` + Syntax + `)`, "mode", 1},
		{" ", `empty framing spec (want ` + Syntax + `)`, "mode", 2},
		{"lines", `lines: unknown framing "lines" (want ` + Syntax + `)`, "mode", 1},
		{"line:3", "line:3: line takes no parameters", "mode", 5},
		{"modbus-tcp:1", "modbus-tcp:1: modbus-tcp takes no parameters", "mode", 11},
		{"delim", "delim: HEX is missing (e.g. delim:0d0a)", "HEX", 6},
		{"delim:", "delim:: HEX is missing (e.g. delim:0d0a)", "HEX", 7},
		{"delim:0d0x", `delim:0d0x: HEX: invalid character "x" at position 10`, "HEX", 10},
		{"delim:0d:0a", `delim:0d:0a: HEX: invalid character ":" at position 9`, "HEX", 9},
		{"  delim:é0", `  delim:é0: HEX: invalid character "é" at position 9`, "HEX", 9},
		{"delim:0d0", "delim:0d0: HEX must have two digits per byte (odd number of digits)", "HEX", 9},
		{"delim:" + strings.Repeat("00", 65), "delim:" + strings.Repeat("00", 65) + ": HEX is 65 bytes, at most 64", "HEX", 7},
		{"fixed", "fixed: N is missing (e.g. fixed:16)", "N", 6},
		{"fixed:0", "fixed:0: N must be between 1 and 1073741824", "N", 7},
		{"fixed:-4", `fixed:-4: N must be a whole number, not "-4"`, "N", 7},
		{"fixed:12a", `fixed:12a: N must be a whole number, not "12a"`, "N", 9},
		{"fixed:99999999999999999999", "fixed:99999999999999999999: N must be between 1 and 1073741824", "N", 7},
		{"length", "length: OFFSET is missing (length:OFFSET:SIZE[:be|le][:ADJUST])", "OFFSET", 7},
		{"length:4", "length:4: SIZE is missing (length:OFFSET:SIZE[:be|le][:ADJUST])", "SIZE", 9},
		{"length:4:3", "length:4:3: SIZE must be 1, 2 or 4", "SIZE", 10},
		{"length:x:2", `length:x:2: OFFSET must be a whole number, not "x"`, "OFFSET", 8},
		{"length:70000:2", "length:70000:2: OFFSET must be between 0 and 65535", "OFFSET", 8},
		{"length:4:2:xe", `length:4:2:xe: expected be, le or ADJUST (a whole number), not "xe"`, "ADJUST", 12},
		{"length:4:2:be:x", `length:4:2:be:x: ADJUST must be a whole number, not "x"`, "ADJUST", 15},
		{"length:4:2:be:--1", `length:4:2:be:--1: ADJUST must be a whole number, not "--1"`, "ADJUST", 15},
		{"length:4:2:be:-1x", `length:4:2:be:-1x: ADJUST must be a whole number, not "-1x"`, "ADJUST", 17},
		{"length:4:2:be:2000000", "length:4:2:be:2000000: ADJUST must be between -1048576 and 1048576", "ADJUST", 15},
		{"length:4:2:-2:be", "length:4:2:-2:be: too many fields (length:OFFSET:SIZE[:be|le][:ADJUST])", "ADJUST", 14},
		{"length:4:2:be:1:2", "length:4:2:be:1:2: too many fields (length:OFFSET:SIZE[:be|le][:ADJUST])", "ADJUST", 16},
		{"idle", "idle: DUR is missing (e.g. idle:20ms)", "DUR", 5},
		{"idle:20", `idle:20: DUR must be a duration such as 20ms or 1.5s, not "20"`, "DUR", 6},
		{"idle:0s", "idle:0s: DUR must be between 1ms and 1h0m0s", "DUR", 6},
		{"idle:2h", "idle:2h: DUR must be between 1ms and 1h0m0s", "DUR", 6},
	}
	for _, tt := range tests {
		_, err := Parse(tt.spec)
		var se *SpecError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SpecError", tt.spec, err)
			continue
		}
		if err.Error() != tt.msg || se.Field != tt.field || se.Pos != tt.pos || se.Spec != tt.spec {
			t.Errorf("Parse(%q):\n got  %q field %s pos %d\n want %q field %s pos %d", tt.spec, err, se.Field, se.Pos, tt.msg, tt.field, tt.pos)
		}
	}
}

func TestStatusString(t *testing.T) {
	for st, want := range map[Status]string{Complete: "complete", Overflow: "overflow", Incomplete: "incomplete", Malformed: "malformed", 9: "Status(9)"} {
		if st.String() != want {
			t.Errorf("%d: %q", st, st.String())
		}
	}
	if Mode(42).String() != "Mode(42)" || ModbusTCP.String() != "modbus-tcp" {
		t.Error("Mode.String")
	}
}
