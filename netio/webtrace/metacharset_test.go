package webtrace

import (
	"strings"
	"testing"
)

func TestPrescanMeta(t *testing.T) {
	pad := "<!--" + strings.Repeat("x", prescanLen) + "-->"
	for _, tc := range []struct {
		name, page  string
		want        string // the charset's name, "" for none
		tag         string
		unsupported string
	}{
		{"meta charset", `<!doctype html><html><head><meta charset="gbk"><title>t</title>`, "GBK", "<meta charset>", ""},
		{"unquoted, upper case", `<HTML><HEAD><META CHARSET=GB2312>`, "GB2312", "<meta charset>", ""},
		{"single quotes, spaces", `<meta  charset = 'Big5' >`, "Big5", "<meta charset>", ""},
		{"self-closing", `<meta/charset="shift_jis"/>`, "Shift_JIS", "<meta charset>", ""},
		{"http-equiv", `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`, "GBK", `<meta http-equiv="Content-Type">`, ""},
		{"content before http-equiv", `<meta content="text/html;charset='euc-kr'" http-equiv=content-type>`, "EUC-KR", `<meta http-equiv="Content-Type">`, ""},
		{"content without http-equiv", `<meta name="x" content="text/html; charset=gbk"><p>`, "", "", ""},
		{"content of another kind", `<meta http-equiv="refresh" content="5; charset=gbk">`, "", "", ""},
		{"charset= with no value in content", `<meta http-equiv="content-type" content="text/html; charset=">`, "", "", ""},
		{"charset wins over content", `<meta http-equiv="Content-Type" content="text/html; charset=big5" charset="gbk">`, "GBK", "<meta charset>", ""},
		{"first of a repeated attribute", `<meta charset="gbk" charset="big5">`, "GBK", "<meta charset>", ""},
		{"first meta wins", `<meta charset="euc-jp"><meta charset="gbk">`, "EUC-JP", "<meta charset>", ""},
		{"unknown label skipped", `<meta charset="klingon"><meta charset="gbk">`, "GBK", "<meta charset>", ""},
		{"only an unknown label", `<meta charset="klingon">`, "", "", "klingon"},
		{"an unknown charset stops content", `<meta charset="klingon" http-equiv="content-type" content="text/html; charset=gbk">`, "", "", "klingon"},
		{"UTF-16 means UTF-8", `<meta charset="utf-16le">`, "UTF-8", "<meta charset>", ""},
		{"inside a comment", `<!-- <meta charset="gbk"> --><p>`, "", "", ""},
		{"shortest comment", `<!--><meta charset="gbk">`, "GBK", "<meta charset>", ""},
		{"inside another tag's attribute", `<div title='<meta charset="gbk">'>x</div>`, "", "", ""},
		{"after a closing tag", `</head foo="<meta charset=big5>"><meta charset="gbk">`, "GBK", "<meta charset>", ""},
		{"in a processing instruction", `<?xml <meta charset="gbk"> ?><meta charset="big5">`, "Big5", "<meta charset>", ""},
		{"not a meta tag", `<metadata charset="gbk"><meta>`, "", "", ""},
		{"past the first 1024 bytes", pad + `<meta charset="gbk">`, "", "", ""},
		{"cut off by the 1024th byte", strings.Repeat(" ", prescanLen-12) + `<meta charset="gbk">`, "", "", ""},
		{"just inside", strings.Repeat(" ", prescanLen-len(`<meta charset="gbk">`)) + `<meta charset="gbk">`, "GBK", "<meta charset>", ""},
		{"unterminated comment", `<!-- <meta charset="gbk">`, "", "", ""},
		{"empty", ``, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := prescanMeta([]byte(tc.page))
			got := ""
			if m.charset != nil {
				got = m.charset.Name()
			}
			if got != tc.want || m.tag != tc.tag || m.unsupported != tc.unsupported {
				t.Errorf("got %q %q unsupported %q, want %q %q unsupported %q", got, m.tag, m.unsupported, tc.want, tc.tag, tc.unsupported)
			}
		})
	}
}

func TestCharsetFromContent(t *testing.T) {
	for in, want := range map[string]string{
		"text/html; charset=gbk":        "gbk",
		"text/html;charset=gbk;x=y":     "gbk",
		`text/html; charset="big5" x`:   "big5",
		"text/html; charset = 'euc-kr'": "euc-kr",
		"charsetx; charset=gbk":         "gbk",
		"text/html":                     "",
		`text/html; charset="gbk`:       "",
		"text/html; charset=":           "",
	} {
		got, ok := charsetFromContent(in)
		if got != want || ok != (want != "") {
			t.Errorf("%q: got %q %v, want %q", in, got, ok, want)
		}
	}
}
