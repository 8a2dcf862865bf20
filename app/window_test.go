package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestMainWindowOpensSessionsOfEachKindAndClosesThem(t *testing.T) {
	e, _ := newTestEnv(t)
	m := newMainWindow(e)
	defer m.closeAll()

	// Ctrl+N opens a chooser tab; its buttons turn it into a session.
	e.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	if len(m.tabs.Items) != 1 || m.tabs.Items[0].Text != "New session" {
		t.Fatalf("tabs after Ctrl+N: %d", len(m.tabs.Items))
	}
	chooser := m.tabs.Items[0]
	var buttons []*widget.Button
	for _, o := range test.LaidOutObjects(chooser.Content) {
		if b, ok := o.(*widget.Button); ok {
			buttons = append(buttons, b)
		}
	}
	if len(buttons) != len(sessionKinds) {
		t.Fatalf("chooser has %d buttons", len(buttons))
	}
	test.Tap(buttons[2])
	if chooser.Text != "TCP server" {
		t.Errorf("tab says %q", chooser.Text)
	}
	if _, ok := m.panels[chooser].(*tcpServerPanel); !ok {
		t.Fatalf("panel is %T", m.panels[chooser])
	}

	// Several sessions at once: a UDP listener next to a UDP sender.
	a := m.openSession(m.addChooserTab(), sessionKinds[0]).(*udpPanel)
	b := m.openSession(m.addChooserTab(), sessionKinds[0]).(*udpPanel)
	for _, p := range []*udpPanel{a, b} {
		p.bindAddr.SetText("127.0.0.1")
		p.bindPort.SetText("0")
		test.Tap(p.openBtn)
	}
	if a.ep == nil || b.ep == nil {
		t.Fatal("two UDP sessions could not both open")
	}
	tabA := m.tabs.Items[1]
	if tabA.Text != a.Title() {
		t.Errorf("tab text %q, panel title %q", tabA.Text, a.Title())
	}

	// Closing a tab closes its session.
	m.tabs.Remove(tabA)
	m.closeTab(tabA)
	if a.ep != nil || len(m.panels) != 2 {
		t.Errorf("closed tab left its session open (%d panels)", len(m.panels))
	}
}
