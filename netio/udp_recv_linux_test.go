//go:build linux

package netio

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/internal/recvinfo"
	"golang.org/x/sys/unix"
)

// pausingSink holds the read loop inside Emit of the received event whose text
// is "pause", until release, while a burst overflows the socket's buffer.
type pausingSink struct {
	*collector
	mu      sync.Mutex
	paused  chan struct{} // closed once the read loop is held
	release chan struct{}
}

func (p *pausingSink) Emit(e Event) {
	p.collector.Emit(e)
	if e.Kind == EventReceived && e.Text == "pause" {
		p.mu.Lock()
		paused, release := p.paused, p.release
		p.mu.Unlock()
		close(paused)
		<-release
	}
}

// dropBurst holds the listener's reader, sends a burst far larger than its
// tiny receive buffer holds, lets the reader go, and sends one more datagram:
// the system says how many it dropped with the first datagram queued after
// the drops. It returns how many datagrams it sent.
func dropBurst(t *testing.T, u *UDPEndpoint, got *collector, sender net.Conn, round int) int {
	t.Helper()
	sink := u.cfg.Sink.(*pausingSink)
	paused, release := make(chan struct{}), make(chan struct{})
	sink.mu.Lock()
	sink.paused, sink.release = paused, release
	sink.mu.Unlock()
	fmt.Fprint(sender, "pause")
	select {
	case <-paused:
	case <-time.After(eventtest.WaitTimeout):
		t.Fatal("the listener did not read the pause datagram")
	}
	const burst = 300
	for i := range burst {
		fmt.Fprintf(sender, "burst %d %d", round, i)
	}
	close(release)
	received := func() int { return len(filterEvents(got.Events(), kind(EventReceived))) }
	// Read what the buffer held, then send the datagram that tells.
	before := -1
	for n := received(); n != before; n = received() {
		before = n
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Fprintf(sender, "after %d", round)
	got.WaitFor(t, "the datagram after the burst", func(e Event) bool { return e.Kind == EventReceived && e.Text == fmt.Sprintf("after %d", round) }, 1)
	return 1 + burst + 1
}

func filterEvents(evs []Event, match func(Event) bool) []Event {
	var out []Event
	for _, e := range evs {
		if match(e) {
			out = append(out, e)
		}
	}
	return out
}

// Datagrams the kernel drops because the socket's buffer is full are counted
// (Stats.Dropped) and reported in dropped events: what was received and what
// was dropped add up to what was sent. A second burst within a second is
// reported once the second is up, by itself.
func TestUDPKernelDropsCounted(t *testing.T) {
	got := &collector{}
	sink := &pausingSink{collector: got}
	// The kernel's least receive buffer holds a few datagrams.
	u := NewUDP(UDPConfig{Bind: "127.0.0.1:0", Sink: sink, ReadBuffer: 1})
	if err := u.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	if !u.Stats().DropsCounted {
		t.Fatal("Linux counts drops, but DropsCounted is false")
	}
	sender, err := net.Dial("udp", u.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()

	sent := dropBurst(t, u, got, sender, 1)
	drops := got.WaitFor(t, "a dropped event", kind(EventDropped), 1)
	recv := filterEvents(got.Events(), kind(EventReceived))
	if d := drops[0].Dropped; d == 0 || uint64(len(recv))+d != uint64(sent) {
		t.Fatalf("received %d + dropped %d, sent %d", len(recv), d, sent)
	}
	if st := u.Stats(); st.Dropped != drops[0].Dropped || st.MsgsIn != uint64(len(recv)) {
		t.Errorf("stats %+v, events say %d received, %d dropped", st, len(recv), drops[0].Dropped)
	}
	if e := drops[0]; e.Local != u.LocalAddr().String() || e.Proto != "udp" {
		t.Errorf("dropped event %s", show(e))
	}
	// The dropped event comes before the datagram that revealed the drops.
	evs := got.Events()
	if last := evs[len(evs)-1]; last.Kind != EventReceived || evs[len(evs)-2].Kind != EventDropped {
		t.Errorf("last events %s, %s", show(evs[len(evs)-2]), show(last))
	}

	sent += dropBurst(t, u, got, sender, 2)
	drops = got.WaitFor(t, "a second dropped event", kind(EventDropped), 2)
	recv = filterEvents(got.Events(), kind(EventReceived))
	if total := drops[0].Dropped + drops[1].Dropped; uint64(len(recv))+total != uint64(sent) || drops[1].Dropped == 0 {
		t.Errorf("received %d + dropped %d+%d, sent %d", len(recv), drops[0].Dropped, drops[1].Dropped, sent)
	}
	if d := drops[1].Time.Sub(drops[0].Time); d < dropReportEvery-10*time.Millisecond {
		t.Errorf("second report %v after the first, want at least %v", d, dropReportEvery)
	}
	u.Close()
	if n := len(filterEvents(got.Events(), kind(EventDropped))); n != 2 {
		t.Errorf("%d dropped events after Close, want 2", n)
	}
}

// A received datagram carries the TTL or hop limit it arrived with and the
// address it was sent to, which a socket bound to the wildcard address cannot
// tell otherwise: here 127.0.0.2, which Linux's loopback answers to.
func TestUDPReceivedTTLAndDestination(t *testing.T) {
	for _, tc := range []struct {
		bind, to string
		ttl      int
	}{
		{"0.0.0.0:0", "127.0.0.2", 42},
		{"127.0.0.1:0", "127.0.0.1", 7},
		{"[::1]:0", "::1", 33},
	} {
		t.Run(tc.to, func(t *testing.T) {
			dst := netip.MustParseAddr(tc.to)
			if dst.Is6() && !hasIPv6Loopback() {
				t.Skip("no IPv6 loopback")
			}
			u, got := startUDP(t, UDPConfig{Bind: tc.bind})
			port := u.LocalAddr().(*net.UDPAddr).Port
			sender, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(dst, uint16(port))))
			if err != nil {
				t.Fatal(err)
			}
			defer sender.Close()
			rc, _ := sender.SyscallConn()
			var serr error
			rc.Control(func(fd uintptr) {
				if dst.Is4() {
					serr = unix.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_TTL, tc.ttl)
				} else {
					serr = unix.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_UNICAST_HOPS, tc.ttl)
				}
			})
			if serr != nil {
				t.Fatal(serr)
			}
			sender.Write([]byte("ttl?"))
			e := got.WaitFor(t, "the datagram", kind(EventReceived), 1)[0]
			if e.TTL != tc.ttl || e.Dst != dst {
				t.Errorf("TTL %d, destination %v; want %d, %v", e.TTL, e.Dst, tc.ttl, dst)
			}
		})
	}
}

// The read loop's one-pass parser finds what internal/recvinfo's parsers find,
// in what the kernel really sends: IPv4, IPv6, and IPv4 on a dual-stack socket.
func TestParseMetaAgreesWithRecvinfo(t *testing.T) {
	for _, tc := range []struct{ network, bind, to string }{
		{"udp4", "127.0.0.1:0", "127.0.0.1"},
		{"udp6", "[::1]:0", "::1"},
		{"udp", "[::]:0", "127.0.0.1"},
	} {
		t.Run(tc.network+" "+tc.to, func(t *testing.T) {
			if tc.network != "udp4" && !hasIPv6Loopback() {
				t.Skip("no IPv6 loopback")
			}
			conn, err := net.ListenUDP(tc.network, net.UDPAddrFromAddrPort(netip.MustParseAddrPort(tc.bind)))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if err := recvinfo.Enable(conn); err != nil {
				t.Fatal(err)
			}
			rc, _ := conn.SyscallConn()
			if err := enableDropCount(rc); err != nil {
				t.Fatal(err)
			}
			port := conn.LocalAddr().(*net.UDPAddr).Port
			sender, err := net.Dial("udp", net.JoinHostPort(tc.to, fmt.Sprint(port)))
			if err != nil {
				t.Fatal(err)
			}
			defer sender.Close()
			sender.Write([]byte("x"))
			buf, oob := make([]byte, 64), make([]byte, recvinfo.OOBSize)
			conn.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
			_, oobn, _, _, err := conn.ReadMsgUDPAddrPort(buf, oob)
			if err != nil {
				t.Fatal(err)
			}
			meta, _, _ := parseMeta(oob[:oobn])
			ttl, ttlOK := recvinfo.ParseTTL(oob[:oobn])
			dst, dstOK := recvinfo.ParseDst(oob[:oobn])
			if !ttlOK || !dstOK || meta.ttl != ttl || meta.dst != dst {
				t.Errorf("parseMeta: TTL %d, destination %v; recvinfo: %d (%v), %v (%v)", meta.ttl, meta.dst, ttl, ttlOK, dst, dstOK)
			}
		})
	}
}
