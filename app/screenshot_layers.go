package app

import (
	"context"
	"net"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/sockdesk/sockdesk/app/logview"
	"github.com/sockdesk/sockdesk/netio"
)

// showLayerTools sets up the screenshot of a layer tool: "anatomy" opens the
// UDP session's demo and, once its datagrams are in the log, selects one and
// opens the Anatomy tool; "handshake" connects the TCP client's demo, then
// disconnects and opens the Handshake tool. It returns what stops the demo,
// and what to do on Fyne's goroutine once the window has rendered.
func showLayerTools(m *mainWindow, panels []panel, show string) (stop, prepare func(), err error) {
	for i, p := range panels {
		switch p := p.(type) {
		case *udpPanel:
			if show != "anatomy" {
				continue
			}
			m.tabs.SelectIndex(i)
			p.demo()
			return func() {}, func() {
				selectRowContaining(p.log, "← ")
				p.drawer.Show(toolAnatomy)
			}, nil
		case *tcpClientPanel:
			if show != "handshake" {
				continue
			}
			m.tabs.SelectIndex(i)
			return p.handshakeDemo()
		}
	}
	return func() {}, func() {}, nil
}

// selectRowContaining selects the last log row whose text contains substr
// (in view while the log follows), as a click on it would.
func selectRowContaining(v *logview.View, substr string) {
	lines := v.Lines()
	for id := len(lines) - 1; id >= 0; id-- {
		if strings.Contains(lines[id], substr) {
			v.Select(id)
			return
		}
	}
}

// handshakeDemo connects the TCP client to an echo server of its own on
// loopback; once the window has rendered it sends one request, reads the
// echo and disconnects, so the diagram shows a whole connection. Loopback
// only. stop stops the server.
func (p *tcpClientPanel) handshakeDemo() (stop, prepare func(), err error) {
	srv := netio.NewTCPServer(netio.TCPServerConfig{Bind: "127.0.0.1:0", Echo: true})
	if err := srv.Start(context.Background()); err != nil {
		return nil, nil, err
	}
	p.host.SetText("127.0.0.1")
	p.port.SetText(strconv.Itoa(srv.Addr().(*net.TCPAddr).Port))
	p.connect()
	return func() { srv.Close() }, func() {
		p.drawer.Show(toolHandshake)
		c := p.live.Load()
		if c == nil {
			return
		}
		c.Send([]byte("AT+STATUS?\r\n"))
		time.AfterFunc(300*time.Millisecond, func() {
			fyne.Do(func() {
				if p.client == c {
					p.disconnect(netio.ReasonLocal)
				}
			})
		})
	}, nil
}
