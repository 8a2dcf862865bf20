package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/gen"
)

// genSummary is the JSON form of a generator run's summary: the one object
// `gen --json` prints. MB is 10^6 bytes.
type genSummary struct {
	Event    string  `json:"event"` // "summary"
	Proto    string  `json:"proto"`
	Peer     string  `json:"peer"`
	Messages uint64  `json:"messages"`
	Bytes    uint64  `json:"bytes"`
	Elapsed  float64 `json:"elapsed_s"`
	MsgRate  float64 `json:"msgs_per_s"`
	MBRate   float64 `json:"mb_per_s"`
	Rate     float64 `json:"rate"`      // the rate asked for; 0 = as fast as possible
	RateUnit string  `json:"rate_unit"` // "msg/s" or "B/s"
	End      string  `json:"end"`       // count, duration, canceled or error
	Errors   uint64  `json:"errors"`    // error events while sending (ICMP port unreachable, ...)
}

func writeGenSummary(w io.Writer, r *genRun, p gen.Progress, errs uint64) error {
	s := genSummary{
		Event: "summary", Proto: r.proto, Peer: r.target,
		Messages: p.Messages, Bytes: p.Bytes, Elapsed: p.Elapsed.Seconds(),
		MsgRate: p.MsgRate(), MBRate: p.ByteRate() / 1e6,
		Rate: r.rate, RateUnit: rateUnitName(r.unit), End: string(p.End), Errors: errs,
	}
	if r.opts.json {
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}
	line := fmt.Sprintf("sent %d messages, %d bytes in %.3fs: %.1f msg/s, %.3f MB/s (target: %s)",
		s.Messages, s.Bytes, s.Elapsed, s.MsgRate, s.MBRate, rateText(r.rate, r.unit))
	if p.End == gen.EndCanceled {
		line += "; interrupted"
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

// errorRecorder counts the error events of a run and keeps the first, for one
// line on stderr at the end instead of one per event.
type errorRecorder struct {
	mu    sync.Mutex
	n     uint64
	first string
}

func (r *errorRecorder) Emit(e netio.Event) {
	if e.Kind != netio.EventError || e.Err == nil {
		return
	}
	r.mu.Lock()
	if r.n == 0 {
		r.first = errText(e.Err)
	}
	r.n++
	r.mu.Unlock()
}

// BorrowsData: only an error's text is kept.
func (r *errorRecorder) BorrowsData() bool { return true }

func (r *errorRecorder) count() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

func (r *errorRecorder) firstError() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.first
}

// errorsLine says that errors were reported during a run that went on.
func errorsLine(n uint64, first string, logged bool) string {
	where := ""
	if logged {
		where = " (the log has them all)"
	}
	if n == 1 {
		return "1 error reported while sending" + where + ": " + first
	}
	return fmt.Sprintf("%d errors reported while sending%s; the first: %s", n, where, first)
}
