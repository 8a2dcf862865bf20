package app

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/wording"
	"github.com/sockdesk/sockdesk/app/workspace"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/gen"
)

// udpPanel is a UDP session: bind a local port (or any), send to a destination,
// watch what arrives from anyone, optionally broadcast or echo.
type udpPanel struct {
	*session
	prefs prefs

	bindAddr  *widget.SelectEntry
	bindPort  *widget.Entry
	dstHost   *widget.SelectEntry
	dstPort   *widget.Entry
	dstRow    *fieldRow
	broadcast *widget.Check
	echo      *widget.Check
	mcast     *multicastBox
	openBtn   *widget.Button
	send      *sendBox
	files     *fileBox
	seq       *sequenceBox
	gen       *generatorBox

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
	p := &udpPanel{session: newSession(e, string(workspace.UDP)), prefs: newPrefs(e.app, "udp")}
	p.rememberCharset(p.prefs)
	p.counters.countDrops = true
	p.bindAddr = widget.NewSelectEntry(hostAddresses())
	p.bindAddr.SetText(p.prefs.get("bind", "0.0.0.0"))
	p.bindPort = widget.NewEntry()
	p.bindPort.SetText(p.prefs.get("port", "7788"))
	p.dstHost = widget.NewSelectEntry(p.destinationChoices())
	p.dstHost.SetText(p.prefs.get("dsthost", "127.0.0.1"))
	p.dstPort = widget.NewEntry()
	p.dstPort.SetText(p.prefs.get("dstport", "7788"))
	p.broadcast = widget.NewCheck("", p.setBroadcast)
	p.broadcast.SetChecked(p.prefs.get("broadcast", "") == "on")
	p.echo = widget.NewCheck("", func(on bool) { p.prefs.set("echo", onOff(on)) })
	p.echo.SetChecked(p.prefs.get("echo", "") == "on")
	p.openBtn = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), p.toggle)
	p.openBtn.Importance = widget.HighImportance
	uiProbe.locate("udp-open", p.openBtn)
	p.bar.setAction(p.openBtn)
	p.send = newSendBox(e, p.prefs, p.Charset, p.sendPayload)
	p.send.SetEnabled(false)
	p.send.watchChecksum(p.sink.setChecksum)
	p.files = newFileBox(e, p.sink, true, p.sendFile)
	p.onCharset = p.setCharset

	localAddr, localPort := func() string { return tr("Local address") }, func() string { return tr("Local port") }
	local, addrOutline, portOutline := hostPortInput(p.bindAddr, p.bindPort, p.words)
	bindRow := p.form.field(func() string { return tr("Local") }, local, 2).
		also(localAddr).also(localPort).part(localAddr, addrOutline).part(localPort, portOutline).
		withHint(func() string { return wildcardHint(p.bindAddr.Text) })
	p.bindAddr.OnChanged = func(string) { bindRow.setError(nil) }
	p.bindPort.OnChanged = func(string) { bindRow.setError(nil) }
	dstPort := func() string { return tr("Destination port") }
	dst, hostOutline, dstPortOutline := hostPortInput(p.dstHost, p.dstPort, p.words)
	p.dstRow = p.form.field(func() string { return tr("Destination") }, dst, 2).
		also(dstPort).part(dstPort, dstPortOutline).part(func() string { return tr("Destination") }, hostOutline)
	p.dstHost.OnChanged = func(string) { p.dstRow.setError(nil); p.updateDestination() }
	p.dstPort.OnChanged = func(string) { p.dstRow.setError(nil); p.updateDestination() }
	p.updateDestination()
	p.setState(stateIdle, func() string { return tr("Closed") })
	p.form.field(func() string { return tr("Charset") }, p.charset, 0)
	p.form.wide(p.broadcast, p.echo)
	p.words(func() {
		p.broadcast.Text = tr("Broadcast")
		p.broadcast.Refresh()
		p.echo.Text = tr("Echo back")
		p.echo.Refresh()
		p.showState()
	})

	p.mcast = newMulticastBox(p.prefs)
	p.gen = newGeneratorBox(e, p.prefs, p.send, p.Charset, p.runGenerator)
	p.gen.onRunning = func(on bool) { p.drawer.SetMarked(toolGenerator, on) }
	p.rules = newRulesBox(p.prefs, p.Charset)
	p.rules.onActive = func(on bool) { p.drawer.SetMarked(toolAutoReply, on) }

	p.addConnectionTool(p.form.Object())
	p.addSendTools(p.send)
	p.addMessagesTool(p.send, p.messageRoute)
	p.addTool(toolMulticast, func() string { return tr("Multicast") }, theme.MailReplyAllIcon(), p.mcast.Object())
	p.addForm(toolMulticast, p.mcast.form)
	p.addTool(toolGenerator, func() string { return tr("Generator") }, theme.MediaFastForwardIcon(), p.gen.Object())
	p.addTool(toolAutoReply, func() string { return tr("Auto-reply") }, theme.MailReplyIcon(), p.rules.Object())
	p.addTool(toolFiles, func() string { return tr("Files") }, theme.FolderOpenIcon(), p.files.Object())
	p.addPlotTool(p.prefs)
	p.seq = addSequenceTool(p.session, seqUDP, p.sequenceConn)
	p.addAnatomyTool()
	p.words(func() {
		p.mcast.relabel()
		p.gen.relabel()
		p.rules.relabel()
		p.files.relabel()
		p.send.relabel()
	})
	p.rules.changed()

	p.keepEntry("bind", &p.bindAddr.Entry)
	p.keepEntry("port", p.bindPort)
	p.keepEntry("dsthost", &p.dstHost.Entry)
	p.keepEntry("dstport", p.dstPort)
	p.keepCheck("broadcast", p.broadcast)
	p.keepCheck("echo", p.echo)
	p.mcast.keepIn(p.session)
	p.gen.keepIn(p.session)
	p.rules.keepIn(p.session)
	p.keepTool()
	return p
}

func (p *udpPanel) Title() string {
	if p.ep == nil {
		return tr("UDP")
	}
	return trf("UDP :%d ●", p.ep.LocalAddr().(*net.UDPAddr).Port)
}

// busy reports whether the session is open (Quit asks first).
func (p *udpPanel) busy() bool { return p.ep != nil }

func (p *udpPanel) destinationChoices() []string {
	return append(p.prefs.recent("dsthost"), broadcastAddresses()...)
}

// updateDestination reads the destination fields as they change; a problem is
// reported, at its field, when a send needs them. A send's failure goes with them.
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
	if p.send != nil {
		p.send.causeGone()
	}
}

// showState writes the button and the session bar from the session's state.
func (p *udpPanel) showState() {
	if p.ep == nil {
		p.openBtn.SetText(tr("Open"))
		p.openBtn.SetIcon(theme.MediaPlayIcon())
		return
	}
	p.openBtn.SetText(tr("Close"))
	p.openBtn.SetIcon(theme.MediaStopIcon())
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
// goroutine; an error goes to its field.
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
		p.setError(err)
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
	p.setError(nil)
	p.setFormEnabled(false)
	p.send.SetEnabled(true)
	p.files.SetEnabled(true)
	addr := ep.LocalAddr().String()
	if len(cfg.Join) > 0 {
		groups, iface := strings.Join(cfg.Join, ", "), cfg.Iface
		p.setState(stateActive, func() string {
			return trf("Listening on %s, joined %s on %s", addr, groups, wording.Iface(iface))
		})
	} else {
		p.setState(stateActive, func() string { return trf("Listening on %s", addr) })
	}
	p.showState()
	p.changed()
	return nil
}

func (p *udpPanel) closeEndpoint() {
	p.send.SetEnabled(false)
	p.files.SetEnabled(false)
	p.sep.Store(nil)
	p.ep.Close()
	p.ep = nil
	p.setFormEnabled(true)
	p.setState(stateIdle, func() string { return tr("Closed") })
	p.showState()
	p.changed()
}

// setFormEnabled fixes the settings the socket was opened with while it is open;
// the charset and Broadcast apply to an open socket, so they stay enabled.
func (p *udpPanel) setFormEnabled(on bool) {
	setEnabled(on, p.bindAddr, p.bindPort, p.echo)
	p.mcast.setEnabled(on)
}

// setCharset applies a new charset to the open socket: what is sent and received
// from now on.
func (p *udpPanel) setCharset(cs *charset.Charset) {
	if p.ep != nil {
		p.ep.SetCharset(cs)
	}
	p.rules.apply()
	p.send.edited()
}

func (p *udpPanel) setBroadcast(on bool) {
	p.prefs.set("broadcast", onOff(on))
	if p.send != nil {
		p.send.causeGone() // "turn Broadcast on" goes when it is turned on
	}
	if p.ep != nil {
		if err := p.ep.SetBroadcast(on); err != nil {
			p.setError(err)
		}
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
	p.seq.Stop()
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
