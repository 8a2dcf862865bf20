package app

import (
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/sockdesk/sockdesk/internal/loopbacktest"
)

// pongTarget is a loopback server that answers each read with "pong: " and what it
// read, until its client closes. The test's cleanup stops it and waits.
func pongTarget(t *testing.T) string {
	t.Helper()
	return loopbacktest.Serve(t, func(c *net.TCPConn) {
		c.SetDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 256)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			c.Write(append([]byte("pong: "), buf[:n]...))
		}
	})
}

func TestRelayPanelShowsBothDirections(t *testing.T) {
	e, q := newTestEnv(t)
	target := pongTarget(t)
	p := newRelayPanel(e)
	t.Cleanup(p.Close)
	p.charset.SetSelected("GBK")
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	host, port, _ := net.SplitHostPort(target)
	p.targetHost.SetText(host)
	p.targetPort.SetText(port)
	test.Tap(p.startBtn)
	if p.relay == nil {
		t.Fatalf("relay did not start: %s", shown(p.session))
	}
	relayPort := strconv.Itoa(p.relay.Addr().(*net.TCPAddr).Port)
	if p.prefs.get("targetport", "") != port {
		t.Errorf("target port not saved in the preferences")
	}

	c, err := net.Dial("tcp4", p.relay.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	c.Write(gbkBytes(t, "你好"))
	want := append([]byte("pong: "), gbkBytes(t, "你好")...)
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil || string(got) != string(want) {
		t.Fatalf("client got %q, %v", got, err)
	}
	client := c.LocalAddr().String()
	uiWait(t, q, "both directions in the log", func() bool {
		return logShows(p.log, "→ target ["+client+"] 4 B: 你好") && logShows(p.log, "← target ["+client+"] 10 B: pong: 你好")
	})
	uiWait(t, q, "the pair listed", func() bool {
		return len(p.pairs.items) == 1 && p.pairs.items[0].Stats.BytesOut == 10
	})
	if row := p.pairs.rowText(1); row != client+" · IPv4 · "+p.pairs.items[0].Since.Format("15:04:05")+" · 1 msg · 4 B · 1 msg · 10 B" {
		t.Errorf("pair row %q", row)
	}
	if title := p.Title(); title != "Relay :"+relayPort+" → "+target+" (1) ●" {
		t.Errorf("title %q", title)
	}
	uiWait(t, q, "the counters", func() bool {
		s := p.counters.Text()
		return strings.Contains(s, "In 1 msg") && strings.Contains(s, "Out 1 msg")
	})

	// Disconnect the pair from the list.
	p.pairs.table.Select(widget.TableCellID{Row: 1})
	test.Tap(p.pairs.disconnectBtn)
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("disconnected client read: %v", err)
	}
	p.pairs.table.Select(widget.TableCellID{Row: 0})
	uiWait(t, q, "the pair gone", func() bool { return len(p.pairs.items) == 0 && logShows(p.log, "closed here") })

	// A second client that closes first: the log says so.
	c2, err := net.Dial("tcp4", p.relay.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	uiWait(t, q, "the second pair connected", func() bool { return logShows(p.log, "connected to target "+target) && len(p.pairs.items) == 1 })
	c2.Close()
	uiWait(t, q, "the client closing first", func() bool { return logShows(p.log, "client closed first") })

	test.Tap(p.startBtn)
	if p.relay != nil || p.Title() != "TCP relay" {
		t.Errorf("relay still running after Stop: %q", p.Title())
	}
}

func TestRelayPanelBadInputAndRefusedTarget(t *testing.T) {
	e, q := newTestEnv(t)
	p := newRelayPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	p.targetHost.SetText("127.0.0.1")
	p.targetPort.SetText("0")
	test.Tap(p.startBtn)
	if p.relay != nil || !strings.Contains(shown(p.session), "Target port") {
		t.Fatalf("port 0 as target accepted: %q", shown(p.session))
	}

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	p.targetPort.SetText(closedPort)
	test.Tap(p.startBtn)
	if p.relay == nil {
		t.Fatalf("relay did not start: %s", shown(p.session))
	}
	c, err := net.Dial("tcp4", p.relay.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("client read %d, %v; want it closed", n, err)
	}
	uiWait(t, q, "the refusal in the log", func() bool {
		return logShows(p.log, "connecting to the target 127.0.0.1:"+closedPort) && logShows(p.log, "refused")
	})
}
