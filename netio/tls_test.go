package netio

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/selfsigned"
)

// startTLSServer runs a TLS server on loopback with a self-signed certificate
// written to a temporary directory, and returns it with the certificate's path.
func startTLSServer(t *testing.T, cfg TCPServerConfig) (*TCPServer, *collector, string) {
	t.Helper()
	dir := t.TempDir()
	if cfg.TLS == nil {
		ss, err := selfsigned.New(nil, selfsigned.Validity)
		if err != nil {
			t.Fatal(err)
		}
		if err := ss.WriteFiles(dir); err != nil {
			t.Fatal(err)
		}
		cfg.TLS = &TLSServerOptions{Cert: &ss.Cert}
	}
	srv, col := startServer(t, cfg)
	certFile, _ := selfsigned.Files(dir)
	return srv, col, certFile
}

func dialTLS(addr string, o TLSClientOptions, cs *charset.Charset, sink Sink) (*TCPClient, error) {
	c := NewTCPClient(TCPClientConfig{Addr: addr, Charset: cs, Sink: sink, Timeout: eventtest.WaitTimeout, TLS: &o})
	return c, c.Start(context.Background())
}

func startTLSClient(t *testing.T, addr string, o TLSClientOptions, cs *charset.Charset) (*TCPClient, *collector) {
	t.Helper()
	col := &collector{}
	c, err := dialTLS(addr, o, cs, col)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, col
}

func TestTLSVerifyFailsByDefaultThenInsecureAndCAPass(t *testing.T) {
	srv, sEvents, certFile := startTLSServer(t, TCPServerConfig{})
	own := sEvents.WaitFor(t, "listening", kind(EventListening), 1)[0].TLS
	if own == nil || own.Cert == nil || !strings.Contains(own.Cert.Subject, "localhost") {
		t.Fatalf("listening event lacks the server's certificate: %+v", own)
	}
	addr := srv.Addr().String()

	_, err := dialTLS(addr, TLSClientOptions{}, nil, nil)
	var ua x509.UnknownAuthorityError
	if err == nil || !errors.As(err, &ua) || !strings.Contains(err.Error(), "TLS handshake failed: certificate signed by unknown authority") {
		t.Fatalf("verify by default: got %v", err)
	}
	// The server says its client gave up, and goes on serving.
	e := sEvents.WaitFor(t, "handshake error", kind(EventError), 1)[0]
	if !strings.Contains(e.Err.Error(), "the other side refused the handshake") {
		t.Errorf("server side of a refused certificate: %v", e.Err)
	}

	_, cEvents := startTLSClient(t, addr, TLSClientOptions{Insecure: true}, nil)
	c := cEvents.WaitFor(t, "connected", kind(EventConnected), 1)[0].TLS
	if c == nil || c.Verified || !strings.Contains(c.VerifyProblem, "unknown authority") {
		t.Fatalf("insecure connect details: %+v", c)
	}
	if c.Cert == nil || c.Cert.SHA256 != own.Cert.SHA256 || !strings.HasPrefix(c.Version, "TLS 1.") || c.CipherSuite == "" {
		t.Errorf("details %+v, want the server's certificate %s", c, own.Cert.SHA256)
	}
	if !strings.Contains(c.VerifyProblem, "certificate signed by unknown authority") {
		t.Errorf("verify problem %q", c.VerifyProblem)
	}
	acc := sEvents.WaitFor(t, "accepted", kind(EventAccepted), 1)[0].TLS
	if acc == nil || acc.Version != c.Version || acc.CipherSuite != c.CipherSuite || acc.Cert != nil {
		t.Errorf("server side details %+v vs client's %+v", acc, c)
	}

	_, vEvents := startTLSClient(t, addr, TLSClientOptions{CAFile: certFile}, nil)
	if v := vEvents.WaitFor(t, "connected", kind(EventConnected), 1)[0].TLS; !v.Verified || v.ServerName != "127.0.0.1" {
		t.Errorf("with the written certificate as CA: %+v", v)
	}

	_, err = dialTLS(addr, TLSClientOptions{CAFile: certFile, ServerName: "example.com"}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "certificate is valid for localhost, not example.com") {
		t.Errorf("name mismatch: %v", err)
	}
}

// A certificate and key from files; this one has expired, which the client
// names, and which --insecure lets through.
func TestTLSCertFromFilesExpired(t *testing.T) {
	ss, err := selfsigned.New([]string{"127.0.0.1"}, -time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ss.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := selfsigned.Files(dir)
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file %v %v, want mode 0600", fi, err)
	}
	srv, _, _ := startTLSServer(t, TCPServerConfig{TLS: &TLSServerOptions{CertFile: certFile, KeyFile: keyFile}})
	_, err = dialTLS(srv.Addr().String(), TLSClientOptions{CAFile: certFile}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "certificate has expired") {
		t.Errorf("expired certificate: %v", err)
	}
	_, col := startTLSClient(t, srv.Addr().String(), TLSClientOptions{Insecure: true}, nil)
	if c := col.WaitFor(t, "connected", kind(EventConnected), 1)[0].TLS; c.Cert.SHA256 != ss.SHA256 {
		t.Errorf("served %s, want the file's %s", c.Cert.SHA256, ss.SHA256)
	}
}

// Send and receive over TLS as over TCP: a GBK character split across two
// records decodes whole, counters count the plain bytes, half-close ends the
// server's side as "peer closed".
func TestTLSRoundTripSplitGBK(t *testing.T) {
	gbk := charset.MustLookup("gbk")
	srv, sEvents, _ := startTLSServer(t, TCPServerConfig{Charset: gbk})
	cli, cEvents := startTLSClient(t, srv.Addr().String(), TLSClientOptions{Insecure: true}, gbk)
	sEvents.WaitFor(t, "accepted", kind(EventAccepted), 1)

	msg, _ := gbk.Encode("中文")
	if err := cli.Send(msg[:1]); err != nil { // half of 中: one record
		t.Fatal(err)
	}
	sEvents.WaitFor(t, "first record", kind(EventReceived), 1)
	if err := cli.Send(msg[1:]); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, e := range sEvents.WaitFor(t, "second record", kind(EventReceived), 2) {
		text.WriteString(e.Text)
	}
	if text.String() != "中文" {
		t.Errorf("server decoded %q", text.String())
	}
	reply, _ := gbk.Encode("收到")
	if err := srv.Send(1, reply); err != nil {
		t.Fatal(err)
	}
	if r := cEvents.WaitFor(t, "reply", kind(EventReceived), 1)[0]; r.Text != "收到" {
		t.Errorf("client got %q", r.Text)
	}
	if st := srv.Stats(); st.BytesIn != uint64(len(msg)) || st.BytesOut != uint64(len(reply)) {
		t.Errorf("server counted %+v", st)
	}
	if err := cli.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if c := sEvents.WaitFor(t, "closed", kind(EventClosed), 1)[0]; c.Reason != ReasonPeerClosed {
		t.Errorf("half-close over TLS ended as %q (%v)", c.Reason, c.Err)
	}
	<-cli.Done()
}

func TestTLSServerSeveralClients(t *testing.T) {
	const n = 5
	srv, sEvents, certFile := startTLSServer(t, TCPServerConfig{})
	var cols []*collector
	for range n {
		_, col := startTLSClient(t, srv.Addr().String(), TLSClientOptions{CAFile: certFile}, nil)
		cols = append(cols, col)
	}
	sEvents.WaitFor(t, "accepted", kind(EventAccepted), n)
	if got := len(srv.Clients()); got != n {
		t.Fatalf("%d clients listed, want %d", got, n)
	}
	if sent, err := srv.SendAll([]byte("to all")); sent != n || err != nil {
		t.Fatalf("SendAll: %d, %v", sent, err)
	}
	for i, col := range cols {
		if r := col.WaitFor(t, "broadcast", kind(EventReceived), 1)[0]; r.Text != "to all" {
			t.Errorf("client %d got %q", i, r.Text)
		}
	}
}

// A plain TCP client at a TLS server gets the connection closed; the server
// says why and keeps serving.
func TestTLSServerPlainClient(t *testing.T) {
	srv, sEvents, _ := startTLSServer(t, TCPServerConfig{})
	conn, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("hello\r\n"))
	conn.SetReadDeadline(time.Now().Add(eventtest.WaitTimeout))
	if _, err := io.ReadAll(conn); err != nil {
		t.Errorf("the plain client should see the connection closed, got %v", err)
	}
	e := sEvents.WaitFor(t, "error", kind(EventError), 1)[0]
	if !strings.Contains(e.Err.Error(), "(the other side does not speak TLS)") || e.Peer != conn.LocalAddr().String() {
		t.Errorf("error event %s", show(e))
	}
	if len(srv.Clients()) != 0 {
		t.Errorf("a failed handshake is listed: %+v", srv.Clients())
	}
	_, col := startTLSClient(t, srv.Addr().String(), TLSClientOptions{Insecure: true}, nil)
	col.WaitFor(t, "connected", kind(EventConnected), 1)
}

// A TLS client at a server that never answers gives up within its timeout and
// says the server may not speak TLS.
func TestTLSClientSilentServer(t *testing.T) {
	srv, _ := startServer(t, TCPServerConfig{})
	c := NewTCPClient(TCPClientConfig{Addr: srv.Addr().String(), Timeout: 200 * time.Millisecond, TLS: &TLSClientOptions{}})
	err := c.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "does the server speak TLS?") {
		t.Errorf("got %v", err)
	}
}

// Stopping the server ends a handshake that is still waiting, at once and
// without an error event.
func TestTLSServerCloseDuringHandshake(t *testing.T) {
	srv, sEvents, _ := startTLSServer(t, TCPServerConfig{})
	conn, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	srv.Close()
	for _, e := range sEvents.Events() {
		if e.Kind == EventError {
			t.Errorf("closing reported %s", show(e))
		}
	}
}

func TestTLSOptionErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		o    TLSServerOptions
		want string
	}{
		{"both", TLSServerOptions{Cert: &tls.Certificate{}, CertFile: "c.pem"}, "not both"},
		{"no key", TLSServerOptions{CertFile: "c.pem"}, "needs both"},
		{"missing", TLSServerOptions{CertFile: dir + "/nope.pem", KeyFile: dir + "/nope.key"}, "no such file"},
	} {
		s := NewTCPServer(TCPServerConfig{Bind: "127.0.0.1:0", TLS: &tc.o})
		if err := s.Start(context.Background()); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
		s.Close()
	}
	_, err := dialTLS("127.0.0.1:9", TLSClientOptions{CAFile: dir + "/nope.pem"}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "CA file") {
		t.Errorf("missing CA file: %v", err)
	}
}
