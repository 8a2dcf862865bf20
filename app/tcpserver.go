package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/app/logview"
	"github.com/sockdesk/sockdesk/app/workspace"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/eventlog"
	"github.com/sockdesk/sockdesk/netio/framing"
)

// tcpServerPanel is a TCP server session: listen, serve many clients, show them in
// a table with their counters, send to one or all, disconnect one.
type tcpServerPanel struct {
	*session
	prefs prefs

	bindAddr   *widget.SelectEntry
	bindPort   *widget.Entry
	maxClients *widget.Entry
	echo       *widget.Check
	tls        *tlsServerForm
	startBtn   *widget.Button
	clients    *memberList[netio.ClientInfo]
	target     *widget.Label
	send       *sendBox
	files      *fileBox
	framing    *framingFields
	seq        *sequenceBox

	srv *netio.TCPServer // UI goroutine only; nil while stopped

	live     atomic.Pointer[netio.TCPServer] // for the send worker
	targetID atomic.Uint64                   // for the send worker
}

func newTCPServerPanel(e env) *tcpServerPanel {
	p := &tcpServerPanel{session: newSession(e, string(workspace.TCPServer)), prefs: newPrefs(e.app, "tcpserver")}
	p.rememberCharset(p.prefs)
	p.log.SetSide(logview.SideServer)
	p.bindAddr = widget.NewSelectEntry(hostAddresses())
	p.bindAddr.SetText(p.prefs.get("bind", "0.0.0.0"))
	p.bindPort = widget.NewEntry()
	p.bindPort.SetText(p.prefs.get("port", "9000"))
	p.maxClients = widget.NewEntry()
	p.maxClients.SetText(p.prefs.get("max", "0"))
	p.echo = widget.NewCheck("", func(on bool) { p.prefs.set("echo", onOff(on)) })
	p.echo.SetChecked(p.prefs.get("echo", "") == "on")
	p.tls = newTLSServerForm(e, p.prefs)
	p.startBtn = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), p.toggle)
	p.startBtn.Importance = widget.HighImportance
	p.bar.setAction(p.startBtn)
	p.target = widget.NewLabel("")
	p.target.Truncation = fyne.TextTruncateEllipsis
	p.clients = newMemberList(&memberList[netio.ClientInfo]{
		columns: []memberColumn[netio.ClientInfo]{
			{title: func() string { return tr("Address") }, cell: func(c netio.ClientInfo) string { return c.Addr }},
			{title: func() string { return tr("Family") }, cell: func(c netio.ClientInfo) string { return c.Family }},
			{title: func() string { return tr("Since") }, cell: func(c netio.ClientInfo) string { return c.Since.Format("15:04:05") }},
			{title: func() string { return tr("← In") }, cell: func(c netio.ClientInfo) string { return msgsAndBytes(c.Stats.MsgsIn, c.Stats.BytesIn) }, numeric: true},
			{title: func() string { return tr("→ Out") }, cell: func(c netio.ClientInfo) string { return msgsAndBytes(c.Stats.MsgsOut, c.Stats.BytesOut) }, numeric: true},
		},
		id:     func(c netio.ClientInfo) uint64 { return c.ID },
		allRow: func(n int) string { return trf("All clients (%d)", n) },
		load: func() []netio.ClientInfo {
			if p.srv == nil {
				return nil
			}
			return p.srv.Clients()
		},
		onChoose: p.choose,
		disconnect: func(id uint64) {
			if p.srv != nil {
				if err := p.srv.Disconnect(id); err != nil {
					p.setError(err)
				}
			}
		},
		onChange: p.changed,
	})
	p.clients.onWiden = p.drawer.Refit
	p.send = newSendBox(e, p.prefs, p.Charset, p.sendPayload)
	p.send.SetEnabled(false)
	p.send.watchChecksum(p.sink.setChecksum)
	p.files = newFileBox(e, p.sink, false, p.sendFile)
	// With a client selected, only its bytes are saved.
	p.files.filter = func() eventlog.SaveFilter { return eventlog.SaveFilter{Client: p.clients.selectedID} }
	p.onEvents = p.clients.watch
	p.onCharset = p.setCharset
	p.rules = newRulesBox(p.prefs, p.Charset)
	p.rules.onActive = func(on bool) { p.drawer.SetMarked(toolAutoReply, on) }

	listenAddr, port := func() string { return tr("Listen address") }, func() string { return tr("Port") }
	listen, addrOutline, portOutline := hostPortInput(p.bindAddr, p.bindPort, p.words)
	addrRow := p.form.field(func() string { return tr("Listen on") }, listen, 2).
		also(listenAddr).also(port).part(listenAddr, addrOutline).part(port, portOutline).
		withHint(func() string { return wildcardHint(p.bindAddr.Text) })
	p.bindAddr.OnChanged = func(string) { addrRow.setError(nil) }
	p.bindPort.OnChanged = func(string) { addrRow.setError(nil) }
	maxRow := p.form.field(func() string { return tr("Max clients") }, fit.Width(p.maxClients, 90), 1).
		withHint(func() string { return tr("(0 = no limit)") })
	p.maxClients.OnChanged = func(string) { maxRow.setError(nil) }
	p.form.field(func() string { return tr("Charset") }, p.charset, 0)
	p.framing = addFramingFields(p.form, p.prefs)
	p.form.wide(p.echo)
	p.words(func() {
		p.echo.Text = tr("Echo back")
		p.echo.Refresh()
		p.clients.disconnectBtn.SetText(tr("Disconnect"))
		p.clients.relabel()
		p.framing.relabel()
		p.showTarget()
		p.showState()
	})
	p.setState(stateIdle, func() string { return tr("Stopped") })
	clients := container.NewBorder(nil, container.NewBorder(nil, nil, nil, p.clients.disconnectBtn, p.target), nil, nil, p.clients.object)
	p.addConnectionTool(container.NewBorder(p.form.Object(), nil, nil, nil, clients))
	p.addSendTools(p.send)
	p.addMessagesTool(p.send, p.messageRoute)
	p.addTool(toolTLS, func() string { return tr("TLS") }, theme.VisibilityOffIcon(), p.tls.Object())
	p.addForm(toolTLS, p.tls.form)
	p.tls.onChange = func() { p.drawer.SetMarked(toolTLS, p.tls.tls.Checked) }
	p.tls.update()
	p.addTool(toolAutoReply, func() string { return tr("Auto-reply") }, theme.MailReplyIcon(), p.rules.Object())
	p.addTool(toolFiles, func() string { return tr("Files") }, theme.FolderOpenIcon(), p.files.Object())
	p.addPlotTool(p.prefs)
	p.seq = addSequenceTool(p.session, seqTCPServer, p.sequenceConn)
	p.addAnatomyTool()
	p.words(func() {
		p.tls.relabel()
		p.rules.relabel()
		p.files.relabel()
		p.send.relabel()
	})
	p.rules.changed()

	p.keepEntry("bind", &p.bindAddr.Entry)
	p.keepEntry("port", p.bindPort)
	p.keepEntry("max", p.maxClients)
	p.keepCheck("echo", p.echo)
	p.framing.keepIn(p.session)
	p.tls.keepIn(p.session)
	p.rules.keepIn(p.session)
	p.keepTool()
	return p
}

func (p *tcpServerPanel) Title() string {
	if p.srv == nil {
		return tr("TCP server")
	}
	return trf("TCP server :%d (%d) ●", p.srv.Addr().(*net.TCPAddr).Port, len(p.clients.items))
}

// busy reports whether the server runs (Quit asks first).
func (p *tcpServerPanel) busy() bool { return p.srv != nil }

// showState writes the button from the session's state.
func (p *tcpServerPanel) showState() {
	if p.srv == nil {
		p.startBtn.SetText(tr("Start"))
		p.startBtn.SetIcon(theme.MediaPlayIcon())
		return
	}
	p.startBtn.SetText(tr("Stop"))
	p.startBtn.SetIcon(theme.MediaStopIcon())
}

func (p *tcpServerPanel) toggle() {
	if p.srv != nil {
		p.stopServer()
		return
	}
	host, err := readHost(tr("Listen address"), p.bindAddr.Text, false)
	var port, maxClients int
	if err == nil {
		port, err = readPort(tr("Port"), p.bindPort, true)
	}
	if err == nil {
		maxClients, err = readMaxClients(p.maxClients.Text)
	}
	var tlsOpts *netio.TLSServerOptions
	if err == nil {
		tlsOpts, err = p.tls.options()
	}
	var frame framing.Spec
	var maxFrame int
	if err == nil {
		frame, maxFrame, err = p.framing.spec()
	}
	if err == nil {
		err = bindError(tr("Listen address"), tr("Port"), p.start(hostport.BindAddress(host, port), maxClients, tlsOpts, frame, maxFrame))
	}
	if err != nil {
		p.setError(err)
		return
	}
	p.prefs.set("bind", p.bindAddr.Text)
	p.prefs.set("port", p.bindPort.Text)
	p.prefs.set("max", p.maxClients.Text)
	p.prefs.set("cert", p.tls.certFile.Text)
	p.prefs.set("key", p.tls.keyFile.Text)
	p.framing.remember(p.prefs)
}

func readMaxClients(text string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, &fieldError{tr("Max clients"), fmt.Errorf(tr("%q is not a number from 0 (no limit) to 1000000"), text)}
	}
	return n, nil
}

func (p *tcpServerPanel) start(bind string, maxClients int, tlsOpts *netio.TLSServerOptions, frame framing.Spec, maxFrame int) error {
	p.rules.apply() // for the charset chosen now
	srv := netio.NewTCPServer(netio.TCPServerConfig{
		Bind: bind, MaxClients: maxClients, Echo: p.echo.Checked, Charset: p.Charset(), Sink: p.sink,
		Responder: p.rules.Responder(), TLS: tlsOpts, Frame: frame, MaxFrame: maxFrame,
	})
	if err := srv.Start(context.Background()); err != nil {
		return err
	}
	p.srv = srv
	p.live.Store(srv)
	p.stats = srv.Stats // kept after Stop, so the counters still show the session
	p.setError(nil)
	p.setFormEnabled(false)
	p.send.SetEnabled(true)
	p.files.SetEnabled(true)
	addr := srv.Addr().String()
	if tlsOpts != nil {
		p.setState(stateActive, func() string { return trf("Listening on %s with TLS", addr) + framingState(frame) })
	} else {
		p.setState(stateActive, func() string { return trf("Listening on %s", addr) + framingState(frame) })
	}
	p.showState()
	p.clients.refresh()
	p.changed()
	return nil
}

// stopServer closes the server and every client (reported in the log as closed here).
func (p *tcpServerPanel) stopServer() {
	p.send.SetEnabled(false)
	p.files.SetEnabled(false)
	p.live.Store(nil)
	p.srv.Close()
	p.srv = nil
	p.setFormEnabled(true)
	p.setState(stateIdle, func() string { return tr("Stopped") })
	p.showState()
	p.clients.refresh()
	p.changed()
}

// setFormEnabled fixes the server's settings while it runs; the charset applies to
// a running server, so it stays enabled.
func (p *tcpServerPanel) setFormEnabled(on bool) {
	setEnabled(on, p.bindAddr, p.bindPort, p.maxClients, p.echo)
	p.tls.setEnabled(on)
	p.framing.setEnabled(on)
}

// setCharset applies a new charset to the running server: what is sent and
// received from now on, on every connection.
func (p *tcpServerPanel) setCharset(cs *charset.Charset) {
	if p.srv != nil {
		p.srv.SetCharset(cs)
	}
	p.rules.apply()
	p.send.edited()
}

// choose makes one client (or all, for 0) the log filter and the send target.
func (p *tcpServerPanel) choose(id uint64) {
	p.targetID.Store(id)
	p.log.SetClientFilter(id)
	p.showTarget()
}

// showTarget says where Send sends.
func (p *tcpServerPanel) showTarget() {
	if c, ok := p.clients.selected(); ok {
		p.target.SetText(trf("Sending to: #%d %s", c.ID, c.Addr))
	} else {
		p.target.SetText(tr("Sending to: all clients"))
	}
}

// sendPayload runs on the send box's worker goroutine.
func (p *tcpServerPanel) sendPayload(payload []byte) error {
	srv := p.live.Load()
	if srv == nil {
		return errors.New(tr("the server is stopped: press Start first"))
	}
	if id := p.targetID.Load(); id != 0 {
		return srv.Send(id, payload)
	}
	n, err := srv.SendAll(payload)
	if n == 0 && err == nil {
		return errors.New(tr("no clients are connected"))
	}
	return err
}

// sendFile streams a file to the selected client; it runs on the file box's
// goroutine.
func (p *tcpServerPanel) sendFile(ctx context.Context, path string, opts netio.FileOptions) (int64, error) {
	srv := p.live.Load()
	if srv == nil {
		return 0, errors.New(tr("the server is stopped: press Start first"))
	}
	id := p.targetID.Load()
	if id == 0 {
		return 0, errors.New(tr("choose the client to send the file to"))
	}
	return srv.SendFile(ctx, id, path, opts)
}

// Close stops the server first, so a send blocked on a slow client fails at once
// instead of holding up the send box's Stop.
func (p *tcpServerPanel) Close() {
	p.seq.Stop()
	if p.srv != nil {
		p.live.Store(nil)
		p.srv.Close()
		p.srv = nil
	}
	p.send.Stop()
	p.files.Stop()
	p.stop()
}

// msgsAndBytes is one direction of a member's traffic: "12 msgs · 3.4 KiB".
func msgsAndBytes(msgs, bytes uint64) string {
	count := trf("%s msgs", strconv.FormatUint(msgs, 10))
	if msgs == 1 {
		count = trf("%s msg", "1")
	}
	return count + " · " + formatBytes(float64(bytes))
}
