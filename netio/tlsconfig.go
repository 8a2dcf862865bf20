package netio

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/sockdesk/sockdesk/internal/neterr"
	"github.com/sockdesk/sockdesk/internal/tlsverify"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// TLSClientOptions turn a TCP client into a TLS client. The server's
// certificate is verified unless Insecure says otherwise.
type TLSClientOptions struct {
	// ServerName is the name the certificate must be valid for (and the SNI
	// sent); "" means the host of the address connected to.
	ServerName string
	// Insecure connects even when the certificate does not verify. The check
	// still runs, and the connected event says what it found.
	Insecure bool
	// CAFile is a PEM file of the authorities to trust instead of the system's,
	// e.g. the certificate a self-signed server wrote out.
	CAFile string
}

// TLSServerOptions turn a TCP server into a TLS server, with a certificate and
// key from PEM files, or Cert given ready (package selfsigned makes one up).
type TLSServerOptions struct {
	CertFile, KeyFile string
	Cert              *tls.Certificate
	// HandshakeTimeout bounds each client's handshake; 0 means
	// DefaultConnectTimeout.
	HandshakeTimeout time.Duration
}

// LoadCAFile reads a PEM file of certificates to trust.
func LoadCAFile(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("netio: CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("netio: CA file %s: no PEM certificate in it", path)
	}
	return pool, nil
}

// LoadKeyPair reads a certificate (PEM, the chain after it if any) and its
// private key (PEM).
func LoadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return cert, fmt.Errorf("netio: certificate %s, key %s: %w", certFile, keyFile, neterr.Inner(err))
	}
	return cert, nil
}

// clientTLS is the client side of one connection: its config, and what the
// certificate check found (the check runs even when Insecure lets it pass).
type clientTLS struct {
	cfg       *tls.Config
	verifyErr error
}

// newClientTLS builds the config for a connection to host. crypto/tls's own
// check is replaced by the same check in VerifyConnection (the documented way
// to verify differently), so that its verdict can be shown even when ignored.
func newClientTLS(o *TLSClientOptions, host string) (*clientTLS, error) {
	name := o.ServerName
	if name == "" {
		name = host
		if a, err := netip.ParseAddr(host); err == nil {
			name = a.WithZone("").String() // certificates name addresses without zones
		}
	}
	var roots *x509.CertPool
	if o.CAFile != "" {
		var err error
		if roots, err = LoadCAFile(o.CAFile); err != nil {
			return nil, err
		}
	}
	ct := &clientTLS{}
	ct.cfg = &tls.Config{
		ServerName:         name,
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			ct.verifyErr = tlsverify.VerifyChain(cs.PeerCertificates, name, roots)
			if ct.verifyErr != nil && !o.Insecure {
				return ct.verifyErr
			}
			return nil
		},
	}
	return ct, nil
}

// info is the connected event's TLS details.
func (ct *clientTLS) info(cs tls.ConnectionState) *TLSInfo {
	ti := newTLSInfo(cs)
	ti.ServerName = ct.cfg.ServerName
	ti.Verified = ct.verifyErr == nil
	if ct.verifyErr != nil {
		ti.VerifyProblem = charset.DisplayText(tlsverify.CertProblem(tlsverify.UnwrapCVE(ct.verifyErr))) // it quotes the peer's names
	}
	return ti
}

// serverTLS loads or makes the server's certificate and returns the config,
// with the certificate's details for the listening event.
func serverTLS(o *TLSServerOptions) (*tls.Config, *CertInfo, error) {
	var cert tls.Certificate
	switch {
	case o.Cert != nil && (o.CertFile != "" || o.KeyFile != ""):
		return nil, nil, errors.New("netio: tls: a certificate given or one from files, not both")
	case o.Cert != nil:
		cert = *o.Cert
	case o.CertFile == "" || o.KeyFile == "":
		return nil, nil, errors.New("netio: tls: a certificate needs both its file and its key's file")
	default:
		var err error
		if cert, err = LoadKeyPair(o.CertFile, o.KeyFile); err != nil {
			return nil, nil, err
		}
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return nil, nil, fmt.Errorf("netio: tls certificate: %w", err)
	}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		// Ask for a client certificate (to show it) but require none.
		ClientAuth: tls.RequestClientCert,
	}
	return cfg, newCertInfo(leaf), nil
}
