package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/app/logview"
	"github.com/sockdesk/sockdesk/app/workspace"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/framing"
	"github.com/sockdesk/sockdesk/netio/gen"
)

// tcpClientPanel is a TCP client session: connect to a host and port, send,
// receive, see the peer close.
type tcpClientPanel struct {
	*session
	prefs prefs

	host       *widget.SelectEntry
	port       *widget.Entry
	timeout    *widget.Entry
	tls        *widget.Check
	insecure   *widget.Check
	connectBtn *widget.Button
	send       *sendBox
	files      *fileBox
	seq        *sequenceBox
	gen        *generatorBox
	framing    *framingFields

	// UI goroutine only: the connected client; cancel ends the attempt or the
	// connection (the engine closes a started client when its context ends).
	client     *netio.TCPClient
	cancel     context.CancelFunc
	connecting bool
	closed     bool
	frame      framing.Spec // the framing of the connection made or being made

	live atomic.Pointer[netio.TCPClient] // for the send worker
	wg   sync.WaitGroup                  // the connect attempt, a closing client
}

func newTCPClientPanel(e env) *tcpClientPanel {
	p := &tcpClientPanel{session: newSession(e, string(workspace.TCPClient)), prefs: newPrefs(e.app, "tcpclient")}
	p.rememberCharset(p.prefs)
	p.log.SetSide(logview.SideClient)
	p.host = widget.NewSelectEntry(p.prefs.recent("host"))
	p.host.SetText(p.prefs.get("host", "127.0.0.1"))
	p.port = widget.NewEntry()
	p.port.SetText(p.prefs.get("port", "9000"))
	p.timeout = widget.NewEntry()
	p.timeout.SetText(p.prefs.get("timeout", "10"))
	p.tls, p.insecure = newTLSClientChecks(p.prefs)
	p.connectBtn = widget.NewButtonWithIcon("", theme.LoginIcon(), p.toggle)
	p.connectBtn.Importance = widget.HighImportance
	p.bar.setAction(p.connectBtn)
	p.send = newSendBox(e, p.prefs, p.Charset, p.sendPayload)
	p.send.SetEnabled(false)
	p.send.watchChecksum(p.sink.setChecksum)
	p.files = newFileBox(e, p.sink, false, p.sendFile)
	p.onEvents = p.watch
	p.onCharset = p.setCharset

	server, port := func() string { return tr("Server") }, func() string { return tr("Port") }
	addr, hostOutline, portOutline := hostPortInput(p.host, p.port, p.words)
	hostRow := p.form.field(server, addr, 3).also(port).part(server, hostOutline).part(port, portOutline)
	timeoutRow := p.form.field(func() string { return tr("Timeout (s)") }, fit.Width(p.timeout, 90), 1).also(func() string { return tr("Timeout") })
	p.host.OnChanged = func(string) { hostRow.setError(nil) }
	p.port.OnChanged = func(string) { hostRow.setError(nil) }
	p.timeout.OnChanged = func(string) { timeoutRow.setError(nil) }
	p.form.field(func() string { return tr("Charset") }, p.charset, 0)
	p.framing = addFramingFields(p.form, p.prefs)
	warning := tlsWarning()
	p.form.wide(p.tls)
	p.form.wide(p.insecure)
	p.form.wide(warning)
	p.words(func() {
		tlsClientWords(p.tls, p.insecure, warning)
		p.framing.relabel()
		p.showState()
	})
	p.setState(stateIdle, func() string { return tr("Disconnected") })

	p.gen = newGeneratorBox(e, p.prefs, p.send, p.Charset, p.runGenerator)
	p.gen.onRunning = func(on bool) { p.drawer.SetMarked(toolGenerator, on) }
	p.rules = newRulesBox(p.prefs, p.Charset)
	p.rules.onActive = func(on bool) { p.drawer.SetMarked(toolAutoReply, on) }
	p.addConnectionTool(p.form.Object())
	p.addSendTools(p.send)
	p.addMessagesTool(p.send, p.messageRoute)
	p.addTool(toolGenerator, func() string { return tr("Generator") }, theme.MediaFastForwardIcon(), p.gen.Object())
	p.addTool(toolAutoReply, func() string { return tr("Auto-reply") }, theme.MailReplyIcon(), p.rules.Object())
	p.addTool(toolFiles, func() string { return tr("Files") }, theme.FolderOpenIcon(), p.files.Object())
	p.addPlotTool(p.prefs)
	p.seq = addSequenceTool(p.session, seqTCPClient, p.sequenceConn)
	p.addHandshakeTool()
	p.addAnatomyTool()
	p.words(func() {
		p.gen.relabel()
		p.rules.relabel()
		p.files.relabel()
		p.send.relabel()
	})
	p.rules.changed()

	p.keepEntry("host", &p.host.Entry)
	p.keepEntry("port", p.port)
	p.keepEntry("timeout", p.timeout)
	p.keepCheck("tls", p.tls)
	p.keepCheck("insecure", p.insecure)
	p.framing.keepIn(p.session)
	p.gen.keepIn(p.session)
	p.rules.keepIn(p.session)
	p.keepTool()
	return p
}

func (p *tcpClientPanel) Title() string {
	if p.client == nil {
		return tr("TCP client")
	}
	return trf("TCP → %s ●", p.client.RemoteAddr().String())
}

// busy reports whether the session is connected or connecting (Quit asks first).
func (p *tcpClientPanel) busy() bool { return p.client != nil || p.connecting }

// showState writes the button from the session's state.
func (p *tcpClientPanel) showState() {
	switch {
	case p.connecting:
		p.connectBtn.SetText(tr("Cancel"))
		p.connectBtn.SetIcon(theme.CancelIcon())
	case p.client != nil:
		p.connectBtn.SetText(tr("Disconnect"))
		p.connectBtn.SetIcon(theme.LogoutIcon())
	default:
		p.connectBtn.SetText(tr("Connect"))
		p.connectBtn.SetIcon(theme.LoginIcon())
	}
}

func (p *tcpClientPanel) toggle() {
	switch {
	case p.connecting:
		p.cancel() // the attempt reports back as cancelled
	case p.client != nil:
		p.disconnect(netio.ReasonLocal)
	default:
		p.connect()
	}
}

// connect validates the form and starts a connect attempt on its own goroutine: a
// handshake can take up to the timeout, and the window must not freeze meanwhile.
func (p *tcpClientPanel) connect() {
	host, err := readHost(tr("Server"), p.host.Text, true)
	var port int
	if err == nil {
		port, err = readPort(tr("Port"), p.port, false)
	}
	var timeout time.Duration
	if err == nil {
		timeout, err = readTimeout(p.timeout.Text)
	}
	var frame framing.Spec
	var maxFrame int
	if err == nil {
		frame, maxFrame, err = p.framing.spec()
	}
	p.setError(err)
	if err != nil {
		return
	}
	addr := hostport.Join(host, port)
	var tlsOpts *netio.TLSClientOptions
	if p.tls.Checked {
		tlsOpts = &netio.TLSClientOptions{Insecure: p.insecure.Checked}
	}
	p.rules.apply() // for the charset chosen now
	c := netio.NewTCPClient(netio.TCPClientConfig{Addr: addr, Timeout: timeout, Charset: p.Charset(), Sink: p.sink,
		Responder: p.rules.Responder(), TLS: tlsOpts, Frame: frame, MaxFrame: maxFrame})
	p.frame = frame
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.connecting = cancel, true
	p.setFormEnabled(false)
	p.setState(stateBusy, func() string { return trf("Connecting to %s…", addr) })
	p.showState()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		err := c.Start(ctx)
		p.ui.Do(func() { p.connected(c, err) })
	}()
}

// readTimeout reads the connect timeout in seconds (fractions allowed).
func readTimeout(text string) (time.Duration, error) {
	s, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || s <= 0 || s > 3600 {
		return 0, &fieldError{tr("Timeout"), fmt.Errorf(tr("%q is not a number of seconds between 0 and 3600"), text)}
	}
	return time.Duration(s * float64(time.Second)), nil
}

// connected runs on the UI goroutine when the attempt ends.
func (p *tcpClientPanel) connected(c *netio.TCPClient, err error) {
	p.connecting = false
	if p.closed {
		c.Close() // the tab closed while the handshake finished
		return
	}
	if err != nil {
		p.cancel()
		p.cancel = nil
		p.setFormEnabled(true)
		p.showState()
		if errors.Is(err, context.Canceled) {
			p.setState(stateIdle, func() string { return tr("Connect cancelled") })
		} else {
			p.setState(stateIdle, func() string { return tr("Disconnected") })
			p.setError(hostError(tr("Server"), err))
		}
		return
	}
	p.client = c
	p.live.Store(c)
	p.stats = c.Stats // kept after the connection ends, so the counters still show it
	remote, local := c.RemoteAddr().String(), c.LocalAddr().String()
	frame := p.frame
	p.setState(stateActive, func() string { return trf("Connected to %s from %s", remote, local) + framingState(frame) })
	p.showState()
	p.send.SetEnabled(true)
	p.files.SetEnabled(true)
	p.setError(nil)
	p.prefs.set("host", p.host.Text)
	p.prefs.set("port", p.port.Text)
	p.prefs.set("timeout", p.timeout.Text)
	p.framing.remember(p.prefs)
	p.prefs.addRecent("host", p.host.Text)
	p.host.SetOptions(p.prefs.recent("host"))
	p.changed()
}

// watch ends the session when the connection's closed event is applied: the
// event, not the engine's Done channel, says it ended, so the state never lags
// behind the log (Done closes a moment after the event is queued). A closed event
// of an earlier connection, still queued, is told apart by its local address.
func (p *tcpClientPanel) watch(batch []netio.Event) {
	if p.client == nil {
		return
	}
	local := p.client.LocalAddr().String()
	for _, e := range batch {
		if e.Kind == netio.EventClosed && e.Local == local {
			p.disconnect(e.Reason)
			return
		}
	}
}

// closedState words the end of the connection from this side, a client's, as the
// log's closed row does.
func closedState(r netio.CloseReason) string {
	switch r {
	case netio.ReasonPeerClosed:
		return tr("Disconnected: the server closed the connection")
	case netio.ReasonReset:
		return tr("Disconnected: the server reset the connection")
	case netio.ReasonLocal:
		return tr("Disconnected")
	}
	return tr("Disconnected: the connection failed")
}

// disconnect ends the session's connection, for reason. The client is closed on
// a goroutine of its own (waited for by Close): closing waits for the reader,
// which may still be handing its last event to the session.
func (p *tcpClientPanel) disconnect(reason netio.CloseReason) {
	p.send.SetEnabled(false)
	p.files.SetEnabled(false)
	p.live.Store(nil)
	p.cancel()
	p.cancel = nil
	c := p.client
	p.client = nil
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		c.Close()
	}()
	p.setFormEnabled(true)
	p.setState(stateIdle, func() string { return closedState(reason) })
	p.showState()
	p.changed()
}

// setCharset applies a new charset to the connection: what is sent and received
// from now on.
func (p *tcpClientPanel) setCharset(cs *charset.Charset) {
	if p.client != nil {
		p.client.SetCharset(cs)
	}
	p.rules.apply()
	p.send.edited()
}

// runGenerator sends the generator's messages over the connection; it runs on the
// generator's goroutine.
func (p *tcpClientPanel) runGenerator(ctx context.Context, g *gen.Generator) (gen.Progress, error) {
	c := p.live.Load()
	if c == nil {
		return gen.Progress{}, errors.New(tr("not connected: press Connect first"))
	}
	return g.RunTCP(ctx, c)
}

// setFormEnabled fixes the connection's settings while it is made or open; the
// charset applies to an open connection, so it stays enabled.
func (p *tcpClientPanel) setFormEnabled(on bool) {
	setEnabled(on, p.host, p.port, p.timeout, p.tls)
	setEnabled(on && p.tls.Checked, p.insecure)
	p.framing.setEnabled(on)
}

// sendPayload runs on the send box's worker goroutine.
func (p *tcpClientPanel) sendPayload(payload []byte) error {
	c := p.live.Load()
	if c == nil {
		return errors.New(tr("not connected: press Connect first"))
	}
	return c.Send(payload)
}

// sendFile streams a file over the connection; it runs on the file box's
// goroutine.
func (p *tcpClientPanel) sendFile(ctx context.Context, path string, opts netio.FileOptions) (int64, error) {
	c := p.live.Load()
	if c == nil {
		return 0, errors.New(tr("not connected: press Connect first"))
	}
	return c.SendFile(ctx, path, opts)
}

// Close ends the connection (or the attempt) first, so a send blocked on a slow
// server fails at once instead of holding up the send box's Stop.
func (p *tcpClientPanel) Close() {
	p.seq.Stop()
	p.closed = true
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
	if p.client != nil {
		p.client.Close()
	}
	p.wg.Wait()
	p.send.Stop()
	p.files.Stop()
	p.gen.Stop()
	p.stop()
}
