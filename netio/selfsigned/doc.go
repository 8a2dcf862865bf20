// Package selfsigned makes up a TLS certificate and key for a test server
// (ECDSA P-256, valid for a week) and writes them out for clients to trust. It
// is kept out of the engine core so that the core carries no certificate minting.
package selfsigned
