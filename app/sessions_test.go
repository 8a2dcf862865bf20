package app

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/app/workspace"
	"github.com/sockdesk/sockdesk/netio/payload"
	"github.com/sockdesk/sockdesk/netio/respond"
)

// The window closes with four sessions and their settings; the next start, in the
// same app (preferences and storage), opens them again in order, each with its
// settings, and the same tab in front.
func TestRestartBringsTheSessionsBack(t *testing.T) {
	a := test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), sessionsFile)
	start := func() *mainWindow {
		w := a.NewWindow("Sockdesk")
		t.Cleanup(w.Close)
		m := newMainWindow(env{app: a, win: w, ui: &queuedUI{}})
		m.sessionsPath = path
		m.restoreSessions()
		return m
	}

	m := start()
	if len(m.tabs.Items) != 1 {
		t.Fatalf("the first start opened %d tabs", len(m.tabs.Items))
	}
	udp := m.panels[m.tabs.Items[0]].(*udpPanel)
	udp.bindPort.SetText("7799")
	udp.dstHost.SetText("192.0.2.7")
	udp.charset.SetSelected("GBK")
	udp.send.mode.SetSelected("Hex")
	udp.send.entry.SetText("C4 E3")
	udp.send.eol.SetSelectedIndex(int(lineEndCRLF))
	udp.broadcast.SetChecked(true)
	udp.drawer.Show(toolGenerator)
	client := m.openSession(m.newChooserTab(), kindNamed(t, "TCP client")).(*tcpClientPanel)
	client.host.SetText("device.local")
	client.port.SetText("502")
	server := m.openSession(m.newChooserTab(), kindNamed(t, "TCP server")).(*tcpServerPanel)
	server.bindPort.SetText("9100")
	server.maxClients.SetText("5")
	addRule(server.rules, respond.MatchPrefix, "PING", "PONG", payload.ModeEscapes)
	off := addRule(server.rules, respond.MatchExact, "A", "B", payload.ModeEscapes)
	off.on.SetChecked(false)
	relay := m.openSession(m.newChooserTab(), kindNamed(t, "TCP relay")).(*relayPanel)
	relay.targetPort.SetText("9200")
	m.tabs.Select(m.tabs.Items[2]) // the server in front
	m.shutdown()
	if len(m.panels) != 0 {
		t.Fatal("shutdown left sessions open")
	}

	m = start()
	if len(m.tabs.Items) != 4 {
		t.Fatalf("restored %d tabs, want 4", len(m.tabs.Items))
	}
	udp, ok1 := m.panels[m.tabs.Items[0]].(*udpPanel)
	client, ok2 := m.panels[m.tabs.Items[1]].(*tcpClientPanel)
	server, ok3 := m.panels[m.tabs.Items[2]].(*tcpServerPanel)
	relay, ok4 := m.panels[m.tabs.Items[3]].(*relayPanel)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		t.Fatalf("restored kinds %T %T %T %T", m.panels[m.tabs.Items[0]], m.panels[m.tabs.Items[1]], m.panels[m.tabs.Items[2]], m.panels[m.tabs.Items[3]])
	}
	t.Cleanup(m.closeAll)
	if m.tabs.Selected() != m.tabs.Items[2] {
		t.Errorf("tab in front: %q", m.tabs.Selected().Text)
	}
	for _, c := range []struct{ what, got, want string }{
		{"UDP port", udp.bindPort.Text, "7799"},
		{"UDP destination", udp.dstHost.Text, "192.0.2.7"},
		{"UDP charset", udp.charset.Selected, "GBK"},
		{"UDP mode", udp.send.currentMode().String(), "hex"},
		{"UDP message", udp.send.entry.Text, "C4 E3"},
		{"UDP line end", udp.send.lineEnd().String(), "crlf"},
		{"UDP broadcast", onOff(udp.broadcast.Checked), "on"},
		{"UDP open tool", udp.drawer.Open(), toolGenerator},
		{"client host", client.host.Text, "device.local"},
		{"client port", client.port.Text, "502"},
		{"server port", server.bindPort.Text, "9100"},
		{"server max", server.maxClients.Text, "5"},
		{"relay target port", relay.targetPort.Text, "9200"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.what, c.got, c.want)
		}
	}
	if n := len(server.rules.rows); n != 2 || !server.rules.rows[0].on.Checked || server.rules.rows[1].on.Checked ||
		server.rules.rows[0].pattern.Text != "PING" || server.rules.rows[1].reply.Text != "B" {
		t.Errorf("server rules restored as %d rows", n)
	}
	// Sessions come back closed: a start never binds or connects by itself.
	if udp.ep != nil || client.client != nil || server.srv != nil || relay.relay != nil {
		t.Error("a restored session is open")
	}
}

// Settings a file gave that this version does not use are saved back as they were.
func TestWorkspaceKeepsSettingsItDoesNotKnow(t *testing.T) {
	e, _ := newTestEnv(t)
	p := newUDPPanel(e)
	defer p.Close()
	p.restore(workspace.Session{Kind: workspace.UDP,
		Settings: map[string]string{"port": "1234", "group": "Modbus"},
		Lists:    map[string][]string{"sequence": {"send:a"}}})
	ws := p.capture()
	if ws.Settings["port"] != "1234" || ws.Settings["group"] != "Modbus" || len(ws.Lists["sequence"]) != 1 {
		t.Errorf("captured %v %v", ws.Settings, ws.Lists)
	}
}

// Choosing another language relabels every open session at once, of every kind,
// and leaves it as it was: open, with its log and what was typed.
func TestLanguageSwitchRelabelsOpenSessions(t *testing.T) {
	useLanguage(t, "en")
	e, q := newTestEnv(t)
	m := newMainWindow(e)
	t.Cleanup(m.closeAll)
	udp := m.openSession(m.newChooserTab(), kindNamed(t, "UDP")).(*udpPanel)
	udp.bindAddr.SetText("127.0.0.1")
	udp.bindPort.SetText("0")
	test.Tap(udp.openBtn)
	if udp.ep == nil {
		t.Fatalf("not open: %s", shown(udp.session))
	}
	peer := udpPeer(t, "")
	peer.WriteToUDP([]byte("hello"), udp.ep.LocalAddr().(*net.UDPAddr))
	uiWait(t, q, "the datagram", func() bool { return logShows(udp.log, "hello") })
	udp.send.entry.SetText("typed before")
	client := m.openSession(m.newChooserTab(), kindNamed(t, "TCP client")).(*tcpClientPanel)
	server := m.openSession(m.newChooserTab(), kindNamed(t, "TCP server")).(*tcpServerPanel)
	relay := m.openSession(m.newChooserTab(), kindNamed(t, "TCP relay")).(*relayPanel)
	ep := udp.ep

	m.applyLanguage("zh-Hans")
	t.Cleanup(func() { i18n.Set("en") })

	for _, c := range []struct{ what, got, want string }{
		{"UDP button", udp.openBtn.Text, "关闭"},
		{"UDP state", udp.bar.Text(), "正在监听 " + ep.LocalAddr().String()},
		{"UDP first tool", udp.drawer.Tools()[0].Caption(), "连接"},
		{"UDP send", udp.send.sendBtn.Text, "发送"},
		{"UDP broadcast", udp.broadcast.Text, "广播"},
		{"UDP field", udp.form.rows[0].label.Text, "本地"},
		{"UDP tab", m.tabs.Items[0].Text, udp.Title()},
		{"client button", client.connectBtn.Text, "连接"},
		{"client state", client.bar.Text(), "未连接"},
		{"server button", server.startBtn.Text, "启动"},
		{"server column", server.clients.columns[0].title(), "地址"},
		{"server target", server.target.Text, "发送给：所有客户端"},
		{"relay button", relay.startBtn.Text, "启动"},
	} {
		if c.got != c.want {
			t.Errorf("%s says %q, want %q", c.what, c.got, c.want)
		}
	}
	if !strings.Contains(strings.Join(udp.log.Lines(), "\n"), "正在监听") {
		t.Errorf("the log's rows are not worded again: %q", udp.log.Lines())
	}
	if udp.ep != ep || udp.send.entry.Text != "typed before" || !logShows(udp.log, "hello") {
		t.Error("the switch disturbed the open session")
	}
	if !strings.HasPrefix(udp.counters.Text(), "接收") {
		t.Errorf("counters say %q", udp.counters.Text())
	}
}

// Quit, and the window's close button, ask first while a session is connected or
// serving; with none they quit at once, saving the sessions.
func TestQuitAsksWhileSessionsAreBusy(t *testing.T) {
	a := test.NewTempApp(t)
	e := env{app: a, win: a.NewWindow("Sockdesk"), ui: &queuedUI{}} // Quit closes the window
	m := newMainWindow(e)
	m.sessionsPath = filepath.Join(t.TempDir(), sessionsFile)
	t.Cleanup(m.closeAll)
	srv := m.openSession(m.newChooserTab(), kindNamed(t, "TCP server")).(*tcpServerPanel)
	srv.bindAddr.SetText("127.0.0.1")
	srv.bindPort.SetText("0")
	test.Tap(srv.startBtn)
	if srv.srv == nil {
		t.Fatalf("not started: %s", shown(srv.session))
	}
	m.requestQuit()
	if m.ended || m.quitDlg == nil {
		t.Fatalf("quit without asking (ended %v)", m.ended)
	}
	overlays := e.win.Canvas().Overlays().List()
	if len(overlays) == 0 {
		t.Fatal("no question shown")
	}
	if !overlayText(overlays[len(overlays)-1], "A session is connected or serving") {
		t.Error("the question does not say why")
	}
	m.quitDlg.Hide() // Cancel
	if m.ended || srv.srv == nil {
		t.Fatal("Cancel quit")
	}
	test.Tap(srv.startBtn) // stopped: nothing to ask about
	m.quitDlg = nil
	m.requestQuit()
	if m.quitDlg != nil || !m.ended {
		t.Errorf("asked with nothing connected (ended %v)", m.ended)
	}
	if w, _, err := workspace.Load(m.sessionsPath); err != nil || len(w.Sessions) != 1 {
		t.Errorf("sessions saved on quit: %v, %v", w, err)
	}
}

// overlayText reports whether a label in o says text.
func overlayText(o fyne.CanvasObject, text string) bool {
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && strings.Contains(l.Text, text) {
			return true
		}
	}
	return false
}

// The charset changes on an open session: what is received and sent from then on
// uses the new one, and the log shows it.
func TestCharsetChangesOnAnOpenSession(t *testing.T) {
	e, q := newTestEnv(t)
	p := openUDPPanel(t, e, "UTF-8")
	peer := udpPeer(t, "")
	local := p.ep.LocalAddr().(*net.UDPAddr)
	peer.WriteToUDP(gbkBytes(t, "你好"), local)
	uiWait(t, q, "the GBK bytes shown as UTF-8 can show them", func() bool { return len(p.log.Lines()) >= 2 })
	if logShows(p.log, "你好") {
		t.Fatal("GBK decoded as UTF-8?")
	}
	if p.charset.Disabled() {
		t.Fatal("the charset cannot be changed while open")
	}
	p.charset.SetSelected("GBK")
	peer.WriteToUDP(gbkBytes(t, "你好"), local)
	uiWait(t, q, "the datagram decoded in GBK", func() bool { return logShows(p.log, "你好") })
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(peer.LocalAddr().(*net.UDPAddr).Port))
	p.send.entry.SetText("收到")
	test.Tap(p.send.sendBtn)
	if got := readDatagram(t, peer); string(got) != string(gbkBytes(t, "收到")) {
		t.Errorf("sent % x, want GBK", got)
	}
	if p.ep == nil {
		t.Error("the change closed the session")
	}
}
