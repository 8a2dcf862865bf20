package selfsigned

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/sockdesk/sockdesk/internal/tlsverify"
)

// Validity is how long a made-up certificate is valid: long enough
// for a test session, short enough that a copy left on a device soon expires.
const Validity = 7 * 24 * time.Hour

// DefaultHosts are what a self-signed certificate names when no
// hosts are given: this machine over loopback.
var DefaultHosts = []string{"localhost", "127.0.0.1", "::1"}

// Pair is a certificate made up on request, with its key and both in
// PEM, ready to serve or to write out.
type Pair struct {
	Cert            tls.Certificate
	SHA256          string // the certificate's fingerprint, as the listening event shows it
	CertPEM, KeyPEM []byte
}

// New makes an ECDSA P-256 certificate for hosts (names and IP
// addresses; empty means DefaultHosts), valid from an hour ago (for
// clocks a little behind) for validity.
func New(hosts []string, validity time.Duration) (*Pair, error) {
	if len(hosts) == 0 {
		hosts = DefaultHosts
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("netio: self-signed key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("netio: self-signed serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: hosts[0], Organization: []string{"Sockdesk self-signed"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(validity),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		// It signs itself, so it is its own authority: a client given it as a
		// CA file (--ca) then trusts exactly this certificate.
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("netio: self-signed certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("netio: self-signed key: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("netio: self-signed certificate: %w", err)
	}
	return &Pair{
		Cert:    tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
		SHA256:  tlsverify.Fingerprint(der),
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}, nil
}

// Files are the paths WriteFiles writes in dir.
func Files(dir string) (certFile, keyFile string) {
	return filepath.Join(dir, "sockdesk-cert.pem"), filepath.Join(dir, "sockdesk-key.pem")
}

// WriteFiles writes the certificate and the key (readable by the owner only)
// to Files(dir), replacing earlier ones.
func (s *Pair) WriteFiles(dir string) error {
	certFile, keyFile := Files(dir)
	if err := os.WriteFile(keyFile, s.KeyPEM, 0o600); err != nil {
		return fmt.Errorf("netio: write key: %w", err)
	}
	if err := os.WriteFile(certFile, s.CertPEM, 0o644); err != nil {
		return fmt.Errorf("netio: write certificate: %w", err)
	}
	return nil
}
