package extract

import (
	"encoding/json"
	"testing"
)

func TestAppendText(t *testing.T) {
	got := string(AppendText([]byte("RECV 127.0.0.1:5000 "), vals("温度", 23.5, "湿度", 41, "a b", -1e-9, "\x1b[31m", 2, "k=v", 3)))
	want := `RECV 127.0.0.1:5000 温度=23.5 湿度=41 "a b"=-1e-09 "\x1b[31m"=2 "k=v"=3`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := string(AppendText(nil, nil)); got != "" {
		t.Errorf("no values: %q", got)
	}
}

func TestAppendJSON(t *testing.T) {
	values := vals("temp", 23.5, "a.b[0]", 1e21, "temp", 24, "q\"\\\x01\x7f", -2, "\xff", 0)
	got := AppendJSON(nil, values)
	want := `{"temp":24,"a.b[0]":1e+21,"q\"\\\u0001\u007f":-2,"\ufffd":0}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var m map[string]float64
	if err := json.Unmarshal(got, &m); err != nil || m["temp"] != 24 || len(m) != 4 {
		t.Errorf("not the JSON it claims: %v %v", m, err)
	}
	if got := string(AppendJSON(nil, nil)); got != "{}" {
		t.Errorf("no values: %s", got)
	}
}
