package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/sockdesk/sockdesk/netio"
)

// quietSink is the screen's sink under --quiet: messages received and sent are
// counted, not queued (no formatting, no copy waiting for the terminal), while the
// events a person needs to follow the run — listening, connections, closes, errors —
// are shown as usual. It is the command line's "display off" switch for full-rate
// runs; the log file and --count are ahead of it in the Tee and still see everything.
type quietSink struct {
	next            netio.Sink
	recv, recvBytes atomic.Uint64
	sent, sentBytes atomic.Uint64
}

func (q *quietSink) Emit(e netio.Event) {
	switch e.Kind {
	case netio.EventReceived:
		q.recv.Add(1)
		q.recvBytes.Add(uint64(len(e.Data)))
	case netio.EventSent:
		q.sent.Add(1)
		q.sentBytes.Add(uint64(len(e.Data)))
	default:
		if q.next != nil {
			q.next.Emit(e)
		}
	}
}

// BorrowsData: received events, the only ones lent, are counted and not passed on.
func (q *quietSink) BorrowsData() bool { return true }

// quietSummary is the JSON form of the summary line. Dropped is there for a UDP
// endpoint on a system that counts what it drops (Linux), and absent otherwise.
type quietSummary struct {
	Event         string  `json:"event"`
	Received      uint64  `json:"received"`
	ReceivedBytes uint64  `json:"received_bytes"`
	Sent          uint64  `json:"sent"`
	SentBytes     uint64  `json:"sent_bytes"`
	Dropped       *uint64 `json:"dropped,omitempty"`
}

// summary writes what was not shown: one line, or one JSON object with --json.
// stats, if not nil, are the endpoint's counters: a UDP endpoint's summary also
// says how many datagrams the system dropped before they were read, or that this
// system does not tell.
func (q *quietSink) summary(w io.Writer, asJSON bool, stats func() netio.Stats) error {
	s := quietSummary{Event: "summary", Received: q.recv.Load(), ReceivedBytes: q.recvBytes.Load(),
		Sent: q.sent.Load(), SentBytes: q.sentBytes.Load()}
	var st netio.Stats
	if stats != nil {
		if st = stats(); st.DropsCounted {
			s.Dropped = &st.Dropped
		}
	}
	if asJSON {
		b, _ := json.Marshal(s)
		_, err := fmt.Fprintf(w, "%s\n", b)
		return err
	}
	drops := ""
	switch {
	case s.Dropped != nil:
		drops = fmt.Sprintf("; dropped by the system (receive buffer full): %d datagrams", st.Dropped)
	case stats != nil:
		drops = "; dropped by the system: not counted on this system"
	}
	_, err := fmt.Fprintf(w, "SUMMARY received %d messages, %d B; sent %d messages, %d B%s\n",
		s.Received, s.ReceivedBytes, s.Sent, s.SentBytes, drops)
	return err
}
