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
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/eventlog"
)

// tcpServerPanel is a TCP server session: listen, serve many clients, show them in
// a list with their counters, send to one or all, disconnect one.
type tcpServerPanel struct {
	*session
	prefs prefs

	bindAddr   *widget.SelectEntry
	bindPort   *widget.Entry
	bindHint   *widget.Label
	maxClients *widget.Entry
	echo       *widget.Check
	tls        *tlsServerForm
	startBtn   *widget.Button
	clients    *memberList[netio.ClientInfo]
	target     *widget.Label
	send       *sendBox
	files      *fileBox
	object     fyne.CanvasObject

	srv *netio.TCPServer // UI goroutine only; nil while stopped

	live     atomic.Pointer[netio.TCPServer] // for the send worker
	targetID atomic.Uint64                   // for the send worker
}

func newTCPServerPanel(e env) *tcpServerPanel {
	p := &tcpServerPanel{session: newSession(e), prefs: newPrefs(e.app, "tcpserver")}
	p.rememberCharset(p.prefs)
	p.bindAddr = widget.NewSelectEntry(hostAddresses())
	p.bindAddr.SetText(p.prefs.get("bind", "0.0.0.0"))
	p.bindHint = newBindHint(p.bindAddr)
	p.bindPort = widget.NewEntry()
	p.bindPort.SetText(p.prefs.get("port", "9000"))
	p.maxClients = widget.NewEntry()
	p.maxClients.SetText(p.prefs.get("max", "0"))
	p.echo = widget.NewCheck(tr("Echo back"), func(on bool) { p.prefs.set("echo", onOff(on)) })
	p.echo.SetChecked(p.prefs.get("echo", "") == "on")
	p.tls = newTLSServerForm(e, p.prefs)
	p.startBtn = widget.NewButton(tr("Start"), p.toggle)
	p.startBtn.Importance = widget.HighImportance
	p.target = widget.NewLabel(tr("Sending to: all clients"))
	p.clients = newMemberList(&memberList[netio.ClientInfo]{
		id:     func(c netio.ClientInfo) uint64 { return c.ID },
		allRow: func(n int) string { return trf("All clients (%d)", n) },
		row: func(c netio.ClientInfo) string {
			return trf("#%d %s · %s · since %s · in %s · out %s", c.ID, c.Addr, c.Family, c.Since.Format("15:04:05"),
				formatBytes(float64(c.Stats.BytesIn)), formatBytes(float64(c.Stats.BytesOut)))
		},
		load: func() []netio.ClientInfo {
			if p.srv == nil {
				return nil
			}
			return p.srv.Clients()
		},
		onChoose: p.choose,
		disconnect: func(id uint64) {
			if p.srv != nil {
				p.setError(p.srv.Disconnect(id))
			}
		},
		onChange: p.changed,
	}, 1)
	p.send = newSendBox(e, p.prefs, p.Charset, p.sendPayload)
	p.send.SetEnabled(false)
	p.send.watchChecksum(p.sink.setChecksum)
	p.files = newFileBox(e, p.sink, false, p.sendFile)
	// With a client selected, only its bytes are saved.
	p.files.filter = func() eventlog.SaveFilter { return eventlog.SaveFilter{Client: p.clients.selectedID} }
	p.onEvents = p.clients.watch
	p.rules = newRulesBox(p.prefs, p.Charset)

	form := widget.NewForm(
		widget.NewFormItem(tr("Listen on"), container.NewBorder(nil, nil, nil, container.NewHBox(p.bindHint, widget.NewLabel(tr("port")), fit.Width(p.bindPort, 90)), p.bindAddr)),
		widget.NewFormItem(tr("Max clients"), container.NewHBox(fit.Width(p.maxClients, 70), widget.NewLabel(tr("(0 = no limit)")), widget.NewLabel(tr("Charset")), p.charset, p.echo, p.startBtn)),
		widget.NewFormItem(tr("Security"), p.tls.row()),
	)
	side := container.NewBorder(widget.NewLabelWithStyle(tr("Clients"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewVBox(p.target, p.clients.disconnectBtn), nil, nil, p.clients.widget)
	split := container.NewHSplit(side, p.log.Object())
	split.Offset = 0.3
	top := container.NewVBox(form, widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), p.send.Object(), p.files.Object(), p.rules.Object(), p.counters.Object(), p.status)
	p.object = container.NewBorder(top, bottom, nil, nil, split)
	return p
}

func (p *tcpServerPanel) Object() fyne.CanvasObject { return p.object }

func (p *tcpServerPanel) Title() string {
	if p.srv == nil {
		return tr("TCP server")
	}
	return trf("TCP server :%d (%d) ●", p.srv.Addr().(*net.TCPAddr).Port, len(p.clients.items))
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
	if err == nil {
		err = bindError(tr("Listen address"), tr("Port"), p.start(hostport.BindAddress(host, port), maxClients, tlsOpts))
	}
	if err != nil {
		p.setError(err)
		return
	}
	// start has put "Listening on ..." in the status line, over any old error.
	p.prefs.set("bind", p.bindAddr.Text)
	p.prefs.set("port", p.bindPort.Text)
	p.prefs.set("max", p.maxClients.Text)
	p.prefs.set("cert", p.tls.certFile.Text)
	p.prefs.set("key", p.tls.keyFile.Text)
}

func readMaxClients(text string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, &fieldError{tr("Max clients"), fmt.Errorf(tr("%q is not a number from 0 (no limit) to 1000000"), text)}
	}
	return n, nil
}

func (p *tcpServerPanel) start(bind string, maxClients int, tlsOpts *netio.TLSServerOptions) error {
	p.rules.apply() // for the charset chosen now
	srv := netio.NewTCPServer(netio.TCPServerConfig{
		Bind: bind, MaxClients: maxClients, Echo: p.echo.Checked, Charset: p.Charset(), Sink: p.sink,
		Responder: p.rules.Responder(), TLS: tlsOpts,
	})
	if err := srv.Start(context.Background()); err != nil {
		return err
	}
	p.srv = srv
	p.live.Store(srv)
	p.stats = srv.Stats // kept after Stop, so the counters still show the session
	p.startBtn.SetText(tr("Stop"))
	p.setFormEnabled(false)
	p.send.SetEnabled(true)
	p.files.SetEnabled(true)
	if tlsOpts != nil {
		p.setStatus(trf("Listening on %s with TLS", srv.Addr().String()))
	} else {
		p.setStatus(trf("Listening on %s", srv.Addr().String()))
	}
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
	p.startBtn.SetText(tr("Start"))
	p.setFormEnabled(true)
	p.setStatus(tr("Stopped"))
	p.clients.refresh()
	p.changed()
}

func (p *tcpServerPanel) setFormEnabled(on bool) {
	setEnabled(on, p.bindAddr, p.bindPort, p.maxClients, p.charset, p.echo)
	p.tls.setEnabled(on)
}

// choose makes one client (or all, for 0) the log filter and the send target.
func (p *tcpServerPanel) choose(id uint64) {
	p.targetID.Store(id)
	p.log.SetClientFilter(id)
	if c, ok := p.clients.selected(); ok {
		p.target.SetText(trf("Sending to: #%d %s", id, c.Addr))
	} else if id == 0 {
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
	if p.srv != nil {
		p.live.Store(nil)
		p.srv.Close()
		p.srv = nil
	}
	p.send.Stop()
	p.files.Stop()
	p.stop()
}
