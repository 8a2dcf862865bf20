package layers

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/sockdesk/sockdesk/internal/netiotest"
	"github.com/sockdesk/sockdesk/internal/pcapngtest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/packet"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// drawn is what an Anatomy fed live from a relay drew: per event, its
// messages' frames decoded back.
type drawn struct {
	mu     sync.Mutex
	a      *Anatomy
	frames []pcapngtest.Packet
	notes  []string
	err    error
}

func (d *drawn) Emit(e netio.Event) {
	ms, err := d.a.Messages(e)
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil && d.err == nil {
		d.err = err
	}
	for _, m := range ms {
		f, err := packet.Build(m.Message)
		if err == nil {
			var p pcapngtest.Packet
			p, err = pcapngtest.Decode(f.Bytes)
			d.frames = append(d.frames, p)
			d.notes = append(d.notes, noteText(m))
		}
		if err != nil && d.err == nil {
			d.err = err
		}
	}
}

// A relay's pcap holds its two connections as two streams, each opened by
// the side that connected and closed in the order it happened; its anatomy
// draws each relayed message twice, as it came in and as it went on.
func TestRelayAsTwoStreams(t *testing.T) {
	target, _ := netiotest.StartServer(t, netio.TCPServerConfig{Echo: true})
	var buf bytes.Buffer
	w, err := pcapng.NewWriter(&buf, pcapng.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sink := NewPcapSink(w)
	d := &drawn{a: NewAnatomy()}
	relayCol := &netiotest.Collector{}
	r := netio.NewTCPRelay(netio.TCPRelayConfig{Listen: "127.0.0.1:0", Target: target.Addr().String(), Sink: netio.Tee(sink, d, relayCol)})
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	cl, clCol := netiotest.StartClient(t, r.Addr().String(), nil)
	if err := cl.Send([]byte("hello through the relay")); err != nil {
		t.Fatal(err)
	}
	clCol.WaitFor(t, "the echo", netiotest.Kind(netio.EventReceived), 1)
	cl.Close() // the client closes first
	relayCol.WaitFor(t, "the pair's close", func(e netio.Event) bool { return e.Kind == netio.EventClosed && e.Client == 1 }, 1)
	r.Close()
	if err := sink.Close(); err != nil || sink.Err() != nil || d.err != nil {
		t.Fatalf("close %v, sink %v, anatomy %v", err, sink.Err(), d.err)
	}

	f, err := pcapngtest.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	streams, err := f.TCPStreams()
	if err != nil {
		t.Fatal(err)
	}
	client := netip.MustParseAddrPort(cl.LocalAddr().String())
	relay := netip.MustParseAddrPort(r.Addr().String())
	if len(streams) != 2 || streams[0].Ends != [2]netip.AddrPort{client, relay} || streams[1].Ends[1] != netip.MustParseAddrPort(target.Addr().String()) {
		t.Fatalf("streams %+v", streams)
	}
	for i, s := range streams {
		if string(s.Sent[0]) != "hello through the relay" || string(s.Sent[1]) != "hello through the relay" {
			t.Errorf("stream %d carries %q and %q", i, s.Sent[0], s.Sent[1])
		}
		// The client's FIN came first; the relay passed it on, so on the
		// target's connection the relay (which connected) closed first.
		if flags := strings.Join(s.Flags, " "); !strings.HasPrefix(flags, "0:S 1:SA 0:A ") || !strings.HasSuffix(flags, " 0:FA 1:A 1:FA 0:A") {
			t.Errorf("stream %d segments %s", i, flags)
		}
	}

	// Two relayed messages (there and back), each drawn twice.
	want := []string{
		"received from the client", "passed on to the target",
		"received from the target", "passed on to the client",
	}
	if len(d.frames) != len(want) {
		t.Fatalf("%d frames drawn: %q", len(d.frames), d.notes)
	}
	for i, p := range d.frames {
		if !strings.Contains(d.notes[i], want[i]) || string(p.Payload) != "hello through the relay" || !p.ChecksumsOK {
			t.Errorf("frame %d: %v>%v %q, notes %q; want %q", i, p.Src, p.Dst, p.Payload, d.notes[i], want[i])
		}
	}
	if d.frames[0].Src != client || d.frames[0].Dst != relay || d.frames[3].Src != relay || d.frames[3].Dst != client {
		t.Errorf("the client's connection is drawn %v>%v and %v>%v", d.frames[0].Src, d.frames[0].Dst, d.frames[3].Src, d.frames[3].Dst)
	}
	// Relative sequence numbers: the echo acknowledges the request.
	if d.frames[2].Seq != 1 || d.frames[2].Ack != uint32(1+len("hello through the relay")) {
		t.Errorf("the echo from the target: seq %d ack %d", d.frames[2].Seq, d.frames[2].Ack)
	}
}
