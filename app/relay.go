package app

import (
	"context"
	"net"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
)

// relayPanel is a TCP relay session: listen, connect each client on to a target,
// and watch both directions in one log (the way people watch a device talk to its
// server). The pair list shows who is connected and how much went each way.
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
	object     fyne.CanvasObject

	relay *netio.TCPRelay // UI goroutine only; nil while stopped
}

func newRelayPanel(e env) *relayPanel {
	p := &relayPanel{session: newSession(e), prefs: newPrefs(e.app, "tcprelay")}
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
	p.startBtn = widget.NewButton(tr("Start"), p.toggle)
	p.startBtn.Importance = widget.HighImportance
	p.pairs = newRelayPairs(p)
	p.onEvents = p.pairs.watch

	port := func(e *widget.Entry) fyne.CanvasObject {
		return container.NewHBox(widget.NewLabel(tr("port")), fit.Width(e, 90))
	}
	form := widget.NewForm(
		widget.NewFormItem(tr("Listen on"), container.NewBorder(nil, nil, nil, port(p.bindPort), p.bindAddr)),
		widget.NewFormItem(tr("Target"), container.NewBorder(nil, nil, nil, port(p.targetPort), p.targetHost)),
		widget.NewFormItem(tr("Timeout (s)"), container.NewHBox(fit.Width(p.timeout, 70), widget.NewLabel(tr("Charset")), p.charset, p.startBtn)),
	)
	split := container.NewHSplit(relayPairsObject(p.pairs), p.log.Object())
	split.Offset = 0.3
	top := container.NewVBox(form, widget.NewSeparator())
	legend := widget.NewLabel(tr("In: client → target   Out: target → client"))
	bottom := container.NewVBox(widget.NewSeparator(), p.counters.Object(), legend, p.status)
	p.object = container.NewBorder(top, bottom, nil, nil, split)
	return p
}

func (p *relayPanel) Object() fyne.CanvasObject { return p.object }

func (p *relayPanel) Title() string {
	if p.relay == nil {
		return tr("TCP relay")
	}
	return trf("Relay :%d → %s (%d) ●", p.relay.Addr().(*net.TCPAddr).Port, p.relay.Target(), len(p.pairs.items))
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
	if err == nil {
		err = bindError(tr("Listen address"), tr("Port"), p.start(hostport.BindAddress(host, port), hostport.Join(thost, tport), timeout))
	}
	p.setError(err)
	if err == nil {
		p.prefs.set("bind", p.bindAddr.Text)
		p.prefs.set("port", p.bindPort.Text)
		p.prefs.set("target", p.targetHost.Text)
		p.prefs.set("targetport", p.targetPort.Text)
		p.prefs.set("timeout", p.timeout.Text)
		p.prefs.addRecent("target", p.targetHost.Text)
		p.targetHost.SetOptions(p.prefs.recent("target"))
	}
}

func (p *relayPanel) start(listen, target string, timeout time.Duration) error {
	r := netio.NewTCPRelay(netio.TCPRelayConfig{
		Listen: listen, Target: target, Timeout: timeout, Charset: p.Charset(), Sink: p.queue,
	})
	if err := r.Start(context.Background()); err != nil {
		return err
	}
	p.relay = r
	p.stats = r.Stats // kept after Stop, so the counters still show the session
	p.startBtn.SetText(tr("Stop"))
	p.setFormEnabled(false)
	p.setStatus(trf("Listening on %s, relaying to %s", r.Addr().String(), target))
	p.pairs.refresh()
	p.changed()
	return nil
}

// stopRelay closes the relay and every pair (reported in the log as closed here).
func (p *relayPanel) stopRelay() {
	p.relay.Close()
	p.relay = nil
	p.startBtn.SetText(tr("Start"))
	p.setFormEnabled(true)
	p.setStatus(tr("Stopped"))
	p.pairs.refresh()
	p.changed()
}

func (p *relayPanel) setFormEnabled(on bool) {
	setEnabled(on, p.bindAddr, p.bindPort, p.targetHost, p.targetPort, p.timeout, p.charset)
}

// Close stops the relay, then the session's pump.
func (p *relayPanel) Close() {
	if p.relay != nil {
		p.relay.Close()
		p.relay = nil
	}
	p.stop()
}
