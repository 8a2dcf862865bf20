package app

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/app/wording"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/gen"
)

// udpPanel is a UDP session: bind a local port (or any), send to a destination,
// watch what arrives from anyone, optionally broadcast or echo.
type udpPanel struct {
	*session
	prefs prefs

	bindAddr  *widget.SelectEntry
	bindPort  *widget.Entry
	bindHint  *widget.Label
	dstHost   *widget.SelectEntry
	dstPort   *widget.Entry
	broadcast *widget.Check
	echo      *widget.Check
	mcast     *multicastBox
	openBtn   *widget.Button
	send      *sendBox
	files     *fileBox
	gen       *generatorBox
	object    fyne.CanvasObject

	ep      *netio.UDPEndpoint                // nil while closed; UI goroutine only
	dst     atomic.Pointer[destination]       // the destination fields, read by the send worker
	sep     atomic.Pointer[netio.UDPEndpoint] // the endpoint for the send worker
	lastDst atomic.Pointer[string]            // the last destination remembered
}

// destination is what the destination fields say: host:port, or what is wrong
// with them, by field.
type destination struct {
	addr string
	err  error
}

func newUDPPanel(e env) *udpPanel {
	p := &udpPanel{session: newSession(e), prefs: newPrefs(e.app, "udp")}
	p.rememberCharset(p.prefs)
	p.bindAddr = widget.NewSelectEntry(hostAddresses())
	p.bindAddr.SetText(p.prefs.get("bind", "0.0.0.0"))
	p.bindHint = newBindHint(p.bindAddr)
	p.bindPort = widget.NewEntry()
	p.bindPort.SetText(p.prefs.get("port", "7788"))
	p.dstHost = widget.NewSelectEntry(p.destinationChoices())
	p.dstHost.SetText(p.prefs.get("dsthost", "127.0.0.1"))
	p.dstPort = widget.NewEntry()
	p.dstPort.SetText(p.prefs.get("dstport", "7788"))
	p.dstHost.OnChanged = func(string) { p.updateDestination() }
	p.dstPort.OnChanged = func(string) { p.updateDestination() }
	p.updateDestination()
	p.broadcast = widget.NewCheck(tr("Broadcast"), p.setBroadcast)
	p.broadcast.SetChecked(p.prefs.get("broadcast", "") == "on")
	p.echo = widget.NewCheck(tr("Echo back"), func(on bool) { p.prefs.set("echo", onOff(on)) })
	p.echo.SetChecked(p.prefs.get("echo", "") == "on")
	p.openBtn = widget.NewButton(tr("Open"), p.toggle)
	p.openBtn.Importance = widget.HighImportance
	uiProbe.locate("udp-open", p.openBtn)
	p.send = newSendBox(e, p.prefs, p.Charset, p.sendPayload)
	p.send.SetEnabled(false)
	p.send.watchChecksum(p.sink.setChecksum)
	p.files = newFileBox(e, p.sink, true, p.sendFile)

	form := widget.NewForm(
		widget.NewFormItem(tr("Local"), container.NewBorder(nil, nil, nil, container.NewHBox(p.bindHint, widget.NewLabel(tr("port")), fit.Width(p.bindPort, 90)), p.bindAddr)),
		widget.NewFormItem(tr("Destination"), container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewLabel(tr("port")), fit.Width(p.dstPort, 90)), p.dstHost)),
		widget.NewFormItem(tr("Charset"), container.NewHBox(p.charset, p.broadcast, p.echo, p.openBtn)),
	)
	p.mcast = newMulticastBox(p.prefs)
	p.gen = newGeneratorBox(e, p.prefs, p.send, p.Charset, p.runGenerator)
	p.rules = newRulesBox(p.prefs, p.Charset)
	p.object = p.layout(container.NewVBox(form, p.mcast.Object()), p.send, p.files.Object(), p.gen.Object(), p.rules.Object())
	return p
}

func (p *udpPanel) Object() fyne.CanvasObject { return p.object }

func (p *udpPanel) Title() string {
	if p.ep == nil {
		return tr("UDP")
	}
	return trf("UDP :%d ●", p.ep.LocalAddr().(*net.UDPAddr).Port)
}

func (p *udpPanel) destinationChoices() []string {
	return append(p.prefs.recent("dsthost"), broadcastAddresses()...)
}

// updateDestination reads the destination fields as they change; a problem is
// reported, naming the field, when a send needs them.
func (p *udpPanel) updateDestination() {
	var d destination
	host, err := readHost(tr("Destination"), p.dstHost.Text, true)
	if err == nil {
		var port int
		if port, err = hostport.ParsePort(p.dstPort.Text, false); err != nil {
			err = &fieldError{tr("Destination port"), err}
		}
		d.addr = hostport.Join(host, port)
	}
	d.err = err
	p.dst.Store(&d)
}

func (p *udpPanel) toggle() {
	uiProbe.mark("toggle", "udp")
	if p.ep != nil {
		p.closeEndpoint()
		uiProbe.mark("closed", "udp")
		return
	}
	p.open()
	if p.ep != nil {
		uiProbe.mark("opened", p.ep.LocalAddr().String())
	}
}

// open validates the form and binds. Binding is quick, so it runs here on the UI
// goroutine; errors go to the status line naming the field.
func (p *udpPanel) open() {
	cfg := netio.UDPConfig{Broadcast: p.broadcast.Checked, Echo: p.echo.Checked, Charset: p.Charset(), Sink: p.sink}
	host, err := readHost(tr("Local address"), p.bindAddr.Text, false)
	var port int
	if err == nil {
		port, err = readPort(tr("Local port"), p.bindPort, true)
	}
	if err == nil {
		err = p.mcast.configure(&cfg)
	}
	if err == nil {
		// A wildcard means "any address": with groups, the engine binds the
		// wildcard of the groups' family, so 0.0.0.0 works for an IPv6 group too.
		if len(cfg.Join) > 0 && (host == "0.0.0.0" || host == "::") {
			host = ""
		}
		cfg.Bind = hostport.BindAddress(host, port)
		err = p.mcast.joinError(bindError(tr("Local address"), tr("Local port"), p.start(cfg)))
	}
	if err != nil {
		p.setError(err) // on success start's "Listening on ..." stays in the status line
		return
	}
	p.prefs.set("bind", p.bindAddr.Text)
	p.prefs.set("port", p.bindPort.Text)
	p.mcast.save()
}

func (p *udpPanel) start(cfg netio.UDPConfig) error {
	p.rules.apply() // for the charset chosen now
	cfg.Responder = p.rules.Responder()
	ep := netio.NewUDP(cfg)
	if err := ep.Start(context.Background()); err != nil {
		return err
	}
	p.ep = ep
	p.sep.Store(ep)
	p.stats = ep.Stats // kept after Close, so the counters still show the session
	p.openBtn.SetText(tr("Close"))
	p.setFormEnabled(false)
	p.send.SetEnabled(true)
	p.files.SetEnabled(true)
	if len(cfg.Join) > 0 {
		p.setStatus(trf("Listening on %s, joined %s on %s", ep.LocalAddr().String(), strings.Join(cfg.Join, ", "), wording.Iface(cfg.Iface)))
	} else {
		p.setStatus(trf("Listening on %s", ep.LocalAddr().String()))
	}
	p.changed()
	return nil
}

func (p *udpPanel) closeEndpoint() {
	p.send.SetEnabled(false)
	p.files.SetEnabled(false)
	p.sep.Store(nil)
	p.ep.Close()
	p.ep = nil
	p.openBtn.SetText(tr("Open"))
	p.setFormEnabled(true)
	p.setStatus(tr("Closed"))
	p.changed()
}

func (p *udpPanel) setFormEnabled(on bool) {
	setEnabled(on, p.bindAddr, p.bindPort, p.charset, p.echo)
	p.mcast.setEnabled(on)
}

func (p *udpPanel) setBroadcast(on bool) {
	p.prefs.set("broadcast", onOff(on))
	if p.ep != nil {
		p.setError(p.ep.SetBroadcast(on))
	}
}

// sendPayload runs on the send box's worker goroutine.
func (p *udpPanel) sendPayload(payload []byte) error {
	ep := p.sep.Load()
	if ep == nil {
		return errors.New(tr("the session is closed: press Open first"))
	}
	d := p.dst.Load()
	if d.err != nil {
		return d.err
	}
	dst := d.addr
	if err := ep.SendTo(dst, payload); err != nil {
		return hostError(tr("Destination"), err)
	}
	if old := p.lastDst.Swap(&dst); old == nil || *old != dst {
		p.ui.Do(p.rememberDestination)
	}
	return nil
}

// sendFile sends a file to the destination, split into datagrams; it runs on the
// file box's goroutine.
func (p *udpPanel) sendFile(ctx context.Context, path string, opts netio.FileOptions) (int64, error) {
	ep := p.sep.Load()
	if ep == nil {
		return 0, errors.New(tr("the session is closed: press Open first"))
	}
	d := p.dst.Load()
	if d.err != nil {
		return 0, d.err
	}
	dst, err := netio.ResolveUDP(d.addr)
	if err != nil {
		return 0, hostError(tr("Destination"), err)
	}
	n, err := ep.SendFileTo(ctx, dst, path, opts)
	if err != nil && !errors.Is(err, context.Canceled) {
		var fe *netio.FileError
		if !errors.As(err, &fe) {
			err = hostError(tr("Destination"), err)
		}
	}
	return n, err
}

// runGenerator sends the generator's messages to the destination; it runs on the
// generator's goroutine.
func (p *udpPanel) runGenerator(ctx context.Context, g *gen.Generator) (gen.Progress, error) {
	ep := p.sep.Load()
	if ep == nil {
		return gen.Progress{}, errors.New(tr("the session is closed: press Open first"))
	}
	d := p.dst.Load()
	if d.err != nil {
		return gen.Progress{}, d.err
	}
	dst, err := netio.ResolveUDP(d.addr)
	if err != nil {
		return gen.Progress{}, hostError(tr("Destination"), err)
	}
	return g.RunUDP(ctx, ep, dst)
}

// rememberDestination keeps a destination that worked in the recent list.
func (p *udpPanel) rememberDestination() {
	p.prefs.set("dsthost", p.dstHost.Text)
	p.prefs.set("dstport", p.dstPort.Text)
	p.prefs.addRecent("dsthost", p.dstHost.Text)
	p.dstHost.SetOptions(p.destinationChoices())
}

// Close closes the endpoint first, so a send in progress fails at once instead of
// holding up the send box's Stop.
func (p *udpPanel) Close() {
	if p.ep != nil {
		p.sep.Store(nil)
		p.ep.Close()
		p.ep = nil
	}
	p.send.Stop()
	p.files.Stop()
	p.gen.Stop()
	p.stop()
}
