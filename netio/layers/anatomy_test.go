package layers

import (
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// A datagram exchange between a socket bound to any address and one on
// 127.0.0.1, drawn from the real events: each frame decodes back to the
// addresses, ports and bytes the events name, its checksums verify, and
// the wildcard's stand-in address is said to come from the routing table.
func TestAnatomyOfARealDatagramExchange(t *testing.T) {
	d := &drawn{a: NewAnatomy()}
	echo := exchange(t, d, "ping from sockdesk")
	if d.err != nil {
		t.Fatal(d.err)
	}
	// Echo received, echo sent, sender sent, sender received; the order of
	// the two sockets' events may vary.
	if len(d.frames) != 4 {
		t.Fatalf("%d frames", len(d.frames))
	}
	fromRoute := 0
	for i, p := range d.frames {
		if p.Proto != 17 || !p.ChecksumsOK || string(p.Payload) != "ping from sockdesk" || p.TTL != packet.DefaultTTL {
			t.Errorf("frame %d: %+v", i, p)
		}
		if p.Src != echo && p.Dst != echo || p.Src.Addr().String() != "127.0.0.1" || p.Dst.Addr().String() != "127.0.0.1" {
			t.Errorf("frame %d: %v>%v, want 127.0.0.1 and the echo %v", i, p.Src, p.Dst, echo)
		}
		if strings.Contains(d.notes[i], "bound to any address; 127.0.0.1 is the local address the routing table picks") {
			fromRoute++
		}
	}
	if fromRoute != 2 {
		t.Errorf("%d frames say the local address came from the routing table, want the sender's 2: %q", fromRoute, d.notes)
	}
}

// noteText joins a message's notes in English.
func noteText(m Message) string {
	var s []string
	for _, n := range m.Notes {
		s = append(s, n.String())
	}
	return strings.Join(s, " ")
}
