package netio

import (
	"testing"

	"github.com/sockdesk/sockdesk/netio/checksum"
)

// Over a real socket: a listener whose sink checks crc16-modbus marks a good
// datagram ok and a damaged one BAD, with what it got and wanted.
func TestCheckSinkOverUDP(t *testing.T) {
	c, _, _ := checksum.Lookup("crc16-modbus")
	col := &collector{}
	listener := NewUDP(UDPConfig{Bind: "127.0.0.1:0", Sink: CheckSink(c, checksum.OrderDefault, col)})
	if err := listener.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	sender, _ := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	good := c.Append([]byte("123456789"), checksum.OrderDefault)
	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 0xFF
	for _, p := range [][]byte{good, bad} {
		if err := sender.SendTo(listener.LocalAddr().String(), p); err != nil {
			t.Fatal(err)
		}
	}
	got := col.WaitFor(t, "received", func(e Event) bool { return e.Kind == EventReceived }, 2)
	if ck := got[0].Check; ck == nil || !ck.OK || ck.Name != "crc16-modbus" || string(got[0].Data) != string(good) {
		t.Errorf("good datagram: %s, check %+v", show(got[0]), ck)
	}
	if ck := got[1].Check; ck == nil || ck.OK || ck.GotHex() != "0xB437" || ck.WantHex() != "0x4B37" {
		t.Errorf("bad datagram: %s, check %+v", show(got[1]), ck)
	}
}
