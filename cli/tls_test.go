package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/selfsigned"
)

// tlsOf is the tls object of a JSON event line, as a script reads it.
func tlsOf(t *testing.T, line string) *netio.TLSInfo {
	t.Helper()
	var e struct {
		TLS *netio.TLSInfo `json:"tls"`
	}
	if err := json.Unmarshal([]byte(line), &e); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	return e.TLS
}

func lineWith(t *testing.T, r *cliRun, event string) string {
	t.Helper()
	for _, l := range r.stdout.lines() {
		if strings.Contains(l, `"event":"`+event+`"`) {
			return l
		}
	}
	t.Fatalf("no %s line in %q", event, r.stdout)
	return ""
}

func TestTLSServeSelfSignedAndConnect(t *testing.T) {
	dir := t.TempDir()
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--echo", "--json",
		"--tls", "--self-signed", "--self-signed-out", dir)
	to := addr("127.0.0.1", srv.waitPort())
	own := tlsOf(t, lineWith(t, srv, "listening"))
	certFile := filepath.Join(dir, "sockdesk-cert.pem")
	if own == nil || own.Cert == nil || len(own.Cert.SHA256) != 95 {
		t.Fatalf("listening line without the certificate's fingerprint: %q", srv.stdout)
	}
	srv.stderr.waitFor(t, "the written-to note", func(ls []string) bool {
		return len(ls) == 1 && strings.Contains(ls[0], "--ca "+certFile)
	})

	// Verify is on by default: a self-signed certificate is refused, with a hint.
	code, _, stderr := run(t, nil, "tcp", "connect", to, "--tls", "--send", "x")
	if msg := oneLine(t, stderr); code != 1 || !strings.Contains(msg, "certificate signed by unknown authority") || !strings.Contains(msg, "--insecure") {
		t.Errorf("exit %d, %q", code, msg)
	}

	// --insecure connects and says the certificate did not verify.
	code, out, stderr := run(t, nil, "tcp", "connect", to, "--tls", "--insecure", "--send", "hello", "--count", "1")
	if code != 0 || !strings.Contains(out, "TLS: TLS 1.3") || !strings.Contains(out, "NOT verified: certificate signed by unknown authority") ||
		!strings.Contains(out, own.Cert.SHA256) || !strings.Contains(out, "hello") {
		t.Errorf("--insecure: exit %d, stdout %q, stderr %q", code, out, stderr)
	}

	// --ca with the written certificate verifies, and GBK text goes both ways.
	c := start(t, nil, "tcp", "connect", to, "--tls", "--ca", certFile, "--charset", "gbk", "--send", "你好", "--count", "1", "--json")
	if code := c.wait(); code != 0 {
		t.Fatalf("--ca: exit %d, stderr %q", code, c.stderr)
	}
	if info := tlsOf(t, lineWith(t, c, "connected")); info == nil || !info.Verified || info.Cert.SHA256 != own.Cert.SHA256 {
		t.Errorf("--ca connected: %+v", info)
	}
	if r := filter(c.events(), is("received")); len(r) != 1 || r[0].Text != "你好" || r[0].Hex != "c4e3bac3" {
		t.Errorf("echo over TLS: %+v", r)
	}
	// Only the two clients that finished the handshake were accepted.
	if acc := srv.waitEvents("accepted", 2, is("accepted")); len(acc) != 2 || tlsOf(t, lineWith(t, srv, "accepted")).CipherSuite == "" {
		t.Errorf("accepted %+v", acc)
	}
	// The refused client is an error line, and the server went on serving.
	if errs := srv.waitEvents("handshake error", 1, is("error")); !strings.Contains(errs[0].Error, "refused the handshake") {
		t.Errorf("server error %+v", errs[0])
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("server exit %d: %s", code, srv.stderr)
	}
}

func TestTLSServeCertFromFiles(t *testing.T) {
	dir := t.TempDir()
	ss, err := selfsigned.New([]string{"localhost"}, selfsigned.Validity)
	if err != nil {
		t.Fatal(err)
	}
	if err := ss.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := selfsigned.Files(dir)
	srv := start(t, nil, "tcp", "serve", "--port", "0", "--bind", "127.0.0.1", "--echo", "--json", "--tls", "--cert", certFile, "--key", keyFile)
	to := addr("127.0.0.1", srv.waitPort())
	code, out, stderr := run(t, nil, "tcp", "connect", to, "--tls", "--ca", certFile, "--servername", "localhost", "--send", "ping", "--count", "1")
	if code != 0 || !strings.Contains(out, ss.SHA256+", verified") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	// A plain client at the TLS server: the server says why and keeps going.
	code, _, _ = run(t, nil, "tcp", "connect", to, "--send", "plain", "--count", "1", "--timeout", "2s")
	if code != 0 {
		t.Errorf("plain client exit %d", code)
	}
	if e := srv.waitEvents("handshake error", 1, is("error"))[0]; !strings.Contains(e.Error, "does not speak TLS") {
		t.Errorf("server error %+v", e)
	}
}

func TestTLSUsageErrors(t *testing.T) {
	dir := t.TempDir()
	ss, err := selfsigned.New(nil, selfsigned.Validity)
	if err != nil {
		t.Fatal(err)
	}
	if err := ss.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := selfsigned.Files(dir)
	missing := filepath.Join(dir, "missing.pem")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tcp", "connect", "127.0.0.1:9", "--insecure"}, "--insecure: only with --tls"},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--ca", certFile}, "--ca: only with --tls"},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--tls", "--ca", missing}, "--ca: CA file: open " + missing},
		{[]string{"tcp", "connect", "127.0.0.1:9", "--tls", "--ca", keyFile}, "--ca: CA file " + keyFile + ": no PEM certificate in it"},
		{[]string{"tcp", "serve", "--port", "0", "--cert", certFile}, "--cert: only with --tls"},
		{[]string{"tcp", "serve", "--port", "0", "--tls"}, "--tls: needs a certificate: --cert FILE --key FILE, or --self-signed"},
		{[]string{"tcp", "serve", "--port", "0", "--tls", "--cert", certFile}, "--cert: needs --key"},
		{[]string{"tcp", "serve", "--port", "0", "--tls", "--key", keyFile}, "--key: needs --cert"},
		{[]string{"tcp", "serve", "--port", "0", "--tls", "--cert", keyFile, "--key", keyFile}, "--cert/--key: "},
		{[]string{"tcp", "serve", "--port", "0", "--tls", "--self-signed", "--cert", certFile}, "--self-signed: not with --cert/--key"},
		{[]string{"tcp", "serve", "--port", "0", "--tls", "--self-signed", "--self-signed-out", missing}, "--self-signed-out: "},
		{[]string{"tcp", "serve", "--port", "0", "--tls", "--cert", certFile, "--key", keyFile, "--self-signed-out", dir}, "--self-signed-out: only with --self-signed"},
		{[]string{"tcp", "serve", "--port", "0", "--tls", "--self-signed", "--self-signed-hosts", " , "}, "--self-signed-hosts: no names"},
	} {
		code, _, stderr := run(t, nil, tc.args...)
		if msg := oneLine(t, stderr); code != 2 || !strings.HasPrefix(msg, "sockdesk: "+tc.want) {
			t.Errorf("%q: exit %d, %q, want %q", tc.args, code, msg, tc.want)
		}
	}
}
