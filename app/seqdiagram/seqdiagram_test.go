package seqdiagram

import (
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/internal/netiotest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// segments writes a diagram's rows as "C SYN", "S SYN, ACK", "C 5 B: hello",
// "C TIME_WAIT" (a state), "span" — who sends what, in order.
func segments(d Diagram) string {
	var out []string
	for _, r := range d.Rows {
		who := "C"
		if r.From == Server {
			who = "S"
		}
		switch r.Kind {
		case Span:
			out = append(out, "span")
		case State:
			out = append(out, who+" ["+r.Label+"]")
		default:
			out = append(out, who+" "+r.Label)
		}
	}
	return strings.Join(out, "; ")
}

// timed lists the rows that carry a time, as "label@moment".
func timed(d Diagram) string {
	var out []string
	for _, r := range d.Rows {
		if r.At != "" {
			out = append(out, r.Label+"@"+r.Moment)
		}
	}
	return strings.Join(out, "; ")
}

// serveOnce accepts one connection on loopback, reads a request line, writes
// reply, then closes the connection itself if closeFirst, else waits for the
// client to close.
func serveOnce(t *testing.T, reply string, closeFirst bool) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 512)
		c.Read(buf)
		io.WriteString(c, reply)
		if !closeFirst {
			io.Copy(io.Discard, c) // until the client closes
		}
	}()
	return ln.Addr().String()
}

// A TCP client's real connection on loopback, closed by the client and by
// the server: the handshake, the request and the response, and the close in
// the order it happened with TIME_WAIT on the side that closed first; times
// only where the socket API measured them; TCP_INFO on Linux.
func TestTrackerDrawsTheConnection(t *testing.T) {
	for _, tc := range []struct {
		name        string
		serverFirst bool
		want        string
		times       string
	}{
		{"the client closes", false,
			"C SYN; S SYN, ACK; C ACK; C 5 B: hello; S 3 B: hi!; C FIN, ACK; S ACK; S FIN, ACK; C ACK; C [TIME_WAIT]",
			"SYN@connect() called; ACK@connect() returned; 5 B: hello@write; 3 B: hi!@first byte; FIN, ACK@close()"},
		{"the server closes", true,
			"C SYN; S SYN, ACK; C ACK; C 5 B: hello; S 3 B: hi!; S FIN, ACK; C ACK; C FIN, ACK; S ACK; S [TIME_WAIT]",
			"SYN@connect() called; ACK@connect() returned; 5 B: hello@write; 3 B: hi!@first byte; FIN, ACK@read saw the end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, col := netiotest.StartClient(t, serveOnce(t, "hi!", tc.serverFirst), charset.UTF8)
			var tr Tracker
			if _, ok := tr.Diagram(); ok {
				t.Fatal("a diagram before any event")
			}
			if err := c.Send([]byte("hello")); err != nil {
				t.Fatal(err)
			}
			col.WaitFor(t, "the reply", netiotest.Kind(netio.EventReceived), 1)
			if !tc.serverFirst {
				c.Close()
			}
			col.WaitFor(t, "the close", netiotest.Kind(netio.EventClosed), 1)
			events := col.Events()
			for _, e := range events { // one batch at a time, as the pump hands them
				tr.Watch([]netio.Event{e})
			}
			d, ok := tr.Diagram()
			if !ok {
				t.Fatal("no diagram")
			}
			if got := segments(d); got != tc.want {
				t.Errorf("segments\n %s\nwant\n %s", got, tc.want)
			}
			if got := timed(d); got != tc.times {
				t.Errorf("timed rows\n %s\nwant\n %s", got, tc.times)
			}
			facts := map[string]string{}
			for _, f := range d.Facts {
				facts[f.Label] = f.Value
			}
			if !strings.Contains(facts["Connect time"], "measured around connect()") || !strings.Contains(facts["First byte"], "after the first write") {
				t.Errorf("facts %q", facts)
			}
			who := map[bool]string{false: "this side (the client) closed first", true: "the server closed first"}[tc.serverFirst]
			if !strings.HasSuffix(facts["Closed"], who) {
				t.Errorf("closed: %q, want %q", facts["Closed"], who)
			}
			if runtime.GOOS == "linux" {
				if !strings.HasPrefix(facts["TCP_INFO after the handshake"], "RTT ") || !strings.Contains(facts["TCP_INFO before closing"], "congestion window") {
					t.Errorf("TCP_INFO facts %q", facts)
				}
			} else if !strings.HasPrefix(facts["TCP_INFO"], "not available on this system") {
				t.Errorf("TCP_INFO outside Linux: %q", facts["TCP_INFO"])
			}
		})
	}
}

// Past maxDataRows messages are counted in one row; an open connection says
// so; a reset is one RST from the server and no TIME_WAIT; a new connection
// starts a new diagram.
func TestTrackerBoundsAndEnds(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	ev := func(k netio.EventKind, ms int, data string) netio.Event {
		return netio.Event{Kind: k, Proto: "tcp", Time: at(ms), Local: "127.0.0.1:40000", Peer: "127.0.0.1:9000", Data: []byte(data), Text: data}
	}
	var tr Tracker
	tr.Watch([]netio.Event{ev(netio.EventConnected, 0, "")})
	for i := range maxDataRows + 3 {
		tr.Watch([]netio.Event{ev(netio.EventSent, 1+i, "0123456789")})
	}
	d, _ := tr.Diagram()
	last := d.Rows[len(d.Rows)-1]
	if len(d.Rows) != 3+maxDataRows+2 || last.Kind != Span || !strings.HasPrefix(last.Label, "open") {
		t.Errorf("open connection: %s", segments(d))
	}
	if more := d.Rows[3+maxDataRows]; more.Label != "… 3 more messages: 30 B sent, 0 B received" {
		t.Errorf("the count row says %q", more.Label)
	}
	if d.Rows[0].At != "" {
		t.Errorf("without a measured connect time the SYN has time %q", d.Rows[0].At)
	}
	tr.Watch([]netio.Event{{Kind: netio.EventClosed, Proto: "tcp", Time: at(50), Local: "127.0.0.1:40000", Peer: "127.0.0.1:9000", Reason: netio.ReasonReset}})
	d, _ = tr.Diagram()
	if got := segments(d); !strings.HasSuffix(got, "span; S RST") {
		t.Errorf("reset: %s", got)
	}
	tr.Watch([]netio.Event{{Kind: netio.EventConnected, Proto: "tcp", Time: at(60), Local: "127.0.0.1:40001", Peer: "127.0.0.1:9000"}})
	if d, _ = tr.Diagram(); len(d.Rows) != 4 || d.Title != "127.0.0.1:40001 → 127.0.0.1:9000" {
		t.Errorf("new connection: %s %s", d.Title, segments(d))
	}
}

// A web trace's connection, closed by the client and by the server.
func TestFromTrace(t *testing.T) {
	for _, tc := range []struct {
		name        string
		serverFirst bool
		reply       string
		want        string
	}{
		{"the client closes", false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
			"C SYN; S SYN, ACK; C ACK; C GET / HTTP/1.1; S HTTP/1.1 200 OK; C FIN, ACK; S ACK; S FIN, ACK; C ACK; C [TIME_WAIT]"},
		{"the server closes", true, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
			"C SYN; S SYN, ACK; C ACK; C GET / HTTP/1.1; S HTTP/1.1 200 OK; S FIN, ACK; C ACK; C FIN, ACK; S ACK; S [TIME_WAIT]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := serveOnce(t, tc.reply, tc.serverFirst)
			res, err := webtrace.Run(t.Context(), webtrace.Options{URL: "http://" + addr + "/"})
			if err != nil {
				t.Fatal(err)
			}
			ds := FromTrace(res.Steps)
			if len(ds) != 1 {
				t.Fatalf("%d diagrams", len(ds))
			}
			if got := segments(ds[0]); got != tc.want {
				t.Errorf("segments\n %s\nwant\n %s", got, tc.want)
			}
			want := "SYN@connect() called; ACK@connect() returned; GET / HTTP/1.1@request sent; HTTP/1.1 200 OK@first byte; FIN, ACK@close()"
			if got := timed(ds[0]); got != want {
				t.Errorf("timed rows\n %s\nwant\n %s", got, want)
			}
			var labels []string
			for _, f := range ds[0].Facts {
				labels = append(labels, f.Label)
			}
			wantFacts := "Connect time, First byte, Closed, TCP_INFO after the handshake, TCP_INFO before closing"
			if runtime.GOOS != "linux" {
				wantFacts = "Connect time, First byte, Closed, TCP_INFO"
			}
			if got := strings.Join(labels, ", "); got != wantFacts {
				t.Errorf("facts %s, want %s", got, wantFacts)
			}
		})
	}
	// A trace that never connected has no diagram.
	ln, _ := net.Listen("tcp4", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	res, err := webtrace.Run(t.Context(), webtrace.Options{URL: "http://" + addr + "/"})
	if err != nil {
		t.Fatal(err)
	}
	if ds := FromTrace(res.Steps); len(ds) != 0 {
		t.Errorf("a refused connection drawn: %+v", ds)
	}
}

// The view draws the diagram: lifelines apart enough for the widest label,
// one row per segment, in Chinese too.
func TestViewDrawsTheDiagram(t *testing.T) {
	test.NewTempApp(t)
	useLanguage(t, "zh-Hans")
	var tr Tracker
	t0 := time.Unix(1700000000, 0)
	tr.Watch([]netio.Event{
		{Kind: netio.EventConnected, Proto: "tcp", Time: t0, Local: "127.0.0.1:40000", Peer: "127.0.0.1:9000", TCPInfo: &netio.TCPInfo{Connect: 120 * time.Microsecond}},
		{Kind: netio.EventSent, Proto: "tcp", Time: t0.Add(time.Millisecond), Local: "127.0.0.1:40000", Peer: "127.0.0.1:9000", Data: []byte("AT+STATUS?"), Text: "AT+STATUS?"},
		{Kind: netio.EventClosed, Proto: "tcp", Time: t0.Add(3 * time.Millisecond), Local: "127.0.0.1:40000", Peer: "127.0.0.1:9000", Reason: netio.ReasonLocal},
	})
	d, _ := tr.Diagram()
	if d.Client != "客户端" || d.ClientAddr != "127.0.0.1:40000" || d.Rows[0].Moment != "调用 connect()" {
		t.Errorf("in Chinese: %q, %q", d.Client, d.Rows[0].Moment)
	}
	v := New()
	v.Set(d)
	w := test.NewTempWindow(t, v.Object())
	w.Resize(fyne.NewSize(500, 700))
	c := v.chart.Objects[0].(*chart)
	r := test.TempWidgetRenderer(t, c).(*chartRenderer)
	left, right := r.lifelineX(c.Size().Width)
	if right-left < r.m.labelW {
		t.Errorf("lifelines %v apart, the widest label is %v", right-left, r.m.labelW)
	}
	if got, want := len(r.rows), len(d.Rows); got != want {
		t.Errorf("%d rows drawn, %d in the diagram", got, want)
	}
	if ms := c.MinSize(); ms.Height < float32(len(d.Rows))*r.m.rowH {
		t.Errorf("min size %v for %d rows", ms, len(d.Rows))
	}
	if len(v.facts.Objects) != 2*len(d.Facts) {
		t.Errorf("%d fact cells for %d facts", len(v.facts.Objects), len(d.Facts))
	}
}
