package app

import (
	"testing"
	"time"
)

func TestZZRebuildCost(t *testing.T) {
	v, _, _ := newTestLogView(t, defaultLogCapacity)
	for i := range 100 {
		v.Append(numbered(i*1000, 1000))
	}
	for _, q := range []string{"m", "ms", "msg 9", "MSG 99", "zzz", ""} {
		start := time.Now()
		v.filterEntry.SetText(q)
		t.Logf("filter %q: %v, %d rows", q, time.Since(start), v.list.Length())
	}
	for _, m := range []string{"Hex", "Text + Hex", "Text"} {
		start := time.Now()
		v.modeSelect.SetSelected(m)
		t.Logf("mode %q: %v, %d rows", m, time.Since(start), v.list.Length())
	}
	start := time.Now()
	test := func() {}
	test()
	v.togglePause()
	v.Append(numbered(200000, 1000))
	t.Logf("paused append with snapshot: %v", time.Since(start))
	start = time.Now()
	v.togglePause()
	t.Logf("resume: %v", time.Since(start))
}
