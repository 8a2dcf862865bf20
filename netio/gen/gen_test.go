package gen

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/internal/netiotest"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/eventlog"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// Generator tests count what was sent and received, exactly. Pacing is checked
// only from below (a paced run cannot finish before its last message is due),
// never against a clock from above: a loaded machine may always be slower.

func TestGenOptionsChecked(t *testing.T) {
	for _, tc := range []struct {
		opts  Options
		field string
	}{
		{Options{}, "count"},
		{Options{Count: MaxCount + 1}, "count"},
		{Options{Duration: -time.Second}, "duration"},
		{Options{Duration: 2 * time.Hour}, "duration"},
		{Options{Count: 1, Size: -1}, "size"},
		{Options{Count: 1, Size: MaxSize + 1}, "size"},
		{Options{Count: 1, Rate: -1}, "rate"},
		{Options{Count: 1, Rate: math.NaN()}, "rate"},
		{Options{Count: 1, Rate: math.Inf(1)}, "rate"},
		{Options{Count: 1, Rate: 10, Unit: PerByte}, "rate"}, // empty messages
		{Options{Count: 1, Message: payload.NewTemplate(make([]byte, MaxSize+1))}, "message"},
	} {
		_, err := New(tc.opts)
		var ge *Error
		if !errors.As(err, &ge) || ge.Field != tc.field {
			t.Errorf("%+v: got %v, want a Error on %s", tc.opts, err, tc.field)
		}
	}
}

// genUDP runs a generator from a fresh endpoint to a listener and returns what
// both saw.
func genUDP(t *testing.T, opts Options) (Progress, *netio.UDPEndpoint, *collector, *collector) {
	t.Helper()
	listener, got := netiotest.StartUDP(t, netio.UDPConfig{Bind: "127.0.0.1:0"})
	res, sender, own := genUDPTo(t, "127.0.0.1:0", listener.LocalAddr().(*net.UDPAddr), opts)
	return res, sender, got, own
}

// genUDPTo runs a generator from a fresh endpoint bound to bind, to dst; it
// returns the result, the endpoint and what the endpoint's sink got.
func genUDPTo(t *testing.T, bind string, dst *net.UDPAddr, opts Options) (Progress, *netio.UDPEndpoint, *collector) {
	t.Helper()
	sender, own := netiotest.StartUDP(t, netio.UDPConfig{Bind: bind})
	g, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := g.RunUDP(context.Background(), sender, dst)
	if err != nil {
		t.Fatal(err)
	}
	if p := g.Progress(); p != res {
		t.Errorf("Progress after the run %+v differs from the result %+v", p, res)
	}
	return res, sender, own
}

func TestGenUDPCountExact(t *testing.T) {
	const n = 300
	tmpl, _ := payload.ParseTemplate("m{counter}", payload.ModeText, nil)
	log := &collector{}
	res, sender, got, own := genUDP(t, Options{Message: tmpl, Count: n, Sent: log})
	wantBytes := 0
	for i := 1; i <= n; i++ {
		wantBytes += len(fmt.Sprintf("m%d", i))
	}
	if res.Messages != n || res.Bytes != uint64(wantBytes) || res.End != EndCount || res.Fraction != 1 {
		t.Errorf("result %+v, want %d messages, %d bytes, end count", res, n, wantBytes)
	}
	if st := sender.Stats(); st.MsgsOut != n || st.BytesOut != uint64(wantBytes) {
		t.Errorf("endpoint stats %+v", st)
	}
	recv := got.WaitFor(t, "received", kind(netio.EventReceived), n)
	for i, e := range recv {
		if want := fmt.Sprintf("m%d", i+1); e.Text != want {
			t.Fatalf("datagram %d is %q, want %q", i, e.Text, want)
		}
	}
	// The endpoint's own sink gets no sent event per message; the Sent sink does.
	for _, e := range own.Events() {
		if e.Kind == netio.EventSent {
			t.Fatalf("the endpoint's sink got a sent event: %s", eventlog.FormatLine(e, false))
		}
	}
	sent := log.Events()
	if len(sent) != n || sent[0].Kind != netio.EventSent || sent[0].Text != "m1" || sent[n-1].Text != fmt.Sprintf("m%d", n) ||
		sent[0].Proto != "udp" || sent[0].Peer == "" || sent[0].Time.IsZero() {
		t.Errorf("Sent sink got %d events, first %+v", len(sent), sent[0])
	}
}

func TestGenUDPPacedNotEarly(t *testing.T) {
	const n, rate = 120, 2000.0
	res, _, got, _ := genUDP(t, Options{Message: payload.NewTemplate([]byte("x")), Count: n, Rate: rate, Size: 32})
	if res.Messages != n || res.Bytes != n*32 {
		t.Errorf("result %+v", res)
	}
	if min := time.Duration(float64(n-1) / rate * float64(time.Second)); res.Elapsed < min || res.Last < min {
		t.Errorf("%d messages at %v/s took %v (the last at %v): it was due at %v", n, rate, res.Elapsed, res.Last, min)
	}
	// Measured from the first message to the last, the rate cannot exceed the pace.
	if got := res.MsgRate(); got > rate*(1+1e-9) {
		t.Errorf("achieved %v msg/s at a pace of %v", got, rate)
	}
	recv := got.WaitFor(t, "received", kind(netio.EventReceived), n)
	if want := "x" + strings.Repeat(string(rune(Pad)), 31); recv[0].Text != want {
		t.Errorf("padded message %q, want %q", recv[0].Text, want)
	}
}

// A rate in bytes paces by the bytes that went before.
func TestGenPerBytePaced(t *testing.T) {
	const n, size, rate = 11, 100, 20000.0
	res, _, _, _ := genUDP(t, Options{Count: n, Size: size, Rate: rate, Unit: PerByte})
	if min := time.Duration((n - 1) * size / rate * float64(time.Second)); res.Messages != n || res.Elapsed < min {
		t.Errorf("%+v: want %d messages in at least %v", res, n, min)
	}
}

// A duration ends the run and the schedule bounds the count: never more messages
// than were due in the time it took.
func TestGenDurationBound(t *testing.T) {
	const rate = 1000.0
	d := 120 * time.Millisecond
	res, _, _, _ := genUDP(t, Options{Message: payload.NewTemplate([]byte("d")), Duration: d, Rate: rate})
	if res.End != EndDuration || res.Elapsed < d || res.Fraction != 1 {
		t.Errorf("result %+v, want end duration after at least %v", res, d)
	}
	// Message i is due at i/rate: those due before the end all go, however late
	// the last timer woke, and none after.
	if due := uint64(rate * d.Seconds()); res.Messages != due {
		t.Errorf("%d messages sent in %v at %v/s; %d were due", res.Messages, d, rate, due)
	}
}

func TestGenCancel(t *testing.T) {
	listener, _ := netiotest.StartUDP(t, netio.UDPConfig{Bind: "127.0.0.1:0"})
	sender, _ := netiotest.StartUDP(t, netio.UDPConfig{Bind: "127.0.0.1:0"})
	g, err := New(Options{Message: payload.NewTemplate([]byte("c")), Duration: MaxDuration, Rate: 500})
	if err != nil {
		t.Fatal(err)
	}
	if p := g.Progress(); p != (Progress{}) {
		t.Errorf("progress before the run: %+v", p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		p   Progress
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := g.RunUDP(ctx, sender, listener.LocalAddr().(*net.UDPAddr))
		done <- result{p, err}
	}()
	deadline := time.Now().Add(eventtest.WaitTimeout)
	for g.Progress().Messages < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if p := g.Progress(); p.End != "" || p.Fraction >= 1 || p.Elapsed <= 0 {
		t.Errorf("progress while running: %+v", p)
	}
	cancel()
	r := <-done
	if r.err != nil || r.p.End != EndCanceled || r.p.Messages < 3 {
		t.Errorf("after cancel: %+v, %v", r.p, r.err)
	}
	if _, err := g.RunUDP(context.Background(), sender, listener.LocalAddr().(*net.UDPAddr)); !errors.Is(err, ErrUsed) {
		t.Errorf("second run: %v, want ErrUsed", err)
	}
}

func TestGenUDPTooLarge(t *testing.T) {
	sender, _ := netiotest.StartUDP(t, netio.UDPConfig{Bind: "127.0.0.1:0"})
	g, _ := New(Options{Count: 1, Size: netio.MaxUDPPayload + 1})
	_, err := g.RunUDP(context.Background(), sender, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9})
	var ge *Error
	if !errors.As(err, &ge) || ge.Field != "size" {
		t.Errorf("got %v, want a Error on size", err)
	}
	unstarted := netio.NewUDP(netio.UDPConfig{})
	g, _ = New(Options{Count: 1})
	if _, err := g.RunUDP(context.Background(), unstarted, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}); !errors.Is(err, netio.ErrNotStarted) {
		t.Errorf("unstarted endpoint: %v", err)
	}
}

// Over TCP every byte arrives, in order, however the messages were batched; the
// half-close at the end lets the server read it all before closing.
func TestGenTCPStream(t *testing.T) {
	const n = 2000
	srv, got := netiotest.StartServer(t, netio.TCPServerConfig{})
	cl, own := netiotest.StartClient(t, srv.Addr().String(), nil)
	tmpl, _ := payload.ParseTemplate("line {counter}\n", payload.ModeText, nil)
	log := &collector{}
	g, err := New(Options{Message: tmpl, Count: n, Sent: log})
	if err != nil {
		t.Fatal(err)
	}
	res, err := g.RunTCP(context.Background(), cl)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&want, "line %d\n", i)
	}
	if res.Messages != n || res.Bytes != uint64(want.Len()) || res.End != EndCount {
		t.Errorf("result %+v, want %d messages of %d bytes", res, n, want.Len())
	}
	if st := cl.Stats(); st.MsgsOut != n || st.BytesOut != uint64(want.Len()) {
		t.Errorf("client stats %+v", st)
	}
	if err := cl.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got.WaitFor(t, "the client's close", kind(netio.EventClosed), 1)
	select {
	case <-cl.Done():
	case <-time.After(eventtest.WaitTimeout):
		t.Fatal("the client did not see the server close after its half-close")
	}
	var recv strings.Builder
	for _, e := range got.Events() {
		if e.Kind == netio.EventReceived {
			recv.WriteString(e.Text)
		}
	}
	if recv.String() != want.String() {
		t.Errorf("the server received %d bytes, not the %d sent in order", recv.Len(), want.Len())
	}
	if st := srv.Stats(); st.BytesIn != uint64(want.Len()) {
		t.Errorf("server stats %+v", st)
	}
	sent := log.Events()
	if len(sent) != n || sent[1].Text != "line 2\n" || sent[1].Proto != "tcp" {
		t.Errorf("Sent sink: %d events, the second %+v", len(sent), sent[1])
	}
	for _, e := range own.Events() {
		if e.Kind == netio.EventSent {
			t.Fatal("the client's sink got a sent event")
		}
	}
}

func TestGenTCPErrors(t *testing.T) {
	srv, got := netiotest.StartServer(t, netio.TCPServerConfig{})
	cl, _ := netiotest.StartClient(t, srv.Addr().String(), nil)
	g, _ := New(Options{Count: 1})
	var ge *Error
	if _, err := g.RunTCP(context.Background(), cl); !errors.As(err, &ge) || ge.Field != "size" {
		t.Errorf("empty messages: %v", err)
	}
	// A server that drops the client: the run ends with the write's error.
	accepted := got.WaitFor(t, "accepted", kind(netio.EventAccepted), 1)[0]
	if err := srv.Disconnect(accepted.Client); err != nil {
		t.Fatal(err)
	}
	<-cl.Done()
	g, _ = New(Options{Count: 1_000_000, Size: 1000})
	res, err := g.RunTCP(context.Background(), cl)
	if err == nil || res.End != EndError || !strings.Contains(err.Error(), "tcp send to") {
		t.Errorf("writing to a closed connection: %+v, %v", res, err)
	}
	never := netio.NewTCPClient(netio.TCPClientConfig{Addr: "127.0.0.1:9"})
	g, _ = New(Options{Count: 1})
	if _, err := g.RunTCP(context.Background(), never); !errors.Is(err, netio.ErrNotStarted) {
		t.Errorf("unstarted client: %v", err)
	}
	if err := never.CloseWrite(); !errors.Is(err, netio.ErrNotStarted) {
		t.Errorf("CloseWrite unstarted: %v", err)
	}
}

// IPv6 loopback, and a destination where nothing listens: Linux returns the ICMP
// error of one datagram from the next send, which the fast path hands to the
// ordinary one; the run goes on, every message counted, and the errors are
// reported on the endpoint's sink.
func TestGenUDPIPv6AndRefused(t *testing.T) {
	listener, got := netiotest.StartUDP(t, netio.UDPConfig{Bind: "[::1]:0"})
	res, _, _ := genUDPTo(t, "[::1]:0", listener.LocalAddr().(*net.UDPAddr), Options{Message: payload.NewTemplate([]byte("six")), Count: 20})
	if res.Messages != 20 {
		t.Errorf("IPv6: %+v", res)
	}
	got.WaitFor(t, "received", kind(netio.EventReceived), 20)

	closed, _ := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	dst := closed.LocalAddr().(*net.UDPAddr)
	closed.Close()
	res, _, own := genUDPTo(t, "127.0.0.1:0", dst, Options{Message: payload.NewTemplate([]byte("nobody")), Count: 50, Rate: 5000})
	if res.Messages != 50 || res.End != EndCount {
		t.Errorf("to a closed port: %+v", res)
	}
	errs := own.WaitFor(t, "an ICMP error", kind(netio.EventError), 1)
	if !errors.Is(errs[0].Err, netio.ErrPortUnreachable) {
		t.Errorf("error event: %v", errs[0].Err)
	}
}
