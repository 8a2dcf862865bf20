package app

import (
	"context"
	"net"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/app/workspace"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/framing"
)

// relayPanel is a TCP relay session: listen, connect each client on to a target,
// and watch both directions in one log (the way people watch a device talk to its
// server). The pair table shows who is connected and how much went each way.
type relayPanel struct {
	*session
	prefs prefs

	bindAddr   *widget.SelectEntry
	bindPort   *widget.Entry
	targetHost *widget.SelectEntry
	targetPort *widget.Entry
	timeout    *widget.Entry
	startBtn   *widget.Button
	pairs      *memberList[netio.RelayPair]
	legend     *widget.Label
	framing    *framingFields

	relay *netio.TCPRelay // UI goroutine only; nil while stopped
}

func newRelayPanel(e env) *relayPanel {
	p := &relayPanel{session: newSession(e, string(workspace.TCPRelay)), prefs: newPrefs(e.app, "tcprelay")}
	p.rememberCharset(p.prefs)
	p.bindAddr = widget.NewSelectEntry(hostAddresses())
	p.bindAddr.SetText(p.prefs.get("bind", "0.0.0.0"))
	p.bindPort = widget.NewEntry()
	p.bindPort.SetText(p.prefs.get("port", "9001"))
	p.targetHost = widget.NewSelectEntry(p.prefs.recent("target"))
	p.targetHost.SetText(p.prefs.get("target", "127.0.0.1"))
	p.targetPort = widget.NewEntry()
	p.targetPort.SetText(p.prefs.get("targetport", "9000"))
	p.timeout = widget.NewEntry()
	p.timeout.SetText(p.prefs.get("timeout", "10"))
	p.startBtn = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), p.toggle)
	p.startBtn.Importance = widget.HighImportance
	p.bar.setAction(p.startBtn)
	p.pairs = newRelayPairs(p)
	p.pairs.onWiden = p.drawer.Refit
	p.onEvents = p.pairs.watch
	p.onCharset = p.setCharset

	listenAddr, port := func() string { return tr("Listen address") }, func() string { return tr("Port") }
	listen, addrOutline, portOutline := hostPortInput(p.bindAddr, p.bindPort, p.words)
	listenRow := p.form.field(func() string { return tr("Listen on") }, listen, 2).
		also(listenAddr).also(port).part(listenAddr, addrOutline).part(port, portOutline).
		withHint(func() string { return wildcardHint(p.bindAddr.Text) })
	target, targetPort := func() string { return tr("Target") }, func() string { return tr("Target port") }
	to, hostOutline, targetPortOutline := hostPortInput(p.targetHost, p.targetPort, p.words)
	targetRow := p.form.field(target, to, 1).also(targetPort).part(target, hostOutline).part(targetPort, targetPortOutline)
	timeoutRow := p.form.field(func() string { return tr("Timeout (s)") }, fit.Width(p.timeout, 90), 1).also(func() string { return tr("Timeout") })
	p.bindAddr.OnChanged = func(string) { listenRow.setError(nil) }
	p.bindPort.OnChanged = func(string) { listenRow.setError(nil) }
	p.targetHost.OnChanged = func(string) { targetRow.setError(nil) }
	p.targetPort.OnChanged = func(string) { targetRow.setError(nil) }
	p.timeout.OnChanged = func(string) { timeoutRow.setError(nil) }
	p.form.field(func() string { return tr("Charset") }, p.charset, 0)
	p.framing = addFramingFields(p.form, p.prefs)
	p.legend = widget.NewLabel("")
	p.legend.Importance = widget.LowImportance
	p.legend.Truncation = fyne.TextTruncateEllipsis
	p.words(func() {
		p.legend.SetText(tr("→ target: from the client · ← target: from the target"))
		p.pairs.disconnectBtn.SetText(tr("Disconnect"))
		p.pairs.relabel()
		p.framing.relabel()
		p.showState()
	})
	p.setState(stateIdle, func() string { return tr("Stopped") })
	pairs := container.NewBorder(nil, container.NewBorder(nil, nil, nil, p.pairs.disconnectBtn, p.legend), nil, nil, p.pairs.object)
	p.addConnectionTool(container.NewBorder(p.form.Object(), nil, nil, nil, pairs))
	p.addPlotTool(p.prefs)
	p.addAnatomyTool()

	p.keepEntry("bind", &p.bindAddr.Entry)
	p.keepEntry("port", p.bindPort)
	p.keepEntry("target", &p.targetHost.Entry)
	p.keepEntry("targetport", p.targetPort)
	p.keepEntry("timeout", p.timeout)
	p.framing.keepIn(p.session)
	p.keepTool()
	return p
}

func (p *relayPanel) Title() string {
	if p.relay == nil {
		return tr("TCP relay")
	}
	return trf("Relay :%d → %s (%d) ●", p.relay.Addr().(*net.TCPAddr).Port, p.relay.Target(), len(p.pairs.items))
}

// busy reports whether the relay runs (Quit asks first).
func (p *relayPanel) busy() bool { return p.relay != nil }

// showState writes the button from the session's state.
func (p *relayPanel) showState() {
	if p.relay == nil {
		p.startBtn.SetText(tr("Start"))
		p.startBtn.SetIcon(theme.MediaPlayIcon())
		return
	}
	p.startBtn.SetText(tr("Stop"))
	p.startBtn.SetIcon(theme.MediaStopIcon())
}

// setCharset applies a new charset to the running relay: what passes from now on.
func (p *relayPanel) setCharset(cs *charset.Charset) {
	if p.relay != nil {
		p.relay.SetCharset(cs)
	}
}

func (p *relayPanel) toggle() {
	if p.relay != nil {
		p.stopRelay()
		return
	}
	host, err := readHost(tr("Listen address"), p.bindAddr.Text, false)
	var port, tport int
	var thost string
	var timeout time.Duration
	if err == nil {
		port, err = readPort(tr("Port"), p.bindPort, true)
	}
	if err == nil {
		thost, err = readHost(tr("Target"), p.targetHost.Text, true)
	}
	if err == nil {
		tport, err = readPort(tr("Target port"), p.targetPort, false)
	}
	if err == nil {
		timeout, err = readTimeout(p.timeout.Text)
	}
	var frame framing.Spec
	var maxFrame int
	if err == nil {
		frame, maxFrame, err = p.framing.spec()
	}
	if err == nil {
		err = bindError(tr("Listen address"), tr("Port"), p.start(hostport.BindAddress(host, port), hostport.Join(thost, tport), timeout, frame, maxFrame))
	}
	if err != nil {
		p.setError(err)
		return
	}
	{
		p.prefs.set("bind", p.bindAddr.Text)
		p.prefs.set("port", p.bindPort.Text)
		p.prefs.set("target", p.targetHost.Text)
		p.prefs.set("targetport", p.targetPort.Text)
		p.prefs.set("timeout", p.timeout.Text)
		p.framing.remember(p.prefs)
		p.prefs.addRecent("target", p.targetHost.Text)
		p.targetHost.SetOptions(p.prefs.recent("target"))
	}
}

func (p *relayPanel) start(listen, target string, timeout time.Duration, frame framing.Spec, maxFrame int) error {
	r := netio.NewTCPRelay(netio.TCPRelayConfig{
		Listen: listen, Target: target, Timeout: timeout, Charset: p.Charset(), Sink: p.sink,
		Frame: frame, MaxFrame: maxFrame,
	})
	if err := r.Start(context.Background()); err != nil {
		return err
	}
	p.relay = r
	p.stats = r.Stats // kept after Stop, so the counters still show the session
	p.setError(nil)
	p.setFormEnabled(false)
	addr := r.Addr().String()
	p.setState(stateActive, func() string { return trf("Listening on %s, relaying to %s", addr, target) + framingState(frame) })
	p.showState()
	p.pairs.refresh()
	p.changed()
	return nil
}

// stopRelay closes the relay and every pair (reported in the log as closed here).
func (p *relayPanel) stopRelay() {
	p.relay.Close()
	p.relay = nil
	p.setFormEnabled(true)
	p.setState(stateIdle, func() string { return tr("Stopped") })
	p.showState()
	p.pairs.refresh()
	p.changed()
}

// setFormEnabled fixes the relay's settings while it runs; the charset applies to
// a running relay, so it stays enabled.
func (p *relayPanel) setFormEnabled(on bool) {
	setEnabled(on, p.bindAddr, p.bindPort, p.targetHost, p.targetPort, p.timeout)
	p.framing.setEnabled(on)
}

// Close stops the relay, then the session's pump.
func (p *relayPanel) Close() {
	if p.relay != nil {
		p.relay.Close()
		p.relay = nil
	}
	p.stop()
}
