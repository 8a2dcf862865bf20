package payload

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio/charset"
)

func TestTemplatePlaceholders(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 5, 7, 123_000_000, time.Local)
	for _, tc := range []struct {
		input, charset string
		mode           Mode
		want           []byte
	}{
		{"t={time}", "utf-8", ModeText, []byte("t=09:05:07.123")},
		{"{unix}|{unixms}", "utf-8", ModeText, []byte(strconv.FormatInt(at.Unix(), 10) + "|" + strconv.FormatInt(at.UnixMilli(), 10))},
		{"{time}", "utf-16le", ModeText, []byte{'0', 0, '9', 0, ':', 0, '0', 0, '5', 0, ':', 0, '0', 0, '7', 0, '.', 0, '1', 0, '2', 0, '3', 0}},
		{"{counter}", "utf-16be", ModeText, []byte{0, '4', 0, '2'}},
		// {hex:..} is raw bytes whatever the mode and charset.
		{"你{hex:c4e3 0d0a}好", "utf-8", ModeText, []byte("你\xc4\xe3\r\n好")},
		{"a{hex:0x41,42}", "utf-16le", ModeText, []byte{'a', 0, 0x41, 0x42}},
		{`x\t{hex:00}`, "gbk", ModeEscapes, []byte("x\t\x00")},
		{"01 {hex:02} 03", "utf-8", ModeHex, []byte{1, 2, 3}},
		{"{hex:ff}", "utf-8", ModeHex, []byte{0xff}},
		// Braces that are not placeholders, and the escape.
		{`{"id":1}`, "utf-8", ModeText, []byte(`{"id":1}`)},
		{"{{counter}} {", "utf-8", ModeText, []byte("{counter}} {")},
		{"{ counter}{Counter}", "utf-8", ModeText, []byte("{ counter}{Counter}")},
		{"$1 costs $$", "utf-8", ModeText, []byte("$1 costs $$")}, // no groups outside auto-replies
	} {
		tmpl, err := ParseTemplate(tc.input, tc.mode, charset.MustLookup(tc.charset))
		if err != nil {
			t.Errorf("%q: %v", tc.input, err)
			continue
		}
		got := tmpl.Fill(nil, 42, at, nil)
		if !bytes.Equal(got, tc.want) {
			t.Errorf("%q in %s: % x, want % x", tc.input, tc.charset, got, tc.want)
		}
		if !tmpl.Static() && tmpl.Len(42) != len(tc.want) {
			t.Errorf("%q: Len %d, made %d bytes", tc.input, tmpl.Len(42), len(tc.want))
		}
	}
}

// Append reads the clock for time slots: two messages a little apart differ.
func TestTemplateTimeIsNow(t *testing.T) {
	tmpl, err := ParseTemplate("{unixms}", ModeText, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().UnixMilli()
	got, err := strconv.ParseInt(string(tmpl.Append(nil, 1)), 10, 64)
	after := time.Now().UnixMilli()
	if err != nil || got < before || got > after {
		t.Errorf("{unixms} = %d (%v), want between %d and %d", got, err, before, after)
	}
	if tmpl.Static() {
		t.Error("a template with {unixms} says it is static")
	}
}

// Errors name the position in the whole input.
func TestTemplatePlaceholderErrors(t *testing.T) {
	for _, tc := range []struct {
		input string
		mode  Mode
		want  string
	}{
		{"ab{countr}", ModeText, "placeholder: unknown placeholder {countr} at position 3"},
		{"ab{time:15}", ModeText, "placeholder: {time} at position 3 takes no argument"},
		{"x{hex:c4 zz}", ModeText, `hex: invalid character "z" at position 10`},
		{"你好{hex:c4e}", ModeText, "hex: odd number of digits (last digit at position 10)"},
		{"x{hex:}", ModeText, "placeholder: {hex:} at position 2 has no bytes"},
		{"x{hex:c4", ModeText, "placeholder: {hex: at position 2 has no closing }"},
		{"{hex:01}{{", ModeHex, `hex: invalid character "{" at position 9`},
		{"{time} 0g", ModeHex, `hex: invalid character "g" at position 9`},
	} {
		_, err := ParseTemplate(tc.input, tc.mode, nil)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %s", tc.input, err, tc.want)
		}
	}
	if _, err := ParseTemplate("{time}😀", ModeText, charset.MustLookup("gbk")); err == nil || !strings.Contains(err.Error(), "at position 7") {
		t.Errorf("emoji in GBK after {time}: %v", err)
	}
}

func TestTemplateGroups(t *testing.T) {
	re := regexp.MustCompile(`^GET (?P<path>\S+) (\d)`)
	lookup := func(name string) (int, bool) {
		if i, err := strconv.Atoi(name); err == nil {
			return i, i <= re.NumSubexp()
		}
		i := re.SubexpIndex(name)
		return i, i >= 0
	}
	groups := re.FindStringSubmatch("GET /a 7")
	for _, tc := range []struct{ input, want string }{
		{"$1 ${2}x $path ${path}! $$ $ $-", "/a 7x /a /a! $ $ $-"},
		{"[$0]", "[GET /a 7]"},
	} {
		tmpl, err := ParseTemplateWithGroups(tc.input, ModeText, nil, lookup)
		if err != nil {
			t.Fatalf("%q: %v", tc.input, err)
		}
		if got := string(tmpl.Fill(nil, 1, time.Now(), groups)); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.input, got, tc.want)
		}
	}
	for _, tc := range []struct{ input, want string }{
		{"ok $3", `the expression has no group "3" (at position 4`},
		{"$1x", `no group "1x" (at position 1; write ${1}x`},
		{"${nope}", `no group "nope"`},
		{"a ${1", "${ at position 3 has no closing }"},
	} {
		if _, err := ParseTemplateWithGroups(tc.input, ModeText, nil, lookup); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %s", tc.input, err, tc.want)
		}
	}
}
