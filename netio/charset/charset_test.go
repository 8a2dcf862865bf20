package charset

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCharsetsRegistry(t *testing.T) {
	all := All()
	want := []string{"UTF-8", "GBK", "GB2312", "GB18030", "Big5", "Shift_JIS", "EUC-JP", "EUC-KR",
		"ISO-8859-1", "Windows-1252", "UTF-16LE", "UTF-16BE"}
	if len(all) != len(want) {
		t.Fatalf("All() has %d entries, want %d", len(all), len(want))
	}
	if all[0] != UTF8 {
		t.Errorf("All()[0] = %v, want UTF8", all[0])
	}
	seen := map[string]string{}
	for i, c := range all {
		if c.Name() != want[i] {
			t.Errorf("All()[%d] = %q, want %q", i, c.Name(), want[i])
		}
		for _, name := range append(c.Aliases(), c.Name()) {
			if name != c.Name() && name != strings.ToLower(name) {
				t.Errorf("%s: alias %q is not lower case", c.Name(), name)
			}
			if other, dup := seen[strings.ToLower(name)]; dup && other != c.Name() {
				t.Errorf("alias %q belongs to both %s and %s", name, other, c.Name())
			}
			seen[strings.ToLower(name)] = c.Name()
			for _, variant := range []string{name, strings.ToUpper(name), "  " + name + "\t"} {
				if got, err := Lookup(variant); err != nil || got != c {
					t.Errorf("Lookup(%q) = %v, %v; want %s", variant, got, err, c.Name())
				}
			}
		}
	}
	// Changing the returned slices must not change the registry.
	all[0] = nil
	UTF8.Aliases()[0] = "x"
	if All()[0] != UTF8 || UTF8.Aliases()[0] == "x" {
		t.Error("All/Aliases expose internal slices")
	}
}

func TestLookupCharset(t *testing.T) {
	for name, want := range map[string]string{
		"": "UTF-8", "  ": "UTF-8", "utf8": "UTF-8", "GBK": "GBK", "cp936": "GBK", "windows-936": "GBK",
		"gb2312": "GB2312", "EUC-CN": "GB2312", "GB_2312-80": "GB2312", "gb18030": "GB18030",
		"big5": "Big5", "cp950": "Big5", "sjis": "Shift_JIS", "Shift-JIS": "Shift_JIS", "cp932": "Shift_JIS",
		"ms_kanji": "Shift_JIS", "eucjp": "EUC-JP", "euckr": "EUC-KR", "cp949": "EUC-KR",
		"ks_c_5601-1987": "EUC-KR", "latin1": "ISO-8859-1", "L1": "ISO-8859-1", "iso8859-1": "ISO-8859-1",
		"cp1252": "Windows-1252", "utf16le": "UTF-16LE", "UTF-16BE": "UTF-16BE",
	} {
		if c, err := Lookup(name); err != nil || c.Name() != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", name, c, err, want)
		}
	}
}

func TestLookupCharsetUnknown(t *testing.T) {
	for _, name := range []string{"foo", "big5-hkscs", "utf-32", "gb"} {
		c, err := Lookup(name)
		var ue *UnknownError
		if c != nil || !errors.As(err, &ue) || ue.Name != name {
			t.Fatalf("Lookup(%q) = %v, %v; want *UnknownError", name, c, err)
		}
	}
	_, err := Lookup("foo")
	want := `unknown charset "foo" (known: UTF-8, GBK, GB2312, GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR, ` +
		`ISO-8859-1, Windows-1252, UTF-16LE, UTF-16BE)`
	if err.Error() != want {
		t.Errorf("error = %q\nwant   %q", err, want)
	}
}

func TestCharsetEncode(t *testing.T) {
	tests := []struct {
		cs, text, hex string
	}{
		{"UTF-8", "你好", "e4bda0e5a5bd"},
		{"UTF-8", "", ""},
		{"GBK", "你好", "c4e3bac3"},
		{"GBK", "們€", "828380"}, // GBK-only hanzi; CP936 puts the euro at 0x80
		{"GB2312", "你好, GB2312!", "c4e3bac32c2047423233313221"},
		{"GB2312", "—…①Ⅻ", "a1aaa1ada2d9a2fc"},
		{"GB18030", "你好😀€", "c4e3bac39439fc36a2e3"},
		{"GB18030", "\u0080", "81308130"},
		{"Big5", "中文們", "a4a4a4e5adcc"},
		{"Big5", "鑂", "fe40"}, // user-defined area, allowed as by WHATWG
		{"Shift_JIS", "日本語ｶﾅ", "93fa967b8ceab6c5"},
		{"EUC-JP", "日本語", "c6fccbdcb8ec"},
		{"EUC-KR", "한국어", "c7d1b1b9beee"},
		{"ISO-8859-1", "café ÿ", "636166e920ff"},
		{"Windows-1252", "café €", "636166e92080"},
		{"UTF-16LE", "A你😀", "4100604f3dd800de"},
		{"UTF-16BE", "A你😀", "00414f60d83dde00"},
	}
	for _, tc := range tests {
		got, err := MustLookup(tc.cs).Encode(tc.text)
		if err != nil || hex.EncodeToString(got) != tc.hex {
			t.Errorf("%s.Encode(%q) = %x, %v; want %s", tc.cs, tc.text, got, err, tc.hex)
		}
	}
}

func TestCharsetEncodeError(t *testing.T) {
	tests := []struct {
		cs, text string
		char     rune
		pos      int
	}{
		{"GBK", "😀", '😀', 1},
		{"GBK", "ab😀", '😀', 3},
		{"GBK", "你好😀", '😀', 3},
		{"GBK", "\uFFFD", '\uFFFD', 1},
		{"GB2312", "你們", '們', 2},
		{"GB2312", "5€", '€', 2},
		{"GB2312", "ⅰ", 'ⅰ', 1},         // GBK A2A1, not in GB2312 row 2
		{"GB2312", "\ue000", 0xE000, 1}, // GBK user-defined area AAA1
		{"GB2312", "ɑ", 'ɑ', 1},         // GBK A8BB, a GBK addition inside the EUC-CN byte range
		{"Big5", "😀", '😀', 1},
		{"Big5", "中㇀", '㇀', 2}, // HKSCS 8840: x/text would encode it, browsers do not
		{"Shift_JIS", "x€", '€', 2},
		{"EUC-KR", "한😀", '😀', 2},
		{"ISO-8859-1", "€", '€', 1},
		{"Windows-1252", "aé你", '你', 3},
		{"UTF-8", "ab\xffc", utf8.RuneError, 3},
		{"GB18030", "你\xff", utf8.RuneError, 2}, // would otherwise become 84 31 a4 37
		{"UTF-16LE", "\xed\xa0\x80", utf8.RuneError, 1},
	}
	for _, tc := range tests {
		got, err := MustLookup(tc.cs).Encode(tc.text)
		var ee *EncodeError
		if !errors.As(err, &ee) {
			t.Errorf("%s.Encode(%q) = %x, %v; want *EncodeError", tc.cs, tc.text, got, err)
			continue
		}
		if got != nil || ee.Char != tc.char || ee.Pos != tc.pos || ee.Charset != tc.cs {
			t.Errorf("%s.Encode(%q) = %x, %+v; want char %U at %d", tc.cs, tc.text, got, ee, tc.char, tc.pos)
		}
	}
	_, err := MustLookup("GBK").Encode("ab😀")
	if want := `character "😀" (U+1F600) at position 3 cannot be encoded in GBK`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

// Every GB2312 code point decodes (via GBK) and encodes back to itself, and
// there are exactly 7445 of them.
func TestGB2312Repertoire(t *testing.T) {
	gb2312, gbk := MustLookup("GB2312"), MustLookup("GBK")
	n := 0
	for hi := 0xA1; hi <= 0xFE; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			code := []byte{byte(hi), byte(lo)}
			text := gbk.DecodeAll(code)
			got, err := gb2312.Encode(text)
			if inGB2312(byte(hi), byte(lo)) {
				n++
				if err != nil || !bytes.Equal(got, code) {
					t.Errorf("GB2312 %x: decodes to %q, encodes to %x, %v", code, text, got, err)
				}
			} else if err == nil && bytes.Equal(got, code) {
				t.Errorf("GB2312 %x (%q) should not be encodable", code, text)
			}
		}
	}
	if n != 7445 {
		t.Errorf("GB2312 has %d code points, want 7445", n)
	}
}
