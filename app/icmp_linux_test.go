//go:build linux

package app

import (
	"net"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
)

// No answer within the timeout: the panel says so and is ready to try again.
func TestTCPClientPanelConnectTimeout(t *testing.T) {
	e, q := newTestEnv(t)
	host, portText, _ := net.SplitHostPort(loopbacktest.FullListener(t))
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	p.host.SetText(host)
	p.port.SetText(portText)
	p.timeout.SetText("0.2")
	test.Tap(p.connectBtn)
	uiWait(t, q, "the timeout", func() bool { return !p.connecting })
	if !strings.Contains(shown(p.session), "no answer within 200ms") || p.connectBtn.Text != "Connect" {
		t.Errorf("status %q, button %q", shown(p.session), p.connectBtn.Text)
	}
}
