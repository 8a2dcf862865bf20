package extract

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func mustSet(t testing.TB, specs ...string) *Set {
	t.Helper()
	s, err := ParseAll(specs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// vals is a compact way to write expected values: name, value, name, value...
func vals(pairs ...any) []Value {
	var out []Value
	for i := 0; i < len(pairs); i += 2 {
		var v float64
		switch x := pairs[i+1].(type) {
		case int:
			v = float64(x)
		case float64:
			v = x
		}
		out = append(out, Value{Name: pairs[i].(string), Value: v})
	}
	return out
}

func checkText(t *testing.T, spec, text string, want []Value) {
	t.Helper()
	got := mustSet(t, spec).Apply(nil, []byte(text), text)
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s on %q:\n got %v\nwant %v", spec, text, got, want)
	}
}

func TestKV(t *testing.T) {
	cases := []struct {
		text string
		want []Value
	}{
		{"温度=23.5℃ 湿度=41%", vals("温度", 23.5, "湿度", 41)},
		{"temp: 23.5, hum: 41", vals("temp", 23.5, "hum", 41)},
		{"温度：23.5℃，湿度＝41%", vals("温度", 23.5, "湿度", 41)}, // full-width separators
		{"t=-4.5 u=+3 v=1e3 w=2.5E-2V x=3eV", vals("t", -4.5, "u", 3, "v", 1000, "w", 0.025, "x", 3)},
		{"a=.5 b=5. c=0x1F d=-0x10", vals("a", 0.5, "b", 5, "c", 31, "d", -16)},
		{"temp = 21 ; volt :3.3V", vals("temp", 21, "volt", 3.3)},
		{`{"t": 1, 'h': 2}`, vals("t", 1, "h", 2)},
		{"sensor_1.temp-c=7 --rate=9", vals("sensor_1.temp-c", 7, "rate", 9)},
		{"at 12:30:45 the value=5", vals("value", 5)}, // a key never starts with a digit
		{"T=25H=40 1st=3", vals("T", 25, "H", 40, "st", 3)},
		{"name=ok state=idle", nil}, // no number
		{"hello world", nil},
		{"", nil},
		{"=5 : 6 x=", nil},            // no key, no value
		{"x=1e999 y=2", vals("y", 2)}, // not a finite float64
		{"Ω=3 ключ=4 キー=5 키=6", vals("Ω", 3, "ключ", 4, "キー", 5, "키", 6)},
		{"a=1 a=2", vals("a", 1, "a", 2)}, // repeats are kept, in order
	}
	for _, c := range cases {
		checkText(t, "kv", c.text, c.want)
	}
}

func TestKVLongKeyIsNoName(t *testing.T) {
	long := strings.Repeat("k", maxNameLen+1)
	checkText(t, "kv", long+"=1 ok=2", vals("ok", 2))
	checkText(t, "kv", `"`+long+`"=1`, nil)
	checkText(t, "kv", strings.Repeat("k", maxNameLen)+"=1", vals(strings.Repeat("k", maxNameLen), 1))
}

func TestKVNamesDoNotAliasTheMessage(t *testing.T) {
	s := mustSet(t, "kv")
	msg := []byte("speed=12")
	got := s.Apply(nil, msg, string(msg))
	again := s.Apply(nil, msg, string(msg))
	if len(got) != 1 || len(again) != 1 {
		t.Fatalf("got %v and %v", got, again)
	}
	if got[0].Name != "speed" || again[0].Name != "speed" {
		t.Fatalf("names %q %q", got[0].Name, again[0].Name)
	}
}

func TestRegexp(t *testing.T) {
	checkText(t, `re:T(?P<temp>[-+.\de]+)C H(?P<hum>\d+)`, "T-12.5C H40", vals("temp", -12.5, "hum", 40))
	checkText(t, `re:temp=(?P<temp>\S+)`, "temp=23.5℃", vals("temp", 23.5)) // unit in the group ignored
	checkText(t, `re:v=(?P<v> ?\S+)`, "v= 1e-3 v=9", vals("v", 0.001))      // first match only, leading space
	checkText(t, `re:(?P<a>\d+)|x(?P<b>\w+)`, "xyz", nil)                   // group b is not a number, a took no part
	checkText(t, `re:(?P<a>\d+)`, "no digits", nil)
	checkText(t, `re:压力(?P<p>\d+)`, "压力101kPa", vals("p", 101))
}

func TestJSON(t *testing.T) {
	cases := []struct {
		text string
		want []Value
	}{
		{`{"temp": 23.5, "hum": 41}`, vals("temp", 23.5, "hum", 41)},
		{`{"a":{"b":-1.5e2,"c":[1,{"d":2}]},"s":"7","ok":true,"n":null}` + "\r\n",
			vals("a.b", -150, "a.c[0]", 1, "a.c[1].d", 2)},
		{`{"温度": 23.5, "esc\u00e9\"q": 1, "\ud83d\ude00": 2}`, vals("温度", 23.5, "escé\"q", 1, "😀", 2)},
		{`[1, 2]`, vals("[0]", 1, "[1]", 2)},
		{` 42 `, nil},                            // a bare number has no name
		{`{"big": 1e999, "x": 1}`, vals("x", 1)}, // not a finite float64, still JSON
		{`{}`, nil},
		{`{"a": "no numbers"}`, nil},
		// Malformed: no value at all, not the numbers before the fault.
		{`{"a": 1, "b": }`, nil},
		{`{"a": 1`, nil},
		{`{"a": 1} {"b": 2}`, nil},
		{`{"a": 01}`, nil},
		{`{"a": 1,}`, nil},
		{`{'a': 1}`, nil},
		{`{"a": tru}`, nil},
		{`{"a\x": 1}`, nil},
		{"{\"a\n\": 1}", nil},
		{`{"a": -}`, nil},
		{`{"a": 1.}`, nil},
		{`{"a": 1e}`, nil},
		{`temp=5`, nil},
		{``, nil},
		{strings.Repeat("[", maxJSONDepth+2) + "1" + strings.Repeat("]", maxJSONDepth+2), nil},
	}
	for _, c := range cases {
		checkText(t, "json", c.text, c.want)
	}
	deep := strings.Repeat(`{"a":`, 10) + "1" + strings.Repeat("}", 10)
	checkText(t, "json", deep, vals(strings.TrimSuffix(strings.Repeat("a.", 10), "."), 1))
}

func TestJSONLongPathIsNoName(t *testing.T) {
	long := strings.Repeat("k", maxNameLen)
	checkText(t, "json", `{"`+long+`": {"x": 1}, "y": 2}`, vals("y", 2))
	checkText(t, "json", `{"`+long+`": 1}`, vals(long, 1))
}

func TestJSONMalformedKeepsEarlierRulesValues(t *testing.T) {
	s := mustSet(t, "kv", "json")
	text := `{"a": 1, "b": }`
	got := s.Apply(nil, []byte(text), text)
	if want := vals("a", 1); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCSV(t *testing.T) {
	cases := []struct {
		text string
		want []Value
	}{
		{"23.5,41,1013", vals("v1", 23.5, "v2", 41, "v3", 1013)},
		{"23.5 41  -2e-1\r\n", vals("v1", 23.5, "v2", 41, "v3", -0.2)},
		{"1;2;3", vals("v1", 1, "v2", 2, "v3", 3)},
		{"1\t\t3", vals("v1", 1, "v3", 3)},
		{"1, abc ,3", vals("v1", 1, "v3", 3)},     // a non-number keeps its column
		{"23.5℃,41%", vals("v1", 23.5, "v2", 41)}, // units ignored
		{"1,2\n3,4", vals("v1", 1, "v2", 2, "v1", 3, "v2", 4)},
		{"temp,hum", nil},
		{"", nil},
		{"  \r\n", nil},
	}
	for _, c := range cases {
		checkText(t, "csv", c.text, c.want)
	}
	many := strings.TrimSuffix(strings.Repeat("1,", 70), ",")
	got := mustSet(t, "csv").Apply(nil, nil, many)
	if len(got) != 70 || got[69].Name != "v70" || got[64].Name != "v65" {
		t.Errorf("70 columns: got %d values, last %v", len(got), got[len(got)-1])
	}
}

func TestBinary(t *testing.T) {
	frame := []byte{0xAA, 0xFF, 0xFE, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01}
	f32 := binary.BigEndian.AppendUint32(nil, math.Float32bits(-1.5))
	f64 := binary.LittleEndian.AppendUint64(nil, math.Float64bits(6.02e23))
	cases := []struct {
		spec string
		data []byte
		want []Value
	}{
		{"bin:h@0:u8", frame, vals("h", 0xAA)},
		{"bin:h@0:i8", frame, vals("h", -86)},
		{"bin:x@1:u16be", frame, vals("x", 0xFFFE)},
		{"bin:x@1:u16le", frame, vals("x", 0xFEFF)},
		{"bin:x@1:i16be", frame, vals("x", -2)},
		{"bin:x@1:i16le", frame, vals("x", -257)},
		{"bin:x@5:u32be", frame, vals("x", 1)},
		{"bin:x@0x5:u32le", frame, vals("x", 0x01000000)},
		{"bin:x@1:i32be", frame, vals("x", -131056)},
		{"bin:x@1:i32le", frame, vals("x", 0x1000FEFF)},
		{"bin:x@1:i32le", frame[:4], nil}, // past the end
		{"bin:f@0:f32be", f32, vals("f", -1.5)},
		{"bin:f@0:f32le", []byte{0, 0, 0xC0, 0xBF}, vals("f", -1.5)},
		{"bin:f@0:f64le", f64, vals("f", 6.02e23)},
		{"bin:f@0:f64be", binary.BigEndian.AppendUint64(nil, math.Float64bits(-0.25)), vals("f", -0.25)},
		{"bin:f@0:f64be", binary.BigEndian.AppendUint64(nil, math.Float64bits(math.NaN())), nil},
		{"bin:f@0:f32le", binary.LittleEndian.AppendUint32(nil, math.Float32bits(float32(math.Inf(1)))), nil},
		{"bin:temp@1:i16be*0.1", frame, vals("temp", -0.2)},
		{"bin:temp@1:u16be*-2", frame, vals("temp", -2*0xFFFE)},
		{"bin:温度@8:u8*1e3", frame, vals("温度", 1000)},
		{"bin:x@9:u8", frame, nil},       // offset at the end
		{"bin:x@1000000:u8", frame, nil}, // far past it
		{"bin:x@0:u8", nil, nil},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		r := mustSet(t, c.spec).Rules()[0]
		covered[r.field.typ.name] = true
		got := mustSet(t, c.spec).Apply(nil, c.data, "")
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if len(got) != 1 || len(c.want) != 1 || got[0].Name != c.want[0].Name || math.Abs(got[0].Value-c.want[0].Value) > 1e-9 {
			t.Errorf("%s on % x: got %v, want %v", c.spec, c.data, got, c.want)
		}
	}
	for _, bt := range binTypes {
		if !covered[bt.name] {
			t.Errorf("type %s has no case", bt.name)
		}
	}
	if len(binTypes) != 14 {
		t.Errorf("%d types, the issue lists 14", len(binTypes))
	}
}

func TestBinaryReadsBytesOthersText(t *testing.T) {
	// The text is what a charset made of the bytes: bin must not read it.
	s := mustSet(t, "bin:b@0:u8", "kv")
	got := s.Apply(nil, []byte{0x07}, "k=3")
	if want := vals("b", 7, "k", 3); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestApplyOrderAndAppend(t *testing.T) {
	s := mustSet(t, "csv", "kv", "bin:first@0:u8")
	dst := vals("kept", 1)
	got := s.Apply(dst, []byte("9"), "x=2")
	want := vals("kept", 1, "x", 2, "first", int('9'))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	var none *Set
	if got := none.Apply(nil, []byte("x=1"), "x=1"); len(got) != 0 {
		t.Errorf("nil set gave %v", got)
	}
}

func TestMaxValues(t *testing.T) {
	text := strings.Repeat("k=1 ", MaxValues+10)
	got := mustSet(t, "kv", "csv").Apply(vals("before", 0), nil, text)
	if len(got) != 1+MaxValues {
		t.Errorf("got %d values, want %d", len(got), 1+MaxValues)
	}
}

func TestInternedNamesAreBounded(t *testing.T) {
	s := mustSet(t, "kv")
	for i := range maxInterned + 100 {
		text := fmt.Sprintf("key%d=%d", i, i)
		got := s.Apply(nil, nil, text)
		if len(got) != 1 || got[0].Name != fmt.Sprintf("key%d", i) || got[0].Value != float64(i) {
			t.Fatalf("%q gave %v", text, got)
		}
	}
	if n := len(*s.names.m.Load()); n != maxInterned {
		t.Errorf("%d names remembered, want the cap %d", n, maxInterned)
	}
}

func TestApplyConcurrently(t *testing.T) {
	s := mustSet(t, "kv", "json")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				text := fmt.Sprintf(`g%d_%d=%d`, g, i%50, i)
				got := s.Apply(nil, nil, text)
				if len(got) != 1 || got[0].Value != float64(i) {
					t.Errorf("%q gave %v", text, got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ spec, want string }{
		{"", `extract rule "": empty rule (want kv, re:REGEX, json, csv or bin:NAME@OFFSET:TYPE[*SCALE])`},
		{"xml", `extract rule "xml": unknown kind "xml" (want kv, re:REGEX, json, csv or bin:NAME@OFFSET:TYPE[*SCALE])`},
		{"KV", `unknown kind "KV"`},
		{"re:", `extract rule "re:": at position 4: empty regular expression`},
		{"re:(?P<a>\\d+", `extract rule "re:(?P<a>\\d+": at position 4: regular expression: missing closing ): ` + "`(?P<a>\\d+`"},
		{`re:\d+`, `at position 4: the regular expression has no named group (?P<name>...) to read a number from`},
		{"bin:temp", `extract rule "bin:temp": at position 5: want bin:NAME@OFFSET:TYPE[*SCALE], e.g. bin:temp@2:i16be*0.1`},
		{"bin:@2:u8", `at position 5: the value has no NAME before @`},
		{"bin:t@2", `at position 7: missing :TYPE after the offset`},
		{"bin:t@x:u8", `extract rule "bin:t@x:u8": at position 7: offset "x" is not a byte offset from 0 to 1073741824 (decimal or 0x hex)`},
		{"bin:t@-1:u8", `at position 7: offset "-1" is not a byte offset`},
		{"bin:温度@0x:u8", `at position 8: offset "0x" is not`},
		{"bin:t@2:u24", `at position 9: unknown type "u24" (known: u8 i8 u16be u16le i16be i16le u32be u32le i32be i32le f32be f32le f64be f64le)`},
		{"bin:t@2:i16be*", `at position 15: scale "" is not a non-zero number`},
		{"bin:t@2:i16be*0.1x", `at position 15: scale "0.1x" is not a non-zero number`},
		{"bin:t@2:i16be*0", `scale "0" is not a non-zero number`},
	}
	for _, c := range cases {
		_, err := Parse(c.spec)
		if err == nil {
			t.Errorf("Parse(%q) accepted it", c.spec)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q):\n got %s\nwant %s", c.spec, err, c.want)
		}
		var se *SpecError
		if !asSpecError(err, &se) || se.Spec != c.spec {
			t.Errorf("Parse(%q): error %T does not name the spec", c.spec, err)
		}
	}
	if _, err := ParseAll([]string{"kv", "bin:x", "json"}); err == nil || !strings.Contains(err.Error(), `"bin:x"`) {
		t.Errorf("ParseAll: %v", err)
	}
}

func asSpecError(err error, target **SpecError) bool {
	se, ok := err.(*SpecError)
	*target = se
	return ok
}

func TestParseAccepts(t *testing.T) {
	for _, c := range []struct {
		spec  string
		kind  Kind
		names []string
	}{
		{"kv", KindKV, nil},
		{"json", KindJSON, nil},
		{"csv", KindCSV, nil},
		{`re:a=(?P<a>\d+) (?P<b>\d+)`, KindRegexp, []string{"a", "b"}},
		{"bin:rpm@0x10:u16le", KindBinary, []string{"rpm"}},
		{"bin:a@b@3:f64be*-1.5e-3", KindBinary, []string{"a@b"}}, // the last @ splits
	} {
		r, err := Parse(c.spec)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.spec, err)
			continue
		}
		if r.Kind() != c.kind || r.String() != c.spec || !reflect.DeepEqual(r.Names(), c.names) {
			t.Errorf("Parse(%q) = %v %q %v", c.spec, r.Kind(), r.String(), r.Names())
		}
	}
	s := mustSet(t, "bin:a@0:u8", `re:(?P<b>\d)(?P<a>\d)`, "kv")
	if got, want := s.Names(), []string{"a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Set.Names = %v, want %v", got, want)
	}
}
