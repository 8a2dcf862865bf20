package cli

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/selfsigned"
)

// tlsClientFlags are `tcp connect`'s TLS flags: --tls turns TLS on, the others
// only tune it and so need it.
type tlsClientFlags struct {
	on         bool
	insecure   bool
	serverName string
	ca         string
}

func (f *tlsClientFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.on, "tls", false, "connect with TLS (the certificate is verified)")
	fs.BoolVar(&f.insecure, "insecure", false, "TLS: connect even if the certificate does not verify")
	fs.StringVar(&f.serverName, "servername", "", "TLS: the name the certificate must be valid for")
	fs.StringVar(&f.ca, "ca", "", "TLS: trust the certificates in this PEM file instead of the system's")
}

// parse checks the flags together and returns the engine's options (nil
// without --tls). A CA file that cannot be read is bad input, found here.
func (f *tlsClientFlags) parse(fs *flag.FlagSet) (*netio.TLSClientOptions, error) {
	if !f.on {
		if name := firstSet(fs, "insecure", "servername", "ca"); name != "" {
			return nil, usageErr("--%s: only with --tls", name)
		}
		return nil, nil
	}
	if f.ca != "" {
		if _, err := netio.LoadCAFile(f.ca); err != nil {
			return nil, usageErr("--ca: %s", errText(err))
		}
	}
	if strings.TrimSpace(f.serverName) == "" && isSet(fs, "servername") {
		return nil, usageErr("--servername: empty; give the name the certificate is for")
	}
	return &netio.TLSClientOptions{ServerName: f.serverName, Insecure: f.insecure, CAFile: f.ca}, nil
}

// tlsServerFlags are `tcp serve`'s TLS flags: a certificate from files, or one
// made up on start (and optionally written out for clients to trust).
type tlsServerFlags struct {
	on         bool
	cert, key  string
	selfSigned bool
	outDir     string
	hosts      string
	pair       *selfsigned.Pair // the made-up certificate, once parse has made it
}

func (f *tlsServerFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.on, "tls", false, "serve TLS")
	fs.StringVar(&f.cert, "cert", "", "TLS: the certificate's PEM file")
	fs.StringVar(&f.key, "key", "", "TLS: the private key's PEM file")
	fs.BoolVar(&f.selfSigned, "self-signed", false, "TLS: make up a certificate on start")
	fs.StringVar(&f.outDir, "self-signed-out", "", "TLS: write the made-up certificate and key to this directory")
	fs.StringVar(&f.hosts, "self-signed-hosts", "", "TLS: names and addresses the made-up certificate is for, comma-separated")
}

func (f *tlsServerFlags) parse(fs *flag.FlagSet) (*netio.TLSServerOptions, error) {
	if !f.on {
		if name := firstSet(fs, "cert", "key", "self-signed", "self-signed-out", "self-signed-hosts"); name != "" {
			return nil, usageErr("--%s: only with --tls", name)
		}
		return nil, nil
	}
	files := isSet(fs, "cert") || isSet(fs, "key")
	switch {
	case f.selfSigned && files:
		return nil, usageErr("--self-signed: not with --cert/--key (one certificate or the other)")
	case !f.selfSigned && !files:
		return nil, usageErr("--tls: needs a certificate: --cert FILE --key FILE, or --self-signed")
	case !f.selfSigned:
		if name := firstSet(fs, "self-signed-out", "self-signed-hosts"); name != "" {
			return nil, usageErr("--%s: only with --self-signed", name)
		}
		return f.fromFiles()
	}
	if f.outDir != "" {
		if fi, err := os.Stat(f.outDir); err != nil || !fi.IsDir() {
			return nil, usageErr("--self-signed-out: %q is not a directory", f.outDir)
		}
	}
	var hosts []string
	if isSet(fs, "self-signed-hosts") {
		for _, h := range strings.Split(f.hosts, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hosts = append(hosts, h)
			}
		}
		if len(hosts) == 0 {
			return nil, usageErr("--self-signed-hosts: no names; give e.g. localhost,127.0.0.1")
		}
	}
	pair, err := selfsigned.New(hosts, selfsigned.Validity)
	if err != nil {
		return nil, failure("%s", errText(err))
	}
	f.pair = pair
	return &netio.TLSServerOptions{Cert: &pair.Cert}, nil
}

// writeOut writes a made-up certificate and its key to --self-signed-out, if
// given, for clients to trust.
func (f *tlsServerFlags) writeOut() error {
	if f.pair == nil || f.outDir == "" {
		return nil
	}
	if err := f.pair.WriteFiles(f.outDir); err != nil {
		return failure("%s", errText(err))
	}
	return nil
}

func (f *tlsServerFlags) fromFiles() (*netio.TLSServerOptions, error) {
	switch {
	case f.cert == "":
		return nil, usageErr("--key: needs --cert (the certificate's file)")
	case f.key == "":
		return nil, usageErr("--cert: needs --key (the private key's file)")
	}
	// Read now, so that a wrong file is a usage error naming the flags.
	if _, err := tls.LoadX509KeyPair(f.cert, f.key); err != nil {
		return nil, usageErr("--cert/--key: %s", strings.TrimPrefix(err.Error(), "tls: "))
	}
	return &netio.TLSServerOptions{CertFile: f.cert, KeyFile: f.key}, nil
}

// isSet reports whether the flag name was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// firstSet is the first of names given on the command line, or "".
func firstSet(fs *flag.FlagSet, names ...string) string {
	for _, n := range names {
		if isSet(fs, n) {
			return n
		}
	}
	return ""
}

// tlsHint tells what to do about a certificate the client would not trust.
func tlsHint(err error) string {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return " (--ca FILE trusts its authority; --insecure connects anyway, unsafe)"
	}
	return ""
}

// selfSignedNote says where a self-signed certificate was written and how a
// client trusts it.
func selfSignedNote(dir string) string {
	certFile, keyFile := selfsigned.Files(dir)
	return fmt.Sprintf("sockdesk: self-signed certificate written to %s (clients trust it with --ca %s), key to %s\n",
		certFile, certFile, keyFile)
}
