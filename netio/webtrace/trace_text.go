package webtrace

import (
	"strconv"
	"time"
)

var stepNames = [...]string{"dns", "route", "connect", "tls", "request", "response", "close"}

// String is the step's name in JSON and on the command line: dns, route,
// connect, tls, request, response, close.
func (k StepKind) String() string {
	if k >= 0 && int(k) < len(stepNames) {
		return stepNames[k]
	}
	return "unknown"
}

var stepTitles = [...]string{"DNS", "Route", "TCP connect", "TLS", "Request", "Response", "Close"}

// Title is the step's name for people, in English: "DNS", "TCP connect", ...
func (k StepKind) Title() string {
	if k >= 0 && int(k) < len(stepTitles) {
		return stepTitles[k]
	}
	return "Unknown step"
}

var stepExplanations = [...]string{
	"The host name is turned into IP addresses (A records for IPv4, AAAA for IPv6) by asking the resolver, unless it is already an address.",
	"The operating system picks the interface and source address from its routing table, and the next hop's hardware (MAC) address from its neighbour (ARP) cache.",
	"A TCP connection is opened with the three-way handshake (SYN, SYN-ACK, ACK), which takes one round trip to the server.",
	"For https, both sides agree on a protocol version and cipher, and the server proves who it is with a certificate the client checks against the authorities it trusts.",
	"The client sends the request line (method, path and HTTP version) and its headers.",
	"The server answers with a status line and headers, then the body; the wait for the first byte is the server's work plus one round trip.",
	"One side closes the connection, which ends the fetch; the total is the time from the start to here.",
}

// Explain is one English sentence saying what happens in this step, for people
// learning what a browser does; translating it is the front end's business.
func (k StepKind) Explain() string {
	if k >= 0 && int(k) < len(stepExplanations) {
		return stepExplanations[k]
	}
	return ""
}

// ErrorText says why the step failed, for people: "DNS: no such host
// example.invalid", "TCP connect: connection refused", "TLS: certificate signed
// by unknown authority". It is "" for a step that did not fail.
func (s Step) ErrorText() string {
	if !s.Failed {
		return ""
	}
	if s.Err == nil {
		return s.Kind.Title() + ": failed"
	}
	return s.Kind.Title() + ": " + s.Err.Error()
}

// FormatDuration shows a step's duration the way the trace's details do:
// "0.42 ms", "12.3 ms", "1.25 s".
func FormatDuration(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 10:
		return strconv.FormatFloat(ms, 'f', 2, 64) + " ms"
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(ms/1000, 'f', 2, 64) + " s"
}

// formatTimeout shows a limit the way a person set it: "2s", "500ms", "1m30s".
func formatTimeout(d time.Duration) string { return d.String() }

// byteCount is "1 byte", "2 bytes".
func byteCount(n int64) string {
	if n == 1 {
		return "1 byte"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
