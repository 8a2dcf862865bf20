package app

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// The generator sends the send box's message, {counter} filled in, the number of
// times asked, and says what it achieved.
func TestUDPPanelGenerator(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	peer := udpPeer(t, "")
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(peer.LocalAddr().(*net.UDPAddr).Port))
	p.send.entry.SetText("n={counter}")
	p.gen.rate.SetText("0")
	p.gen.size.SetText("0")
	p.gen.count.SetText("50")
	p.gen.duration.SetText("0")
	test.Tap(p.gen.startBtn)
	if !p.gen.running {
		t.Fatalf("did not start: %q", p.gen.result.Text)
	}
	for i := 1; i <= 50; i++ {
		if got, want := string(readDatagram(t, peer)), fmt.Sprintf("n=%d", i); got != want {
			t.Fatalf("datagram %d is %q, want %q", i, got, want)
		}
	}
	uiWait(t, q, "the run to end", func() bool { return !p.gen.running })
	if !strings.HasPrefix(p.gen.result.Text, "Sent 50 messages") || p.gen.progress.Value != 1 {
		t.Errorf("result %q, progress %v", p.gen.result.Text, p.gen.progress.Value)
	}
	uiWait(t, q, "the counters", func() bool { return strings.Contains(p.counters.Text(), "Out 50 msgs") })
}

func TestGeneratorBadFields(t *testing.T) {
	e, _ := newTestEnv(t)
	p := openUDPPanel(t, e, "GBK")
	for _, tc := range []struct{ msg, rate, count, duration, want string }{
		{"😀", "0", "5", "0", "Message:"},
		{"x", "-1", "5", "0", "Rate:"},
		{"x", "0", "five", "0", "Count:"},
		{"x", "0", "0", "0", "count"},
	} {
		p.send.entry.SetText(tc.msg)
		p.gen.rate.SetText(tc.rate)
		p.gen.count.SetText(tc.count)
		p.gen.duration.SetText(tc.duration)
		test.Tap(p.gen.startBtn)
		said := strings.Join(append(formShown(p.gen.form), p.gen.result.Text), "\n")
		if p.gen.running || !strings.Contains(said, tc.want) {
			t.Errorf("%+v: running %v, %q", tc, p.gen.running, said)
		}
	}
}
