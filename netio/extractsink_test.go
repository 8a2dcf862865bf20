package netio

import (
	"testing"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// Over a real socket: a GBK listener whose sink extracts kv from the decoded
// text and a binary field from the raw bytes gives each received datagram its
// values; a datagram with no number gets none, and sent events pass untouched.
func TestExtractSinkOverUDP(t *testing.T) {
	set, err := extract.ParseAll([]string{"kv", "bin:first@0:u8"})
	if err != nil {
		t.Fatal(err)
	}
	gbk := charset.MustLookup("gbk")
	col := &collector{}
	listener := NewUDP(UDPConfig{Bind: "127.0.0.1:0", Charset: gbk, Echo: true, Sink: ExtractSink(set, col)})
	if err := listener.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	sender, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	telemetry, err := gbk.Encode("温度=23.5℃ 湿度=-41%")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]byte{telemetry, []byte("no numbers here")} {
		if err := sender.SendTo(listener.LocalAddr().String(), p); err != nil {
			t.Fatal(err)
		}
	}
	got := col.WaitFor(t, "received", kind(EventReceived), 2)
	want := []extract.Value{{Name: "温度", Value: 23.5}, {Name: "湿度", Value: -41}, {Name: "first", Value: float64(telemetry[0])}}
	if v := got[0].Values; len(v) != len(want) || v[0] != want[0] || v[1] != want[1] || v[2] != want[2] {
		t.Errorf("telemetry: values %v, want %v (%s)", v, want, show(got[0]))
	}
	if v := got[1].Values; len(v) != 1 || v[0].Name != "first" || v[0].Value != 'n' {
		t.Errorf("a datagram without key=value: values %v, want only the binary field", v)
	}
	for _, e := range col.WaitFor(t, "echoes", kind(EventSent), 2) {
		if e.Values != nil {
			t.Errorf("a sent event got values: %v", e.Values)
		}
	}
}

// Without rules the stage is not there at all.
func TestExtractSinkNilSet(t *testing.T) {
	col := &collector{}
	if s := ExtractSink(nil, col); s != Sink(col) {
		t.Errorf("ExtractSink(nil, next) = %T, want next itself", s)
	}
}
