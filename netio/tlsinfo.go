package netio

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/sockdesk/sockdesk/internal/tlsverify"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// TLSInfo is what a finished TLS handshake agreed on and who the other side
// said it was; the connected and accepted events of a TLS endpoint carry it.
// It is a value: nobody changes it once an event holds it.
type TLSInfo struct {
	Version     string `json:"version,omitempty"`      // "TLS 1.3"
	CipherSuite string `json:"cipher_suite,omitempty"` // "TLS_AES_128_GCM_SHA256"
	ALPN        string `json:"alpn,omitempty"`         // the negotiated protocol, if any
	ServerName  string `json:"server_name,omitempty"`  // client side: the name the certificate was checked against
	// Cert is the peer's certificate: the server's for a client, the client's
	// (if it sent one) for a server; nil when there was none.
	Cert *CertInfo `json:"cert,omitempty"`
	// Verified says the client checked the server's certificate and it passed.
	// When the check was skipped (the insecure option), VerifyProblem says
	// what it would have found, or is empty if the certificate was fine.
	Verified      bool   `json:"verified,omitempty"`
	VerifyProblem string `json:"verify_problem,omitempty"`
}

// CertInfo is what a person checks on a certificate. The texts come from the
// peer and are made safe to show (DisplayText).
type CertInfo struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	Names     []string  `json:"names,omitempty"` // DNS names and IP addresses it is valid for
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	SHA256    string    `json:"sha256"` // fingerprint of the DER bytes, "AB:CD:..."
}

func newCertInfo(c *x509.Certificate) *CertInfo {
	var names []string
	for _, n := range c.DNSNames {
		names = append(names, charset.DisplayText(n))
	}
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	return &CertInfo{
		Subject:   charset.DisplayText(c.Subject.String()),
		Issuer:    charset.DisplayText(c.Issuer.String()),
		Names:     names,
		NotBefore: c.NotBefore.UTC(),
		NotAfter:  c.NotAfter.UTC(),
		SHA256:    tlsverify.Fingerprint(c.Raw),
	}
}

func newTLSInfo(cs tls.ConnectionState) *TLSInfo {
	info := &TLSInfo{
		Version:     tls.VersionName(cs.Version),
		CipherSuite: tls.CipherSuiteName(cs.CipherSuite),
		ALPN:        cs.NegotiatedProtocol,
		ServerName:  cs.ServerName,
	}
	if len(cs.PeerCertificates) > 0 {
		info.Cert = newCertInfo(cs.PeerCertificates[0])
	}
	return info
}

// certTimeLayout is how validity dates are shown.
const certTimeLayout = "2006-01-02 15:04 UTC"

// Summary is the details on one line, as the CLI and log files show them:
//
//	TLS 1.3, TLS_AES_128_GCM_SHA256; certificate CN=localhost (localhost,
//	127.0.0.1), issuer CN=localhost, valid 2026-11-26 00:00 UTC to ..., SHA-256
//	AB:..., verified
func (t *TLSInfo) Summary() string {
	var b strings.Builder
	b.WriteString(t.Version + ", " + t.CipherSuite)
	if t.ALPN != "" {
		b.WriteString(", ALPN " + t.ALPN)
	}
	if t.Cert != nil {
		b.WriteString("; certificate " + t.Cert.Summary())
	}
	switch {
	case t.Verified:
		b.WriteString(", verified")
	case t.VerifyProblem != "":
		b.WriteString(", NOT verified: " + t.VerifyProblem)
	}
	return b.String()
}

// Summary is the certificate on one line: subject (names), issuer, validity
// and fingerprint.
func (c *CertInfo) Summary() string {
	var b strings.Builder
	b.WriteString(orNone(c.Subject))
	if len(c.Names) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(c.Names, ", "))
	}
	fmt.Fprintf(&b, ", issuer %s, valid %s to %s, SHA-256 %s",
		orNone(c.Issuer), c.NotBefore.Format(certTimeLayout), c.NotAfter.Format(certTimeLayout), c.SHA256)
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}
