package app

import (
	"fmt"
	"image"
	"image/png"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/theme"
	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// envLanguage overrides the language of a screenshot, envSize its window size
// (see RunScreenshot).
const (
	envLanguage = "SOCKDESK_LANG"
	envSize     = "SOCKDESK_SIZE"
)

// screenshotSize is the window's size in a screenshot unless SOCKDESK_SIZE says
// otherwise: the app's default size.
var screenshotSize = fyne.NewSize(1000, 700)

// parseSize reads "WIDTHxHEIGHT", e.g. 1280x900.
func parseSize(s string) (fyne.Size, error) {
	w, h, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "x")
	wn, err1 := strconv.Atoi(w)
	hn, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil || wn < 320 || hn < 240 || wn > 8192 || hn > 8192 {
		return fyne.Size{}, fmt.Errorf("screenshot: %s=%q: want WIDTHxHEIGHT, e.g. 1280x900", envSize, s)
	}
	return fyne.NewSize(float32(wn), float32(hn)), nil
}

// screenshotDelay lets the window be laid out and painted before it is captured.
const screenshotDelay = 1500 * time.Millisecond

// RunScreenshot opens the main window with one session of each kind, renders it with
// the real driver, saves a PNG of it to path and quits. It is how CI and the docs
// see the app as a person would. show picks the tab in front: "" or "udp" for the
// UDP session with a little loopback traffic, "plot" for its Plot tool fed by
// generators on loopback, "tcpclient" for a TCP client talking
// to a loopback server, "tcpserver" for a TCP server with a few loopback clients,
// "relay" for a TCP relay in front of a loopback echo server, "trace" for a web
// trace of a page served on loopback, "messages" for the UDP session with the
// Messages tool open, "messageedit" with a message's editor over it, "sequence"
// for a TCP client running a sequence with a failed step, "anatomy" for the UDP
// session with a received datagram drawn as its frames, "handshake" for the TCP
// client's connection drawn as a sequence diagram. SOCKDESK_SIZE=WIDTHxHEIGHT sets the
// window's size (1000x700, the default window, unless set).
//
// The window speaks the language saved in the preferences, unless the environment
// variable SOCKDESK_LANG names one ("en" or "zh-Hans"), so the docs can show both:
//
//	SOCKDESK_LANG=zh-Hans xvfb-run -a sockdesk --screenshot docs/sockdesk-zh.png udp
//
// (Fyne's own words, such as a dialog's OK, still follow the system locale: LANG.)
func RunScreenshot(a fyne.App, path, show string) error {
	i18n.UsePreference(a)
	if code, ok := os.LookupEnv(envLanguage); ok {
		if !knownLanguage(code) {
			return fmt.Errorf("screenshot: %s=%q: no such language (en, zh-Hans)", envLanguage, code)
		}
		i18n.Set(code)
	}
	size := screenshotSize
	if v, ok := os.LookupEnv(envSize); ok {
		var err error
		if size, err = parseSize(v); err != nil {
			return err
		}
	}
	m := newMainWindow(env{app: a, win: a.NewWindow("Sockdesk"), ui: fyneUI{}})
	delay := screenshotDelay
	panels := make([]panel, len(sessionKinds))
	for i, k := range sessionKinds {
		panels[i] = m.openSession(m.newChooserTab(), k)
	}
	var prepare func() // run on Fyne's goroutine once the window has rendered, before the capture
	switch show {
	case "anatomy", "handshake":
		stop, then, err := showLayerTools(m, panels, show)
		if err != nil {
			return err
		}
		defer stop()
		prepare = then
	case "", "udp":
		m.tabs.SelectIndex(0)
		panels[0].(*udpPanel).demo()
	case "plot":
		m.tabs.SelectIndex(0)
		stop, err := panels[0].(*udpPanel).plotDemo()
		if err != nil {
			return err
		}
		defer stop()
		delay += plotDemoFeed
	case "messages":
		m.tabs.SelectIndex(0)
		panels[0].(*udpPanel).messagesDemo()
	case "messageedit":
		m.tabs.SelectIndex(0)
		panels[0].(*udpPanel).messageEditDemo()
	case "trace":
		m.tabs.SelectIndex(len(panels) - 1)
		stop, err := panels[len(panels)-1].(*tracePanel).demo()
		if err != nil {
			return err
		}
		defer stop()
	case "relay", "tcpserver", "tcpclient":
		for i, p := range panels {
			var stop func()
			var err error
			switch p := p.(type) {
			case *relayPanel:
				if show == "relay" {
					stop, err = p.demo()
				}
			case *tcpServerPanel:
				if show == "tcpserver" {
					stop, err = p.demo()
				}
			case *tcpClientPanel:
				if show == "tcpclient" {
					stop, err = p.demo()
				}
			}
			if err != nil {
				return err
			}
			if stop != nil {
				m.tabs.SelectIndex(i)
				defer stop()
			}
		}
	case "sequence":
		for i, p := range panels {
			if c, ok := p.(*tcpClientPanel); ok {
				stop, err := c.sequenceDemo()
				if err != nil {
					return err
				}
				m.tabs.SelectIndex(i)
				defer stop()
			}
		}
	default:
		return fmt.Errorf("screenshot: no such view %q (udp, plot, messages, messageedit, tcpclient, tcpserver, relay, trace, sequence, anatomy, handshake)", show)
	}
	// Lay each session out at about the window's size first: a word-wrapped label
	// in a tab not shown yet (the trace's status line) measures one word a line
	// while it has no width, and the tabs would make the window that much taller.
	for _, p := range panels {
		p.Object().Resize(size)
	}
	m.win.Resize(size)
	m.win.Show()
	var saveErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(delay)
		// Wait for a demo trace to finish (bounded by its own timeout).
		for i := 0; i < 50 && tracing(m); i++ {
			time.Sleep(100 * time.Millisecond)
		}
		if prepare != nil {
			fyne.DoAndWait(prepare)
			time.Sleep(screenshotDelay / 2)
		}
		fyne.DoAndWait(func() {
			saveErr = savePNG(path, m.capture())
			m.closeAll()
			a.Quit()
		})
	}()
	a.Run()
	<-done
	return saveErr
}

func savePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("screenshot: %w", err)
	}
	return f.Close()
}

// capture reads the window's pixels from the GL driver. Under Xvfb with Mesa the GL
// front buffer can read back empty although the window shows fine; then the same
// content is painted again by Fyne's software painter at the size it has in the
// window (below the menu bar, which the software painter does not draw), and we
// say so.
func (m *mainWindow) capture() image.Image {
	img := m.win.Canvas().Capture()
	if !isBlank(img) {
		return img
	}
	fmt.Fprintln(os.Stderr, "sockdesk: the GL front buffer read back blank; painting the window with the software renderer")
	content := m.win.Content()
	pad := 2 * theme.Padding()
	size := content.Size().Add(fyne.NewSize(pad, pad))
	c := software.NewCanvas()
	c.SetContent(content)
	// A dialog in front (the message editor's screenshot) is painted too.
	if top := m.win.Canvas().Overlays().Top(); top != nil {
		c.Overlays().Add(top)
	}
	c.Resize(size)
	return c.Capture()
}

// isBlank reports whether every pixel of img is the same colour.
func isBlank(img image.Image) bool {
	b := img.Bounds()
	if b.Empty() {
		return true
	}
	first := img.At(b.Min.X, b.Min.Y)
	r0, g0, b0, a0 := first.RGBA()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			if r != r0 || g != g0 || bl != b0 || a != a0 {
				return false
			}
		}
	}
	return true
}

// demo opens the UDP session on loopback with GBK and sends it a few datagrams of its
// own, so a screenshot shows a live log with Chinese text. Loopback only.
func (p *udpPanel) demo() {
	p.charset.SetSelected("GBK")
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	p.open()
	if p.ep == nil {
		return
	}
	self := p.ep.LocalAddr().String()
	p.dstHost.SetText("127.0.0.1")
	p.dstPort.SetText(strconv.Itoa(p.ep.LocalAddr().(*net.UDPAddr).Port))
	for i := range 12 {
		for _, text := range []string{"你好，Sockdesk", "温度=23.5℃ 湿度=41%", "STATUS OK\r\n"} {
			if i > 0 && text == "你好，Sockdesk" {
				text = fmt.Sprintf("读数 %d: 温度=%.1f℃", i, 23.5+float64(i)/10)
			}
			if payload, err := payload.Parse(text, payload.ModeEscapes, p.Charset()); err == nil {
				p.ep.SendTo(self, payload)
			}
		}
	}
	p.send.entry.SetText("你好")
}

// tracing reports whether a demo trace is still running.
func tracing(m *mainWindow) bool {
	running := false
	fyne.DoAndWait(func() {
		for _, p := range m.panels {
			if tp, ok := p.(*tracePanel); ok && tp.running {
				running = true
			}
		}
	})
	return running
}

// demo serves a small GBK page on loopback and traces it, so a screenshot shows a
// complete waterfall. The returned function stops the server.
func (p *tracePanel) demo() (func(), error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	gbk, _ := charset.Lookup("gbk")
	page, _ := gbk.Encode("<!doctype html>\n<title>设备状态</title>\n<p>温度 23.5℃，一切正常</p>\n")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=gbk")
		w.Write(page)
	})}
	go srv.Serve(ln)
	p.url.SetText("http://" + ln.Addr().String() + "/status")
	p.start()
	return func() { srv.Close() }, nil
}
