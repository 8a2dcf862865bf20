package payload

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio/charset"
)

func TestTemplateCounter(t *testing.T) {
	for _, tc := range []struct {
		input, charset string
		mode           Mode
		n              uint64
		want           []byte
	}{
		{"seq {counter}!", "utf-8", ModeText, 42, []byte("seq 42!")},
		{"{counter}{counter}", "utf-8", ModeText, 7, []byte("77")},
		{"你好{counter}", "gbk", ModeText, 1, []byte{0xc4, 0xe3, 0xba, 0xc3, '1'}},
		{`n={counter}\r\n`, "utf-8", ModeEscapes, 1000, []byte("n=1000\r\n")},
		{"01 02 {counter} 0d 0a", "utf-8", ModeHex, 9, []byte{1, 2, '9', 0x0d, 0x0a}},
		{"{counter}", "utf-8", ModeHex, 12, []byte("12")},
		{"a{counter}", "utf-16le", ModeText, 10, []byte{'a', 0, '1', 0, '0', 0}},
		{"no counter", "utf-8", ModeText, 5, []byte("no counter")},
	} {
		tmpl, err := ParseTemplate(tc.input, tc.mode, charset.MustLookup(tc.charset))
		if err != nil {
			t.Errorf("%q: %v", tc.input, err)
			continue
		}
		got := tmpl.Append(nil, tc.n)
		if !bytes.Equal(got, tc.want) || tmpl.Len(tc.n) != len(tc.want) {
			t.Errorf("%q #%d: % x (Len %d), want % x", tc.input, tc.n, got, tmpl.Len(tc.n), tc.want)
		}
	}
}

// Errors point where the user typed them, placeholders counted as written.
func TestTemplateErrorPositions(t *testing.T) {
	for _, tc := range []struct {
		input string
		mode  Mode
		want  string
	}{
		{"01 {counter} 0g", ModeHex, `hex: invalid character "g" at position 15`},
		{"c{counter}4", ModeHex, "hex: odd number of digits (last digit at position 1)"},
		{`x{counter}\q`, ModeEscapes, `escapes: unknown escape \q at position 11`},
		{"", ModeHex, "hex: no bytes"},
	} {
		_, err := ParseTemplate(tc.input, tc.mode, nil)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.input, err, tc.want)
		}
	}
	if _, err := ParseTemplate("{counter}😀", ModeText, charset.MustLookup("gbk")); err == nil || !strings.Contains(err.Error(), "at position 10") {
		t.Errorf("emoji in GBK: %v", err)
	}
}

// Named variables: {name} fills in the variable's text; a name that is neither a
// built-in placeholder nor a variable is an error at its position; without a
// VarLookup {Name} stays text, as before.
func TestTemplateVariables(t *testing.T) {
	vars := func(name string) (int, bool) {
		switch name {
		case "temp":
			return 0, true
		case "Dev_1":
			return 1, true
		}
		return 0, false
	}
	tpl, err := ParseTemplateWithVars(`ACK {temp} {Dev_1} #{counter}\r\n{"json":1}`, ModeEscapes, nil, vars)
	if err != nil {
		t.Fatal(err)
	}
	got := string(tpl.FillWith(nil, 3, time.Now(), nil, []string{"21.5", "pump"}))
	if want := "ACK 21.5 pump #3\r\n{\"json\":1}"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	hexTpl, err := ParseTemplateWithVars("01 {temp} 0d", ModeHex, nil, vars)
	if err != nil {
		t.Fatal(err)
	}
	if got := hexTpl.FillWith(nil, 1, time.Now(), nil, []string{"AB"}); string(got) != "\x01AB\x0d" {
		t.Errorf("hex with a variable: %q", got)
	}
	_, err = ParseTemplateWithVars("x {tmp} y", ModeText, nil, vars)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Pos != 3 || !strings.Contains(err.Error(), "unknown placeholder {tmp} at position 3: no variable tmp is set before here") {
		t.Errorf("unknown variable: %v", err)
	}
	plain, err := ParseTemplate("{Name} {1}", ModeText, nil)
	if err != nil || string(plain.Append(nil, 1)) != "{Name} {1}" {
		t.Errorf("without variables: %v", err)
	}
}
