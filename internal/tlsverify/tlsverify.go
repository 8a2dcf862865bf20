package tlsverify

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/sockdesk/sockdesk/internal/neterr"
)

// The checks and the words for TLS that the web trace and the TCP endpoints
// share: how a chain is verified, and how a failed handshake is told to a person.

// VerifyChain checks the server's certificate chain against roots (nil: the
// system's) and the server name, as crypto/tls does by default.
func VerifyChain(certs []*x509.Certificate, serverName string, roots *x509.CertPool) error {
	if len(certs) == 0 {
		return errors.New("the server sent no certificate")
	}
	opts := x509.VerifyOptions{Roots: roots, DNSName: serverName, Intermediates: x509.NewCertPool()}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	if _, err := certs[0].Verify(opts); err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
	}
	return nil
}

// CertProblem is why a certificate did not verify, without Go's "x509: ":
// "certificate signed by unknown authority", "certificate is valid for
// localhost, not example.com", "certificate has expired or is not yet valid: ...".
func CertProblem(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimPrefix(err.Error(), "x509: ")
}

func UnwrapCVE(err error) error {
	if cve, ok := err.(*tls.CertificateVerificationError); ok {
		return cve.Err
	}
	return err
}

// Problem words why a handshake failed, in the terms a person can act on:
// the certificate's problem, the other side not speaking TLS at all, the other
// side refusing the handshake (with the alert it sent), or hanging up.
func Problem(err error) string {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return CertProblem(cve.Err)
	}
	var rhe tls.RecordHeaderError
	if errors.As(err, &rhe) {
		return strings.TrimPrefix(rhe.Msg, "tls: ") + " (the other side does not speak TLS)"
	}
	// A remote alert comes as an OpError "remote error" around the alert.
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" && op.Err != nil {
		return "the other side refused the handshake: " + strings.TrimPrefix(op.Err.Error(), "tls: ")
	}
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the other side closed the connection during the handshake (does it speak TLS?)"
	case neterr.IsReset(err), errors.Is(err, syscall.EPIPE):
		return "the other side reset the connection during the handshake (does it speak TLS?)"
	}
	return strings.TrimPrefix(neterr.Inner(err).Error(), "tls: ")
}

// Fingerprint is the SHA-256 of a certificate's DER bytes as colon-separated
// upper-case hex, the form browsers and openssl show.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	var b strings.Builder
	for i, x := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02X", x)
	}
	return b.String()
}
