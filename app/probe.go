//go:build probe

package app

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/metrics"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// uiProbe is set, in a build with the probe tag (go build -tags probe), when the
// environment variable SOCKDESK_PROBE names a file: the app then appends to it,
// one JSON object a line, what the real-window benchmark (bench/uiwindow)
// measures and cannot see from outside: how long each batch of events took to
// apply on Fyne's goroutine, and when a session's Open/Close button was handled.
// Builds without the tag (every release) have no probe (probe_off.go).
var uiProbe = openProbe(os.Getenv("SOCKDESK_PROBE"))

// probe writes probe records; it is safe for use from any goroutine.
type probe struct {
	mu sync.Mutex
	f  *os.File
}

// probeRecord is one line of the probe file. Times are Unix nanoseconds, so that the
// benchmark can set them against its own clock (the same machine's).
type probeRecord struct {
	What   string `json:"what"` // "started", "widget", "batch", "toggle", "opened", "closed", "plotted", "plot-tick"
	At     int64  `json:"at_ns"`
	Events int    `json:"events,omitempty"`  // batch: events applied
	Held   int    `json:"held,omitempty"`    // batch: events the log view holds after it
	GoMem  uint64 `json:"go_mem,omitempty"`  // batch: memory the Go runtime holds (mapped, not released)
	GoLive uint64 `json:"go_live,omitempty"` // batch: heap objects in use, bytes
	Took   int64  `json:"took_ns,omitempty"`
	Detail string `json:"detail,omitempty"`
}

func openProbe(path string) *probe {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil // a benchmark aid: without its file the app runs as ever
	}
	return &probe{f: f}
}

func (p *probe) write(r probeRecord) {
	if p == nil {
		return
	}
	b, _ := json.Marshal(r)
	p.mu.Lock()
	defer p.mu.Unlock()
	// One write per record, unbuffered: the benchmark reads the file while the app
	// runs, and kills it at the end.
	p.f.Write(append(b, '\n'))
}

// batch records that events were applied, from start to now, and that the log
// view then held held events.
func (p *probe) batch(events int, start time.Time, held func() int) {
	if p == nil {
		return
	}
	now := time.Now()
	r := probeRecord{What: "batch", At: now.UnixNano(), Events: events, Took: int64(now.Sub(start)), Held: held()}
	m := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(m)
	// What the runtime has mapped less what it gave back: Go's share of the RSS.
	r.GoMem, r.GoLive = m[0].Value.Uint64()-m[1].Value.Uint64(), m[2].Value.Uint64()
	p.write(r)
}

// took records that what ran on the UI goroutine from start to now (the Plot
// tool's timer ticks, "plot-tick").
func (p *probe) took(what string, start time.Time) {
	if p == nil {
		return
	}
	now := time.Now()
	p.write(probeRecord{What: what, At: now.UnixNano(), Took: int64(now.Sub(start))})
}

// locate records, once the window is laid out, where the centre of o is in the
// window in pixels ("widget", detail "NAME X Y"): the benchmark clicks there.
func (p *probe) locate(name string, o fyne.CanvasObject) {
	if p == nil {
		return
	}
	time.AfterFunc(time.Second, func() {
		fyne.Do(func() {
			c := fyne.CurrentApp().Driver().CanvasForObject(o)
			if c == nil {
				return
			}
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
			x, y := (pos.X+o.Size().Width/2)*c.Scale(), (pos.Y+o.Size().Height/2)*c.Scale()
			p.mark("widget", fmt.Sprintf("%s %.0f %.0f", name, x, y))
		})
	})
}

// mark records that what happened now.
func (p *probe) mark(what, detail string) {
	p.write(probeRecord{What: what, At: time.Now().UnixNano(), Detail: detail})
}
