package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

func TestFormatBytes(t *testing.T) {
	for _, tc := range []struct {
		n    float64
		want string
	}{
		{0, "0 B"},
		{1, "1 B"},
		{120, "120 B"},
		{1023, "1023 B"},
		{1023.7, "1.0 KiB"},
		{1024, "1.0 KiB"},
		{1229, "1.2 KiB"},
		{3482, "3.4 KiB"},
		{99.9 * 1024, "99.9 KiB"},
		{123 * 1024, "123 KiB"},
		{3.4 * 1024 * 1024, "3.4 MiB"},
		{5 << 30, "5.0 GiB"},
		{2 << 40, "2.0 TiB"},
	} {
		if got := formatBytes(tc.n); got != tc.want {
			t.Errorf("formatBytes(%v) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestFormatRate(t *testing.T) {
	for _, tc := range []struct {
		r    float64
		want string
	}{{0, "0"}, {0.01, "0"}, {0.5, "0.5"}, {5, "5"}, {5.04, "5"}, {9.5, "9.5"}, {12.5, "13"}, {1000, "1000"}} {
		if got := formatRate(tc.r); got != tc.want {
			t.Errorf("formatRate(%v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestCountersText(t *testing.T) {
	c := newCountersView()
	if want := "In 0 msgs · 0 B (0 B/s)   Out 0 msgs · 0 B (0 B/s)"; c.Text() != want {
		t.Errorf("initial text %q, want %q", c.Text(), want)
	}
	if c.Object() == nil {
		t.Fatal("no object")
	}
	t0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	c.Update(netio.Stats{MsgsIn: 7, BytesIn: 3482 - 1229, MsgsOut: 3, BytesOut: 120}, t0)
	c.Update(netio.Stats{MsgsIn: 12, BytesIn: 3482, MsgsOut: 3, BytesOut: 120}, t0.Add(time.Second))
	if want := "In 12 msgs · 3.4 KiB (1.2 KiB/s, 5 msg/s)   Out 3 msgs · 120 B (0 B/s)"; c.Text() != want {
		t.Errorf("text %q, want %q", c.Text(), want)
	}
	c.Update(netio.Stats{MsgsIn: 12, BytesIn: 3482, MsgsOut: 4, BytesOut: 121}, t0.Add(2*time.Second))
	if !strings.Contains(c.Text(), "Out 4 msgs · 121 B (1 B/s, 1 msg/s)") {
		t.Errorf("text %q", c.Text())
	}
	c.Update(netio.Stats{MsgsIn: 1, BytesIn: 1}, t0.Add(3*time.Second))
	if !strings.Contains(c.Text(), "In 1 msg · 1 B (") {
		t.Errorf("singular: %q", c.Text())
	}
}

// stream feeds Updates every step from start to end, with totals from total(t),
// and returns the texts shown.
func stream(c *countersView, start time.Time, from, to, step time.Duration, total func(time.Duration) netio.Stats) {
	for d := from; d <= to; d += step {
		c.Update(total(d), start.Add(d))
	}
}

// The rates average about a second, so bursty traffic at 30 updates a second
// reads steadily; when traffic stops they fall to 0 within about a second.
func TestCountersRates(t *testing.T) {
	c := newCountersView()
	t0 := time.Unix(1_700_000_000, 0)
	const step = 33 * time.Millisecond
	// 10 KiB/s in, 50 msg/s, arriving in bursts: every other tick brings
	// everything since the last burst.
	var s netio.Stats
	total := func(d time.Duration) netio.Stats {
		if (d/step)%2 == 0 {
			s.BytesIn = uint64(10 * 1024 * d.Seconds())
			s.MsgsIn = uint64(50 * d.Seconds())
		}
		return s
	}
	stream(c, t0, 0, 2*time.Second, step, total)
	var seen []string
	for d := 2*time.Second + step; d <= 4*time.Second; d += step {
		c.Update(total(d), t0.Add(d))
		r := c.rates()
		if r.bytesIn < 9.0*1024 || r.bytesIn > 11.0*1024 || r.msgsIn < 44 || r.msgsIn > 56 {
			t.Fatalf("at %v rates %+v, want about 10 KiB/s and 50 msg/s", d, r)
		}
		seen = append(seen, c.Text())
	}
	if !strings.Contains(seen[len(seen)-1], "KiB/s, ") || !strings.Contains(seen[len(seen)-1], " msg/s)") {
		t.Errorf("text %q", seen[len(seen)-1])
	}

	// Traffic stops; the pump still updates twice a second.
	stop := 4 * time.Second
	final := s
	stream(c, t0, stop+500*time.Millisecond, stop+1500*time.Millisecond, 500*time.Millisecond,
		func(time.Duration) netio.Stats { return final })
	if r := c.rates(); r != (rates{}) {
		t.Fatalf("rates %+v 1.5 s after traffic stopped", r)
	}
	want := fmt.Sprintf("In %d msgs · %s (0 B/s)", final.MsgsIn, formatBytes(float64(final.BytesIn)))
	if !strings.HasPrefix(c.Text(), want) {
		t.Errorf("text %q, want prefix %q", c.Text(), want)
	}
}

// Counters that go backwards (a new endpoint) restart the history rather than
// showing a wrapped-around rate; so does a clock step back.
func TestCountersReset(t *testing.T) {
	c := newCountersView()
	t0 := time.Unix(1_700_000_000, 0)
	c.Update(netio.Stats{BytesIn: 1 << 20, MsgsIn: 100}, t0)
	c.Update(netio.Stats{BytesIn: 2 << 20, MsgsIn: 200}, t0.Add(time.Second))
	c.Update(netio.Stats{BytesIn: 10, MsgsIn: 1}, t0.Add(2*time.Second))
	if r := c.rates(); r != (rates{}) {
		t.Fatalf("rates %+v right after a reset", r)
	}
	c.Update(netio.Stats{BytesIn: 20, MsgsIn: 2}, t0.Add(3*time.Second))
	if r := c.rates(); r.bytesIn != 10 || r.msgsIn != 1 {
		t.Fatalf("rates %+v after a reset", r)
	}
	c.Update(netio.Stats{BytesIn: 30, MsgsIn: 3}, t0.Add(time.Second))
	if r := c.rates(); r != (rates{}) {
		t.Fatalf("rates %+v after the clock went back", r)
	}
	// Two snapshots at the same instant: the newer wins, no division by zero.
	c.Update(netio.Stats{BytesIn: 40, MsgsIn: 4}, t0.Add(time.Second))
	if r := c.rates(); r != (rates{}) || !strings.Contains(c.Text(), "In 4 msgs · 40 B") {
		t.Fatalf("rates %+v text %q", r, c.Text())
	}
}

// The history stays bounded however often Update runs.
func TestCountersBoundedHistory(t *testing.T) {
	c := newCountersView()
	t0 := time.Unix(1_700_000_000, 0)
	for i := range 10000 {
		c.Update(netio.Stats{BytesOut: uint64(i), MsgsOut: uint64(i)}, t0.Add(time.Duration(i)*time.Microsecond))
	}
	if len(c.samples) > maxRateSamples {
		t.Fatalf("%d samples kept", len(c.samples))
	}
	if r := c.rates(); r.msgsOut < 999_000 || r.msgsOut > 1_001_000 {
		t.Fatalf("rates %+v, want 1e6 msg/s", r)
	}
}
