// Package netio is the engine core of Sockdesk: the UDP endpoint (unicast,
// broadcast, multicast, ICMP errors), the TCP client, server and relay (with TLS),
// file sending, and the events they emit to a Sink.
//
// Data flows one way: a socket goroutine decodes what arrives (package charset),
// answers it (package respond), and emits an Event to the endpoint's Sink — the
// log file (package eventlog), counters, and a bounded Queue that a slow screen may
// overflow, counted. Commands flow the other way: Start, Send, SendTo, Disconnect,
// Close. Each endpoint's Start returns once its socket is bound; Close is
// idempotent and waits for every goroutine it started.
//
// The stages and tools built on the core live in packages of their own: charset,
// payload, checksum, respond, eventlog, gen, webtrace, selfsigned. netio imports
// neither Fyne nor net/http (internal/layering checks).
package netio
