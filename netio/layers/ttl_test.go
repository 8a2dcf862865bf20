package layers

import (
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/packet"
)

// A received datagram's TTL, where the event carries the one the system
// reported, is drawn as read from the system; without it the TTL is the
// usual default, reconstructed. A sent datagram's TTL is never in its event.
func TestAnatomyDrawsTheReceivedTTL(t *testing.T) {
	at := time.Unix(1700000000, 0)
	ttlOf := func(e netio.Event) (int, packet.Source) {
		t.Helper()
		ms, err := NewAnatomy().Messages(e)
		if err != nil || len(ms) != 1 {
			t.Fatalf("%v: %d messages, %v", e.Kind, len(ms), err)
		}
		f, err := packet.Build(ms[0].Message)
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range f.Layers[1].Fields {
			if fl.Name == "TTL" {
				if int(f.Bytes[fl.Start]) != ms[0].TTL && ms[0].TTL != 0 {
					t.Errorf("the frame's TTL byte is %d, the message's %d", f.Bytes[fl.Start], ms[0].TTL)
				}
				return int(f.Bytes[fl.Start]), fl.Source
			}
		}
		t.Fatal("no TTL field")
		return 0, 0
	}
	received := netio.Event{Time: at, Kind: netio.EventReceived, Proto: "udp", Local: "127.0.0.1:5000", Peer: "127.0.0.1:40000", Data: []byte("x"), TTL: 7}
	if ttl, src := ttlOf(received); ttl != 7 || src != packet.FromSystem {
		t.Errorf("received with TTL 7: drawn %d (%v)", ttl, src)
	}
	received.TTL = 0
	if ttl, src := ttlOf(received); ttl != packet.DefaultTTL || src != packet.Reconstructed {
		t.Errorf("received without a TTL: drawn %d (%v)", ttl, src)
	}
	sent := received
	sent.Kind, sent.TTL = netio.EventSent, 9 // not a thing the engine reports; ignored
	if ttl, src := ttlOf(sent); ttl != packet.DefaultTTL || src != packet.Reconstructed {
		t.Errorf("sent: drawn %d (%v)", ttl, src)
	}
}
