package app

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockdesk/sockdesk/app/plot"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/extract"
)

// extractStage is a session's extraction stage, between the checks (liveSink)
// and the display queue. With plot rules set, netio.ExtractSink gives each
// received event its Values and the chart gets them as points right there, on
// the socket goroutine: the display queue may drop its copy of an event under a
// flood, and the chart must not miss a value for that. Without rules events pass
// straight on. The rules change while the endpoint runs, so the stage in use is
// swapped atomically.
type extractStage struct {
	next  netio.Sink // the display queue
	stage atomic.Pointer[stageSink]
}

type stageSink struct{ netio.Sink }

// Emit runs on socket goroutines.
func (x *extractStage) Emit(e netio.Event) {
	if s := x.stage.Load(); s != nil {
		s.Emit(e)
		return
	}
	x.next.Emit(e)
}

// use applies set from the next event on, handing the values found to feed; an
// empty set stops extracting.
func (x *extractStage) use(set *extract.Set, feed netio.Sink) {
	if len(set.Rules()) == 0 {
		x.stage.Store(nil)
		return
	}
	x.stage.Store(&stageSink{netio.ExtractSink(set, netio.Tee(feed, withoutValues{x.next}))})
}

// withoutValues passes events on without their Values: the chart has them, and
// the display, which holds up to a log's worth of events, does not show them.
type withoutValues struct{ next netio.Sink }

func (w withoutValues) Emit(e netio.Event) {
	e.Values = nil
	w.next.Emit(e)
}

// maxSeriesKeys bounds the series names a feed remembers; past it they are made
// again per value (the chart keeps plot.MaxSeries series anyway).
const maxSeriesKeys = 4096

// chartFeed adds the values of received events to a chart, one series per value
// name and source (plot.SeriesKey). It runs on socket goroutines; a TCP server's
// clients call it at once.
type chartFeed struct {
	chart  *plot.Chart
	points atomic.Uint64 // values added, for the real-window benchmark's probe

	mu   sync.Mutex
	keys map[seriesName]string
}

type seriesName struct{ name, source string }

func newChartFeed(c *plot.Chart) *chartFeed {
	return &chartFeed{chart: c, keys: map[seriesName]string{}}
}

func (f *chartFeed) Emit(e netio.Event) {
	if len(e.Values) == 0 {
		return
	}
	f.add(valueSource(&e), e.Time, e.Values)
}

func (f *chartFeed) add(source string, t time.Time, values []extract.Value) {
	for _, v := range values {
		f.chart.Add(f.key(v.Name, source), t, v.Value)
	}
	f.points.Add(uint64(len(values)))
}

// key is the series of a value name from a source, made once: a key per value
// would be an allocation per value at full rate.
func (f *chartFeed) key(name, source string) string {
	n := seriesName{name, source}
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.keys[n]
	if !ok {
		if len(f.keys) >= maxSeriesKeys {
			clear(f.keys)
		}
		k = plot.SeriesKey(name, source)
		f.keys[n] = k
	}
	return k
}

// valueSource is who sent a received message, as the legend labels its series:
// the peer, or for a relay which way it went ("client → target", "target →
// client"), so that each side of each pair is a series of its own.
func valueSource(e *netio.Event) string {
	switch e.Dir {
	case netio.DirToTarget:
		return e.Peer + " → " + e.Target
	case netio.DirToClient:
		return e.Target + " → " + e.Peer
	}
	return e.Peer
}
