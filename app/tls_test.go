package app

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/selfsigned"
)

// tlsPeer is a netio TLS server on loopback with a self-signed certificate.
func tlsPeer(t *testing.T, echo bool) (*netio.TCPServer, *netio.CertInfo) {
	t.Helper()
	var own *netio.CertInfo
	ready := make(chan struct{})
	pair, err := selfsigned.New(nil, selfsigned.Validity)
	if err != nil {
		t.Fatal(err)
	}
	srv := netio.NewTCPServer(netio.TCPServerConfig{
		Bind: "127.0.0.1:0", Echo: echo, TLS: &netio.TLSServerOptions{Cert: &pair.Cert},
		Sink: netio.SinkFunc(func(e netio.Event) {
			if e.Kind == netio.EventListening {
				own = e.TLS.Cert
				close(ready)
			}
		}),
	})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	<-ready
	return srv, own
}

func TestTCPClientPanelTLS(t *testing.T) {
	e, q := newTestEnv(t)
	srv, own := tlsPeer(t, true)
	p := newTCPClientPanel(e)
	t.Cleanup(p.Close)
	if !p.insecure.Disabled() {
		t.Error("Skip verification is offered without TLS")
	}
	p.host.SetText("127.0.0.1")
	p.port.SetText(strconv.Itoa(srv.Addr().(*net.TCPAddr).Port))
	test.Tap(p.tls)
	if p.insecure.Disabled() {
		t.Fatal("Skip verification is not offered with TLS")
	}

	// Verification is on by default: the self-signed certificate is refused.
	test.Tap(p.connectBtn)
	uiWait(t, q, "the refusal", func() bool { return strings.Contains(shown(p.session), "unknown authority") })
	if p.client != nil || !strings.Contains(shown(p.session), "Skip verification") {
		t.Errorf("status %q", shown(p.session))
	}

	test.Tap(p.insecure)
	p.charset.SetSelected("GBK")
	test.Tap(p.connectBtn)
	uiWait(t, q, "connected", func() bool { return p.client != nil && logShows(p.log, own.SHA256) })
	if !logShows(p.log, "connected (local") || !logShows(p.log, "certificate NOT verified") ||
		!logShows(p.log, "NOT verified: certificate signed by unknown authority") || !logShows(p.log, "cipher suite TLS_") {
		t.Errorf("log %v", p.log.Lines())
	}
	if !p.tls.Disabled() || !p.insecure.Disabled() {
		t.Error("the TLS checks can be changed while connected")
	}

	p.send.entry.SetText("你好")
	test.Tap(p.send.sendBtn)
	uiWait(t, q, "the echo", func() bool {
		for _, l := range p.log.Lines() {
			if strings.Contains(l, "← [") && strings.HasSuffix(l, "4 B: 你好") {
				return true // GBK both ways: 4 bytes, decoded whole
			}
		}
		return false
	})
	if logShows(p.log, `\x`) {
		t.Errorf("log %v", p.log.Lines())
	}
	if p.prefs.get("tls", "") != "on" || p.prefs.get("insecure", "") != "on" {
		t.Error("the TLS checks are not remembered")
	}
}

func TestTCPServerPanelTLS(t *testing.T) {
	e, q := newTestEnv(t)
	p := newTCPServerPanel(e)
	t.Cleanup(p.Close)
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	test.Tap(p.tls.tls)
	p.tls.selfSigned.SetChecked(false)
	if p.tls.certFile.Disabled() {
		t.Fatal("the certificate's file cannot be entered")
	}
	test.Tap(p.startBtn)
	if p.srv != nil || !strings.Contains(shown(p.session), "Certificate: choose the certificate's file") {
		t.Fatalf("started without a certificate: %q", shown(p.session))
	}

	// A certificate and key from files.
	ss, err := selfsigned.New(nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ss.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := selfsigned.Files(dir)
	p.tls.certFile.SetText(certFile)
	p.tls.keyFile.SetText(certFile) // wrong: not a key
	test.Tap(p.startBtn)
	if p.srv != nil || !strings.Contains(fieldErrors(p.tls.form), "Certificate: ") || p.drawer.Open() != toolTLS {
		t.Fatalf("started with a certificate as its key: %q", shown(p.session))
	}
	p.tls.keyFile.SetText(keyFile)
	test.Tap(p.startBtn)
	if p.srv == nil {
		t.Fatalf("did not start: %q", shown(p.session))
	}
	if !strings.Contains(shown(p.session), "with TLS") || !p.tls.tls.Disabled() || !p.tls.certFile.Disabled() {
		t.Errorf("status %q; form enabled while serving", shown(p.session))
	}
	uiWait(t, q, "the listening line", func() bool { return logShows(p.log, ss.SHA256) })

	// Two TLS clients and one plain one: the plain one is an error line.
	for range 2 {
		c, err := tls.Dial("tcp", p.srv.Addr().String(), &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("hi"))
	}
	plain, err := net.Dial("tcp", p.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	plain.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	plain.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.ReadAll(plain)
	plain.Close()
	uiWait(t, q, "two clients and an error", func() bool {
		return len(p.clients.items) == 2 && logShows(p.log, "does not speak TLS")
	})
	if !logShows(p.log, ") · TLS 1.3") || !logShows(p.log, "accepted via IPv4 (local 127.0.0.1:") || !logShows(p.log, "cipher suite TLS_") {
		t.Errorf("log %v", p.log.Lines())
	}
	if p.prefs.get("cert", "") != certFile || p.prefs.get("tls", "") != "on" || p.prefs.get("selfsigned", "") != "off" {
		t.Error("the TLS settings are not remembered")
	}
}
