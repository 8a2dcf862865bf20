// Package tlsverify words TLS failures for people (an unknown authority, a name
// mismatch, an expired certificate, a peer that does not speak TLS) and checks a
// certificate chain; the TLS endpoints and the web trace share it. It also
// computes the fingerprints the front ends show.
package tlsverify
