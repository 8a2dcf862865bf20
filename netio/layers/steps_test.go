package layers

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/packet"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// describe writes steps as "open a>b by local; data a>b sent 5" for a
// comparison that reads like the events.
func describe(steps []Step) string {
	var out []string
	for _, s := range steps {
		d := fmt.Sprintf("%v %v>%v", s.Kind, s.Conn.Local, s.Conn.Peer)
		switch s.Kind {
		case StepDatagram, StepData:
			d += fmt.Sprintf(" %v %d", s.Dir, len(s.Payload))
		default:
			d += " by " + s.Side.String()
		}
		if s.Relay != "" {
			d += " on " + s.Relay
		}
		if s.LocalFromRoute {
			d += " (route)"
		}
		out = append(out, d)
	}
	return strings.Join(out, "; ")
}

func mapAll(t *testing.T, events []netio.Event) string {
	t.Helper()
	var m Mapper
	var steps []Step
	for _, e := range events {
		var err error
		if steps, err = m.Map(steps, e); err != nil {
			t.Fatalf("%v: %v", e.Kind, err)
		}
	}
	return describe(steps)
}

func TestMapClientAndServer(t *testing.T) {
	c, s := "127.0.0.1:40000", "127.0.0.1:80"
	ev := func(k netio.EventKind, local, peer string, data string, r netio.CloseReason) netio.Event {
		return netio.Event{Kind: k, Proto: "tcp", Local: local, Peer: peer, Data: []byte(data), Reason: r}
	}
	for _, tc := range []struct {
		name   string
		events []netio.Event
		want   string
	}{
		{"client, peer closes", []netio.Event{
			ev(netio.EventConnected, c, s, "", ""),
			ev(netio.EventSent, c, s, "GET /", ""),
			ev(netio.EventReceived, c, s, "200", ""),
			ev(netio.EventClosed, c, s, "", netio.ReasonPeerClosed),
		}, "open 127.0.0.1:40000>127.0.0.1:80 by local; data 127.0.0.1:40000>127.0.0.1:80 sent 5; data 127.0.0.1:40000>127.0.0.1:80 received 3; close 127.0.0.1:40000>127.0.0.1:80 by peer"},
		{"server, closed here", []netio.Event{
			{Kind: netio.EventListening, Proto: "tcp", Local: "0.0.0.0:80"},
			ev(netio.EventAccepted, s, c, "", ""),
			ev(netio.EventClosed, s, c, "", netio.ReasonLocal),
		}, "open 127.0.0.1:80>127.0.0.1:40000 by peer; close 127.0.0.1:80>127.0.0.1:40000 by local"},
		{"reset by the peer", []netio.Event{ev(netio.EventClosed, c, s, "", netio.ReasonReset)},
			"reset 127.0.0.1:40000>127.0.0.1:80 by peer"},
		{"refused over max clients, on a wildcard listener", []netio.Event{ev(netio.EventClosed, "0.0.0.0:80", c, "", netio.ReasonMaxClients)},
			"open 127.0.0.1:80>127.0.0.1:40000 by peer (route); close 127.0.0.1:80>127.0.0.1:40000 by local (route)"},
		{"a dual-stack socket's mapped addresses are IPv4", []netio.Event{ev(netio.EventAccepted, "[::ffff:127.0.0.1]:80", c, "", "")},
			"open 127.0.0.1:80>127.0.0.1:40000 by peer"},
		{"errors and the listener's close put nothing on the wire", []netio.Event{
			{Kind: netio.EventError, Proto: "tcp", Local: s, Peer: c},
			{Kind: netio.EventClosed, Proto: "tcp", Local: s, Reason: netio.ReasonLocal},
		}, ""},
	} {
		if got := mapAll(t, tc.events); got != tc.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestMapUDP(t *testing.T) {
	got := mapAll(t, []netio.Event{
		{Kind: netio.EventListening, Proto: "udp", Local: "[::]:5000"},
		{Kind: netio.EventReceived, Proto: "udp", Local: "[::]:5000", Peer: "127.0.0.1:40000", Data: []byte("ping")},
		{Kind: netio.EventSent, Proto: "udp", Local: "127.0.0.1:5000", Peer: "127.0.0.1:40000", Data: []byte("pong!")},
		{Kind: netio.EventClosed, Proto: "udp", Local: "[::]:5000"},
	})
	want := "datagram 127.0.0.1:5000>127.0.0.1:40000 received 4 (route); datagram 127.0.0.1:5000>127.0.0.1:40000 sent 5"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var m Mapper
	if _, err := m.Map(nil, netio.Event{Kind: netio.EventReceived, Proto: "udp", Local: "nonsense", Peer: "127.0.0.1:1"}); err == nil || !strings.Contains(err.Error(), `local address "nonsense"`) {
		t.Errorf("a bad address: %v", err)
	}
}

// A relay's events name the client as Peer, the target as Target, and the
// relay's end of whichever connection they are about as Local.
func TestMapRelay(t *testing.T) {
	const (
		client      = "127.0.0.1:40000"
		relayClient = "127.0.0.1:7000" // the relay's end of the client's connection
		relayTarget = "127.0.0.1:50000"
		target      = "127.0.0.1:9000"
	)
	pair := func(k netio.EventKind, local, tgt string, dir netio.Direction, data string, r netio.CloseReason) netio.Event {
		return netio.Event{Kind: k, Proto: "tcp", Client: 1, Local: local, Peer: client, Target: tgt, Dir: dir, Data: []byte(data), Reason: r}
	}
	open := []netio.Event{
		pair(netio.EventAccepted, relayClient, "localhost:9000", netio.DirNone, "", ""),
		pair(netio.EventConnected, relayTarget, target, netio.DirToTarget, "", ""),
		pair(netio.EventReceived, relayClient, target, netio.DirToTarget, "hello", ""),
		pair(netio.EventReceived, relayTarget, target, netio.DirToClient, "hi", ""),
	}
	const opened = "open 127.0.0.1:7000>127.0.0.1:40000 by peer on client; open 127.0.0.1:50000>127.0.0.1:9000 by local on target; " +
		"data 127.0.0.1:7000>127.0.0.1:40000 received 5 on client; data 127.0.0.1:50000>127.0.0.1:9000 sent 5 on target; " +
		"data 127.0.0.1:50000>127.0.0.1:9000 received 2 on target; data 127.0.0.1:7000>127.0.0.1:40000 sent 2 on client; "
	for _, tc := range []struct {
		name   string
		closed netio.Event
		want   string
	}{
		{"the client closes first", pair(netio.EventClosed, relayClient, target, netio.DirToTarget, "", netio.ReasonPeerClosed),
			"close 127.0.0.1:7000>127.0.0.1:40000 by peer on client; close 127.0.0.1:50000>127.0.0.1:9000 by local on target"},
		{"the target closes first", pair(netio.EventClosed, relayClient, target, netio.DirToClient, "", netio.ReasonPeerClosed),
			"close 127.0.0.1:7000>127.0.0.1:40000 by local on client; close 127.0.0.1:50000>127.0.0.1:9000 by peer on target"},
		{"the target resets", pair(netio.EventClosed, relayClient, target, netio.DirToClient, "", netio.ReasonReset),
			"close 127.0.0.1:7000>127.0.0.1:40000 by local on client; reset 127.0.0.1:50000>127.0.0.1:9000 by peer on target"},
		{"closed here", pair(netio.EventClosed, relayClient, target, netio.DirNone, "", netio.ReasonLocal),
			"close 127.0.0.1:7000>127.0.0.1:40000 by local on client; close 127.0.0.1:50000>127.0.0.1:9000 by local on target"},
	} {
		if got := mapAll(t, append(append([]netio.Event(nil), open...), tc.closed)); got != opened+tc.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.name, got, opened+tc.want)
		}
	}
	// A target that never answered: only the client's connection was there.
	got := mapAll(t, []netio.Event{
		pair(netio.EventAccepted, relayClient, "localhost:9000", netio.DirNone, "", ""),
		pair(netio.EventError, relayClient, "localhost:9000", netio.DirNone, "", ""),
		pair(netio.EventClosed, relayClient, "localhost:9000", netio.DirNone, "", netio.ReasonLocal),
	})
	if want := "open 127.0.0.1:7000>127.0.0.1:40000 by peer on client; close 127.0.0.1:7000>127.0.0.1:40000 by local on client"; got != want {
		t.Errorf("target unreachable:\ngot  %s\nwant %s", got, want)
	}
}

// The Anatomy's TCP messages count each side's bytes from 1, as Wireshark's
// relative sequence numbers do, and split what one packet cannot hold.
func TestAnatomySequenceNumbersAndSplits(t *testing.T) {
	a := NewAnatomy()
	c, s := "127.0.0.1:40000", "127.0.0.1:80"
	at := time.Unix(1700000000, 0)
	feed := func(k netio.EventKind, data []byte) []Message {
		t.Helper()
		ms, err := a.Messages(netio.Event{Time: at, Kind: k, Proto: "tcp", Local: c, Peer: s, Data: data})
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	if ms := feed(netio.EventConnected, nil); len(ms) != 0 {
		t.Fatalf("connected drew %d messages", len(ms))
	}
	check := func(m Message, dir packet.Direction, seq, ack uint32, flags packet.TCPFlags, n int) {
		t.Helper()
		h := m.TCP
		if m.Direction != dir || h == nil || h.Seq != seq || h.Ack != ack || h.Flags != flags || len(m.Payload) != n || !m.Time.Equal(at) {
			t.Errorf("%v message: %+v %+v, want seq %d ack %d flags %v, %d bytes", m.Direction, m.Message, h, seq, ack, flags, n)
		}
	}
	check(feed(netio.EventSent, []byte("GET /"))[0], packet.Sent, 1, 1, packet.PSH|packet.ACK, 5)
	check(feed(netio.EventReceived, []byte("200 OK"))[0], packet.Received, 1, 6, packet.PSH|packet.ACK, 6)
	big := feed(netio.EventReceived, make([]byte, 70000))
	if len(big) != 2 {
		t.Fatalf("a 70000-byte read drew %d packets, want 2", len(big))
	}
	check(big[0], packet.Received, 7, 6, packet.ACK, 65495)
	check(big[1], packet.Received, 7+65495, 6, packet.PSH|packet.ACK, 70000-65495)
	if !strings.Contains(noteText(big[1]), "Packet 2 of 2: bytes 65495-69999 of the 70000-byte message") {
		t.Errorf("notes %q", big[1].Notes)
	}
	for _, m := range big {
		if _, err := packet.Build(m.Message); err != nil {
			t.Errorf("a split part does not build: %v", err)
		}
	}
	check(feed(netio.EventSent, []byte("x"))[0], packet.Sent, 6, 70007, packet.PSH|packet.ACK, 1)
	// After the close, a new connection between the same ends starts again at 1.
	feed(netio.EventClosed, nil)
	feed(netio.EventConnected, nil)
	check(feed(netio.EventSent, []byte("again"))[0], packet.Sent, 1, 1, packet.PSH|packet.ACK, 5)
	if got := a.next[pcapng.Conn{Local: netip.MustParseAddrPort(c), Peer: netip.MustParseAddrPort(s)}]; got == nil || got[0] != 6 {
		t.Errorf("state %v", got)
	}
}

// Every note's format is listed for translation, and its arguments fill it.
func TestNoteFormats(t *testing.T) {
	formats := map[string]bool{}
	for _, f := range NoteFormats {
		formats[f] = true
	}
	a := NewAnatomy()
	ms, err := a.Messages(netio.Event{Time: time.Unix(1700000000, 0), Kind: netio.EventReceived, Proto: "udp", Local: "0.0.0.0:5000", Peer: "127.0.0.1:40000", Data: []byte("x")})
	if err != nil || len(ms) != 1 {
		t.Fatalf("%v, %v", ms, err)
	}
	big, _ := a.Messages(netio.Event{Time: time.Unix(1700000000, 0), Kind: netio.EventSent, Proto: "tcp", Local: "127.0.0.1:1", Peer: "127.0.0.1:2", Data: make([]byte, 70000)})
	for _, m := range append(ms, big...) {
		for _, n := range m.Notes {
			if !formats[n.Format] || strings.Contains(n.String(), "%!") {
				t.Errorf("note %q (format listed: %v)", n.String(), formats[n.Format])
			}
		}
	}
	if got := noteText(ms[0]); got != "The socket is bound to any address; 127.0.0.1 is the local address the routing table picks for this peer." {
		t.Errorf("note %q", got)
	}
}
