package app

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/app/drawer"
	"github.com/sockdesk/sockdesk/netio/payload"
	"github.com/sockdesk/sockdesk/netio/respond"
)

// addRule adds a rule through the editor as a user would.
func addRule(b *rulesBox, kind respond.MatchKind, pattern, reply string, mode payload.Mode) *ruleRow {
	test.Tap(b.addBtn)
	r := b.rows[len(b.rows)-1]
	r.kind.SetSelectedIndex(int(kind))
	r.mode.SetSelectedIndex(int(mode))
	test.Type(r.pattern, pattern)
	test.Type(r.reply, reply)
	return r
}

// A UDP session answers a loopback peer by the rules in the editor, every time,
// and the log and the editor show which rule replied and how often.
func TestUDPPanelAutoReplyRules(t *testing.T) {
	e, q := newTestEnv(t)
	p := newUDPPanel(e)
	t.Cleanup(p.Close)
	bad := addRule(p.rules, respond.MatchRegexp, "(", "x", payload.ModeText)
	addRule(p.rules, respond.MatchRegexp, `^ping (\d+)`, `pong $1 #{counter}{hex:0d0a}`, payload.ModeText)
	if !bad.errText.isError() || !strings.Contains(bad.errText.Text(), "Match: Regexp: missing closing ): `(` (pattern from position 1)") {
		t.Errorf("the bad rule's error: %q", bad.errText.Text())
	}
	if title := p.rules.status.Text; title != "1 of 2 rules active" {
		t.Errorf("editor says %q", title)
	}
	if !toolNamed(t, p.drawer, toolAutoReply).Marked() {
		t.Error("the Auto-reply tab is not marked with a rule active")
	}
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	test.Tap(p.openBtn)
	if p.ep == nil {
		t.Fatalf("UDP panel did not open: %s", shown(p.session))
	}
	local := p.ep.LocalAddr().(*net.UDPAddr)
	peer := udpPeer(t, "")
	for _, want := range []string{"pong 7 #1\r\n", "pong 7 #2\r\n"} {
		peer.WriteToUDP([]byte("ping 7"), local)
		if got := string(readDatagram(t, peer)); got != want {
			t.Fatalf("reply %q, want %q", got, want)
		}
	}
	uiWait(t, q, "the auto-reply in the log and the count", func() bool {
		return logShows(p.log, "(auto-reply rule 2): pong 7 #2") && p.rules.rows[1].fired.Text == "×2"
	})

	// Editing applies to the running session at once; a disabled rule is skipped.
	test.Tap(p.rules.rows[1].on)
	addRule(p.rules, respond.MatchHex, "ff", "01 02", payload.ModeHex)
	peer.WriteToUDP([]byte("ping 7"), local)
	peer.WriteToUDP([]byte{0x00, 0xff}, local)
	if got := readDatagram(t, peer); string(got) != "\x01\x02" {
		t.Fatalf("hex rule replied % x, want 01 02 (and nothing to the disabled rule)", got)
	}
}

// Rules are saved with the session kind and come back in a new panel.
func TestRulesSavedAndRestored(t *testing.T) {
	e, _ := newTestEnv(t)
	p := newTCPClientPanel(e)
	addRule(p.rules, respond.MatchPrefix, "AT", `OK\r\n`, payload.ModeEscapes)
	addRule(p.rules, respond.MatchExact, "x", "{countr}", payload.ModeText)
	test.Tap(p.rules.rows[0].on) // off
	p.Close()

	again := newTCPClientPanel(e)
	t.Cleanup(again.Close)
	rows := again.rules.rows
	if len(rows) != 2 {
		t.Fatalf("%d rules restored, want 2", len(rows))
	}
	if r := rows[0].rule(); r.Match != respond.MatchPrefix || r.Pattern != "AT" || r.Reply != `OK\r\n` || r.ReplyMode != payload.ModeEscapes || !r.Disabled {
		t.Errorf("rule 1 restored as %+v", r)
	}
	if !strings.Contains(rows[1].errText.Text(), "Reply: Placeholder: unknown placeholder {countr} at position 1") {
		t.Errorf("rule 2's error after restore: %q", rows[1].errText.Text())
	}
	test.Tap(rows[1].del)
	if len(again.rules.rows) != 1 || len(again.rules.load()) != 1 {
		t.Errorf("after delete: %d rows, %d saved", len(again.rules.rows), len(again.rules.load()))
	}
	// A damaged preference is no rules, not a crash.
	again.prefs.set(rulesKey, "{not json")
	if got := newRulesBox(again.prefs, nil); len(got.rows) != 0 {
		t.Errorf("damaged rules gave %d rows", len(got.rows))
	}
}

// A TCP server session replies on each client's connection to every match, for
// as long as it stays open.
func TestTCPServerPanelAutoReplyEveryMatch(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	addRule(p.rules, respond.MatchExact, "PING", `PONG {counter}\n`, payload.ModeEscapes)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	test.Tap(p.startBtn)
	if p.srv == nil {
		t.Fatalf("server did not start: %s", shown(p.session))
	}
	c, err := net.Dial("tcp4", p.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	rd := bufio.NewReader(c)
	for _, want := range []string{"PONG 1\n", "PONG 2\n", "PONG 3\n"} {
		c.Write([]byte("PING\r\n"))
		if got, err := rd.ReadString('\n'); err != nil || got != want {
			t.Fatalf("reply %q (%v), want %q", got, err, want)
		}
	}
	uiWait(t, q, "three auto-replies counted", func() bool { return p.rules.rows[0].fired.Text == "×3" })
}

// toolNamed is the drawer's tool with that id.
func toolNamed(t *testing.T, d *drawer.Drawer, id string) *drawer.Tool {
	t.Helper()
	for _, tool := range d.Tools() {
		if tool.ID == id {
			return tool
		}
	}
	t.Fatalf("no tool %q", id)
	return nil
}
