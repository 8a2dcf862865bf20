package app

import (
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

// A UDP session's counters say how many datagrams the system dropped, or that
// the system does not tell; other sessions' counters say nothing of drops.
func TestCountersShowSystemDrops(t *testing.T) {
	c := newCountersView()
	c.countDrops = true
	if strings.Contains(c.Text(), "drop") {
		t.Errorf("before any endpoint: %q", c.Text())
	}
	t0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	c.Update(netio.Stats{MsgsIn: 5, BytesIn: 50, Dropped: 1234, DropsCounted: true}, t0)
	if want := "In 5 msgs · 50 B (0 B/s), 1234 dropped   Out 0 msgs"; !strings.HasPrefix(c.Text(), want) {
		t.Errorf("counted: %q, want %q…", c.Text(), want)
	}
	c.Update(netio.Stats{MsgsIn: 5, BytesIn: 50}, t0.Add(time.Second))
	if !strings.Contains(c.Text(), ", drops not counted on this system   Out") {
		t.Errorf("not counted: %q", c.Text())
	}
	useLanguage(t, "zh-Hans")
	c.relabel()
	if !strings.Contains(c.Text(), "本系统不统计丢包") {
		t.Errorf("in Chinese: %q", c.Text())
	}

	tcp := newCountersView()
	tcp.Update(netio.Stats{MsgsIn: 5, BytesIn: 50}, t0)
	if strings.Contains(tcp.Text(), "丢") {
		t.Errorf("a TCP session's counters: %q", tcp.Text())
	}
}

// An open UDP session shows the system's count (Linux counts drops).
func TestUDPPanelCountsDrops(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	peer := udpPeer(t, "")
	peer.WriteToUDP([]byte("x"), p.ep.LocalAddr().(*net.UDPAddr))
	want := ", drops not counted on this system"
	if runtime.GOOS == "linux" {
		want = ", 0 dropped"
	}
	uiWait(t, q, "the counters", func() bool { return strings.Contains(p.counters.Text(), "In 1 msg") })
	if !strings.Contains(p.counters.Text(), want) {
		t.Errorf("counters %q, want %q", p.counters.Text(), want)
	}
}
