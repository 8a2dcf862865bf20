package app

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/app/workspace"
	"github.com/sockdesk/sockdesk/netio/library"
)

// newTestWindow is a main window on a test app, its sessions closed at the end.
func newTestWindow(t *testing.T) *mainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("Sockdesk")
	t.Cleanup(w.Close)
	m := newMainWindow(env{app: a, win: w, ui: &queuedUI{}})
	t.Cleanup(m.closeAll)
	return m
}

func kindsOf(m *mainWindow) []workspace.Kind {
	var out []workspace.Kind
	for _, tab := range m.tabs.Items {
		if ws, ok := capturePanel(m.panels[tab]); ok {
			out = append(out, ws.Kind)
		}
	}
	return out
}

// A workspace saved with three sessions opens again as the same three, kinds
// and settings, in place of what was open; it is listed under Recent.
func TestWorkspaceSavedWithThreeSessionsReopens(t *testing.T) {
	m := newTestWindow(t)
	udp := m.openSession(m.newChooserTab(), kindNamed(t, "UDP")).(*udpPanel)
	udp.bindPort.SetText("7801")
	udp.dstHost.SetText("192.0.2.9")
	udp.charset.SetSelected("GBK")
	udp.send.mode.SetSelected("Hex")
	udp.send.entry.SetText("C4 E3")
	udp.messages.store.change(func(l *library.Library) error {
		return l.Add(library.Message{Name: "m", Group: "Modbus", Mode: library.ModeHex, Payload: "01"})
	})
	udp.messages.showGroup("Modbus")
	udp.drawer.Show(toolMessages)
	client := m.openSession(m.newChooserTab(), kindNamed(t, "TCP client")).(*tcpClientPanel)
	client.host.SetText("device.local")
	client.port.SetText("502")
	client.tls.SetChecked(true)
	server := m.openSession(m.newChooserTab(), kindNamed(t, "TCP server")).(*tcpServerPanel)
	server.bindPort.SetText("9101")
	server.echo.SetChecked(true)
	m.tabs.Select(m.tabs.Items[1])

	path := filepath.Join(t.TempDir(), "bench"+workspace.Ext)
	if err := m.saveWorkspaceAs(path); err != nil {
		t.Fatal(err)
	}
	if got := m.recentWorkspaces(); !slices.Equal(got, []string{path}) {
		t.Errorf("recent %q", got)
	}

	// Something else is open when it is opened again.
	m.replaceSessions(&workspace.Workspace{Sessions: []workspace.Session{{Kind: workspace.TCPRelay}}})
	if got := kindsOf(m); !slices.Equal(got, []workspace.Kind{workspace.TCPRelay}) {
		t.Fatalf("before opening: %q", got)
	}
	m.openWorkspacePath(path)
	if got := kindsOf(m); !slices.Equal(got, []workspace.Kind{workspace.UDP, workspace.TCPClient, workspace.TCPServer}) {
		t.Fatalf("opened %q", got)
	}
	udp = m.panels[m.tabs.Items[0]].(*udpPanel)
	client = m.panels[m.tabs.Items[1]].(*tcpClientPanel)
	server = m.panels[m.tabs.Items[2]].(*tcpServerPanel)
	for _, c := range []struct{ what, got, want string }{
		{"UDP port", udp.bindPort.Text, "7801"},
		{"UDP destination", udp.dstHost.Text, "192.0.2.9"},
		{"UDP charset", udp.charset.Selected, "GBK"},
		{"UDP message", udp.send.entry.Text, "C4 E3"},
		{"UDP mode", udp.send.currentMode().String(), "hex"},
		{"UDP group", udp.messages.groupName, "Modbus"},
		{"UDP open tool", udp.drawer.Open(), toolMessages},
		{"client host", client.host.Text, "device.local"},
		{"client port", client.port.Text, "502"},
		{"client TLS", onOff(client.tls.Checked), "on"},
		{"server port", server.bindPort.Text, "9101"},
		{"server echo", onOff(server.echo.Checked), "on"},
		{"tab in front", m.tabs.Selected().Text, client.Title()},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.what, c.got, c.want)
		}
	}
	if m.workspaceNote != "" {
		t.Errorf("a whole workspace reported %q", m.workspaceNote)
	}
	if got := buttonNames(udp.messages); !slices.Equal(got, []string{"m"}) {
		t.Errorf("the panel shows %q", got)
	}
	// The File menu offers it under Recent workspaces.
	file := m.win.MainMenu().Items[0]
	var recent []string
	for _, it := range file.Items {
		if it.Label == "Recent workspaces" && it.ChildMenu != nil {
			for _, r := range it.ChildMenu.Items {
				recent = append(recent, r.Label)
			}
		}
	}
	if !slices.Equal(recent, []string{path}) {
		t.Errorf("Recent workspaces lists %q", recent)
	}
}

// A damaged workspace (a session that is not one, an unknown kind, a setting
// of the wrong type, a newer version) opens its good sessions and says what
// it could not open; a file that is not a workspace changes nothing.
func TestDamagedWorkspaceOpensTheGoodSessions(t *testing.T) {
	m := newTestWindow(t)
	m.openSession(m.newChooserTab(), kindNamed(t, "TCP relay"))
	dir := t.TempDir()
	damaged := filepath.Join(dir, "damaged"+workspace.Ext)
	os.WriteFile(damaged, []byte(`{
  "format": "sockdesk-workspace",
  "version": 2,
  "active": 2,
  "sessions": [
    {"kind": "udp", "settings": {"port": "7802", "charset": "GBK"}},
    {"kind": "serial", "settings": {"device": "/dev/ttyUSB0"}},
    42,
    {"kind": "tcp-client", "settings": {"host": "10.0.0.5", "port": 502}}
  ]
}`), 0o644)
	m.openWorkspacePath(damaged)
	if got := kindsOf(m); !slices.Equal(got, []workspace.Kind{workspace.UDP, workspace.TCPClient}) {
		t.Fatalf("opened %q", got)
	}
	udp := m.panels[m.tabs.Items[0]].(*udpPanel)
	client := m.panels[m.tabs.Items[1]].(*tcpClientPanel)
	if udp.bindPort.Text != "7802" || udp.charset.Selected != "GBK" || client.host.Text != "10.0.0.5" {
		t.Errorf("settings: port %q charset %q host %q", udp.bindPort.Text, udp.charset.Selected, client.host.Text)
	}
	for _, s := range []string{"damaged.sockdesk", "version: version 2 was written by a newer Sockdesk", `sessions[1].kind: unknown kind "serial"`,
		"sessions[2]: want an object, found number", "sessions[3].settings.port: want a string, found number"} {
		if !strings.Contains(m.workspaceNote, s) {
			t.Errorf("the notice lacks %q:\n%s", s, m.workspaceNote)
		}
	}

	// Truncated: not a workspace; what is open stays open.
	truncated := filepath.Join(dir, "truncated"+workspace.Ext)
	os.WriteFile(truncated, []byte(`{"format": "sockdesk-workspace", "version": 1, "sessions": [{"kind": "udp", "sett`), 0o644)
	m.openWorkspacePath(truncated)
	if got := kindsOf(m); !slices.Equal(got, []workspace.Kind{workspace.UDP, workspace.TCPClient}) {
		t.Errorf("after a truncated file: %q", got)
	}
	if !strings.Contains(m.workspaceNote, "truncated.sockdesk") || !strings.Contains(m.workspaceNote, "truncated or damaged") {
		t.Errorf("the notice: %q", m.workspaceNote)
	}
	// A missing file is taken off the recent list.
	missing := filepath.Join(dir, "gone"+workspace.Ext)
	m.rememberWorkspace(missing, true)
	m.openWorkspacePath(missing)
	if slices.Contains(m.recentWorkspaces(), missing) {
		t.Errorf("recent still lists %s", missing)
	}
}

// sockdesk --workspace FILE starts with the workspace's sessions instead of
// the last run's; a file it cannot open leaves the last run's sessions.
func TestStartWithWorkspace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "start"+workspace.Ext)
	w := &workspace.Workspace{Active: 1, Sessions: []workspace.Session{
		{Kind: workspace.TCPServer, Settings: map[string]string{"port": "9102"}},
		{Kind: workspace.WebTrace, Settings: map[string]string{"url": "http://127.0.0.1:8080/x"}},
	}}
	if err := w.Save(path); err != nil {
		t.Fatal(err)
	}
	m := newTestWindow(t)
	if !m.startWithWorkspace(path) {
		t.Fatalf("did not start with it: %q", m.workspaceNote)
	}
	if got := kindsOf(m); !slices.Equal(got, []workspace.Kind{workspace.TCPServer, workspace.WebTrace}) {
		t.Errorf("started with %q", got)
	}
	if m.tabs.Selected() != m.tabs.Items[1] {
		t.Errorf("tab in front %q", m.tabs.Selected().Text)
	}
	other := newTestWindow(t)
	if other.startWithWorkspace(filepath.Join(dir, "none"+workspace.Ext)) || len(other.tabs.Items) != 0 {
		t.Errorf("a missing file: %d tabs", len(other.tabs.Items))
	}
	if !strings.Contains(other.workspaceNote, "none.sockdesk") {
		t.Errorf("the notice: %q", other.workspaceNote)
	}
}
