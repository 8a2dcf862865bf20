// Package cli is sockdesk's command line: the same engine as the desktop app
// (github.com/sockdesk/sockdesk/netio), driven by flags, printing one line (or one JSON object) per event
// so that people and scripts can both read it.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/netio/charset"
)

// Exit statuses. Scripts rely on them, so they are part of the contract.
const (
	exitOK      = 0 // done, including a Ctrl-C or a --count/--timeout that ended the run
	exitFailure = 1 // something failed at run time: address in use, connection refused, ...
	exitUsage   = 2 // bad usage or bad input, found before (or instead of) doing anything
)

// env is what a command may touch besides its arguments.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one entry of the command table; path is what the user types.
type command struct {
	path     string // e.g. "udp send"
	synopsis string // flags and arguments, as shown in usage
	about    string // one or more lines of explanation
	run      func(ctx context.Context, e *env, args []string) error
}

// commands is a function, not a variable, because the run functions print usage,
// which reads the table: a package-level variable would be an initialization cycle.
func commands() []*command {
	return []*command{
		{
			path: "udp send",
			synopsis: "--to HOST:PORT [--from [ADDR]:PORT] [--broadcast] [--charset NAME]\n" +
				"[--iface NAME] [--ttl N] [--no-loop]\n" +
				"[--hex | --escapes] [--repeat N] [--interval DUR] [--wait DUR] [--count N]\n" +
				"[--log FILE] [--checksum NAME[:le|:be]] [--checksum-order big|little]\n" +
				"[--pcap FILE] [--anatomy]\n" +
				"(MESSAGE | --file PATH [--chunk N] [--delay DUR] | --library FILE --message NAME)",
			about: "Send MESSAGE as one datagram, --repeat N times (default 1) --interval DUR apart\n" +
				"(default 1s when N > 1, at most 1h). --from binds a local address and port\n" +
				"(default: any address, a free port). --broadcast allows broadcast destinations.\n" +
				"Afterwards the socket stays open --wait DUR, or until --count N replies arrived\n" +
				"(with --count and no --wait: until then, or Ctrl-C), and replies are shown.\n" +
				"{counter} in MESSAGE is the send's number (1..N), {time} the time it left.\n" +
				"To a multicast group (--to 239.1.2.3:PORT, --to [ff02::1]:PORT): --iface sends\n" +
				"through that interface, --ttl sets the TTL / hop limit (default 1), --no-loop\n" +
				"keeps this host's own members from getting a copy.\n" +
				"--file sends the file instead, split into datagrams of --chunk N bytes (default\n" +
				"1024, at most 65507), --delay DUR apart (default none).",
			run: runUDPSend,
		},
		{
			path: "udp listen",
			synopsis: "--port PORT [--bind ADDR] [--charset NAME] [--echo]\n" +
				"[--respond 'MATCH=>REPLY']... [--join GROUP[,GROUP]]... [--iface NAME]\n" +
				"[--count N] [--timeout DUR] [--log FILE] [--checksum NAME] [--save FILE]\n" +
				"[--extract SPEC]... [--values-csv FILE]\n" +
				"[--pcap FILE] [--anatomy]",
			about: "Bind PORT (0 picks a free one; the listening event shows it) and show every\n" +
				"datagram from anyone. --echo sends each one back to its sender; --respond\n" +
				"replies to the sender of each datagram a rule matches (see below). --bind ::\n" +
				"takes IPv4 and IPv6 senders where the system allows it.\n" +
				"--join joins multicast groups (one IP family) on --iface NAME (default: the\n" +
				"system's choice) until the end; the socket then binds 0.0.0.0 or :: (whichever\n" +
				"is the groups' family) so that group datagrams arrive.",
			run: runUDPListen,
		},
		{
			path: "tcp connect",
			synopsis: "HOST:PORT [--charset NAME] [--hex | --escapes] [--send MESSAGE]...\n" +
				"[--respond 'MATCH=>REPLY']... [--connect-timeout DUR] [--count N]\n" +
				"[--timeout DUR] [--log FILE] [--checksum NAME[:le|:be]] [--save FILE]\n" +
				"[--file PATH [--chunk N] [--delay DUR]]\n" +
				"[--tls [--insecure] [--servername NAME] [--ca FILE]]\n" +
				"[--frame SPEC [--max-frame BYTES]]\n" +
				"[--extract SPEC]... [--values-csv FILE] [--library FILE --message NAME]\n" +
				"[--pcap FILE] [--anatomy]",
			about: "Connect (giving up after --connect-timeout, default 10s), send each --send in\n" +
				"order, or without --send every line of standard input as it is read (newline\n" +
				"included; with --hex each line is hex and no newline is sent), then show what\n" +
				"arrives until --count N, --timeout DUR, the peer closing, or Ctrl-C.\n" +
				"{counter} is the --send's (or line's) number. --respond answers the peer.\n" +
				"--tls speaks TLS (the handshake is part of the connect and its timeout); the\n" +
				"certificate must chain to a system authority, or to one in --ca FILE (PEM), and\n" +
				"name the host or --servername NAME. --insecure connects anyway (unsafe: anyone\n" +
				"in between can read and change the traffic). The connected line shows the TLS\n" +
				"version, cipher suite and the server's certificate; the line under it, the\n" +
				"connect time as measured and, on Linux, the kernel's TCP_INFO (RTT, MSS,\n" +
				"congestion window, retransmissions), as does the line under the close.\n" +
				"--file sends the file instead, in writes of --chunk N bytes (default 65536),\n" +
				"--delay DUR apart. --frame cuts what arrives into messages (see below).",
			run: runTCPConnect,
		},
		{
			path: "tcp serve",
			synopsis: "--port PORT [--bind ADDR] [--charset NAME] [--echo] [--max-clients N]\n" +
				"[--respond 'MATCH=>REPLY']... [--count N] [--timeout DUR] [--log FILE]\n" +
				"[--checksum NAME] [--save FILE] [--extract SPEC]... [--values-csv FILE]\n" +
				"[--tls (--cert FILE --key FILE | --self-signed [--self-signed-out DIR]\n" +
				"[--self-signed-hosts H1,H2,...])] [--frame SPEC [--max-frame BYTES]]\n" +
				"[--pcap FILE] [--anatomy]",
			about: "Listen on PORT (0 picks a free one) and serve any number of clients, or at most\n" +
				"--max-clients N at once (0 = no limit; clients over it are closed at once).\n" +
				"--echo sends back whatever a client sends; --respond answers each message a\n" +
				"rule matches on its connection, every time, for as long as it stays open.\n" +
				"--bind :: takes IPv4 and IPv6 clients where the system allows it; each\n" +
				"accepted line names the family used.\n" +
				"--tls serves TLS with the certificate and key in --cert and --key (PEM), or with\n" +
				"an ECDSA certificate made up on start (--self-signed), valid for 7 days for\n" +
				"--self-signed-hosts (default localhost,127.0.0.1,::1); --self-signed-out DIR\n" +
				"writes it to DIR/sockdesk-cert.pem (for clients' --ca) and DIR/sockdesk-key.pem.\n" +
				"The listening line shows the certificate's SHA-256 fingerprint; each accepted\n" +
				"line the TLS version and cipher suite; a failed handshake is an error line.\n" +
				"--frame cuts each client's stream into messages (see below).",
			run: runTCPServe,
		},
		{
			path: "tcp relay",
			synopsis: "--listen [ADDR:]PORT --to HOST:PORT [--charset NAME]\n" +
				"[--connect-timeout DUR] [--max-clients N] [--count N] [--timeout DUR] [--log FILE]\n" +
				"[--frame SPEC [--max-frame BYTES]]\n" +
				"[--extract SPEC]... [--values-csv FILE]\n" +
				"[--pcap FILE] [--anatomy]",
			about: "Relay (forward) TCP: listen on PORT (0 picks a free one), connect each client on\n" +
				"to HOST:PORT (giving up after --connect-timeout, default 10s; the client is then\n" +
				"closed) and pass the bytes both ways as they arrive, half-closes included. One\n" +
				"line per event shows both directions: \"client A → target T\" and \"target T →\n" +
				"client A\" (in --json: target, and dir \"to-target\" or \"to-client\"). --count\n" +
				"counts messages relayed either way. --max-clients N as for tcp serve.\n" +
				"--frame cuts each direction into messages for the lines (see below); the bytes\n" +
				"are still passed on as they arrive.",
			run: runTCPRelay,
		},
		{
			path: "gen",
			synopsis: "udp|tcp HOST:PORT [MESSAGE] [--rate N | N(k|M|G)B/s] [--size N]\n" +
				"(--count N | --duration DUR) [--charset NAME] [--hex | --escapes]\n" +
				"[--from [ADDR]:PORT] [--broadcast] [--connect-timeout DUR] [--log FILE]\n" +
				"[--checksum NAME[:le|:be]] [--library FILE --message NAME]",
			about: "Traffic generator: send MESSAGE again and again to HOST:PORT, one datagram each\n" +
				"(udp) or over one connection (tcp), and print what went: messages, bytes, time,\n" +
				"and the achieved rate in msg/s and MB/s (10^6 bytes). {counter} in MESSAGE is the\n" +
				"message's number (1, 2, ... in decimal), {time} etc. as below. Without MESSAGE a message is its number,\n" +
				"a space and dots, --size bytes (default 64); --size N cuts or pads any message to N\n" +
				"bytes with dots. --rate N: N messages/s, or bytes/s with B/s, kB/s, MB/s, GB/s,\n" +
				"KiB/s, MiB/s, GiB/s; 0 or none: as fast as possible. --count N or --duration DUR\n" +
				"(at most 1h) ends the run; here --count counts messages sent. --log records every\n" +
				"message sent (which costs rate). --json prints the summary as one object\n" +
				"(messages, bytes, elapsed_s, msgs_per_s, mb_per_s, rate, rate_unit, end, errors).\n" +
				"--checksum appends the checksum to every message (after --size's cut or padding).",
			run: runGen,
		},
		{
			path:     "library list",
			synopsis: "FILE [--group G] [--json]",
			about: "List the messages of the message library FILE in order, one line each: name,\n" +
				"group, mode and payload, charset, checksum, protocol and destination, repeat\n" +
				"interval, note. --group G lists that group's only (--group \"\": those in none).\n" +
				"--json prints one object per message with the file's fields. The file format:\n" +
				"docs/library-format.md.",
			run: runLibraryList,
		},
		{
			path: "library import",
			synopsis: "SRC --into FILE [--from sockdesk|packetsender]\n" +
				"[--on-clash keep|replace|rename] [--json]",
			about: "Merge the messages of SRC (a Sockdesk library or export, or Packet Sender's JSON\n" +
				"export; --from says which, default: told by the content) into the library FILE\n" +
				"(created if missing) by name, regardless of case: a new name is added at the end;\n" +
				"a message the same as the library's is left as it is. A name the library has with\n" +
				"other content is a clash: --on-clash keep keeps the library's message, replace puts\n" +
				"the incoming one in its place, rename adds it as \"NAME (2)\". With clashes and no\n" +
				"--on-clash nothing is imported (status 2). Prints what happened to each message,\n" +
				"and a note for everything of SRC that was not carried over or was changed. FILE\n" +
				"is written atomically, its previous version kept as FILE.bak.",
			run: runLibraryImport,
		},
		{
			path:     "library export",
			synopsis: "FILE [--group G] --out OUT [--json]",
			about: "Write the library FILE, or only the messages of group G, to OUT in the library\n" +
				"format, for sharing (written atomically; an existing OUT is replaced).",
			run: runLibraryExport,
		},
		{
			path: "trace",
			synopsis: "URL [--method GET|HEAD] [--header 'NAME: VALUE']... [--timeout DUR]\n" +
				"[--insecure] [--follow] [--charset NAME] [--json]",
			about: "Fetch URL as a browser does and show each step with its timing: DNS, the route\n" +
				"(interface, gateway and its MAC, read from the system without sending anything),\n" +
				"TCP connect, TLS, the request and response as they went over the wire, and who\n" +
				"closed. --timeout bounds the whole trace (default 10s); --insecure goes on past a\n" +
				"certificate that does not verify; --follow traces redirects (at most 10) instead\n" +
				"of stopping at the first; --charset decodes the body (default: Content-Type's).\n" +
				"--json prints one object per step (step, hop, url, start_ms, duration_ms,\n" +
				"summary, details, body, error). Exit 1 if a step failed, 2 for a bad URL.",
			run: runTrace,
		},
		{
			path:     "run",
			synopsis: "FILE [--json] [--junit OUT.xml] [--var NAME=VALUE]...",
			about: "Run a sequence file: connect (or listen for one client), then send and expect\n" +
				"messages step by step (send, send_hex, expect, expect_re, expect_hex,\n" +
				"expect_checksum, expect_not, expect_closed, wait, close, repeat; the format is\n" +
				"in docs/sequence-format.md). Each step is printed with its time and result;\n" +
				"a failed step says what it expected, what arrived instead, and the messages\n" +
				"received while it waited. --var sets a variable ({NAME} in sends and expects),\n" +
				"overriding the file's vars:. --json prints one object per step (step, line,\n" +
				"column, kind, result, ms, detail, expected, got, received) and a summary.\n" +
				"--junit writes the results as JUnit XML, a test case per step. Exit 0 when\n" +
				"every step passed, 1 at the first failed step (or Ctrl-C), 2 for a bad file\n" +
				"(FILE:LINE:COLUMN: what is wrong) or bad arguments.",
			run: runSequence,
		},
		{
			path:     "charsets",
			synopsis: "[--json]",
			about:    "List the supported charsets and their aliases.",
			run:      runCharsets,
		},
		{
			path:     "interfaces",
			synopsis: "[--json]",
			about:    "List this host's interfaces, addresses and broadcast addresses.",
			run:      runInterfaces,
		},
	}
}

const commonHelp = `Flags every command takes:
  --json             one JSON object per event per line (time, ts_ms, event, proto,
                     local, peer, client, family, target, dir, bytes, text, hex,
                     reason, error; rule for a reply sent by --respond rule N;
                     tls on TLS connections; values with --extract; tcpinfo on tcp
                     connect's connected and closed events: connect_us, state, rtt_us,
                     rttvar_us, snd_mss, retransmissions, cwnd, ... as TCP_INFO gives them)

Flags of the socket commands:
  --charset NAME     charset of the text sent and shown (default UTF-8; see "sockdesk charsets")
  --hex              MESSAGE is hex bytes, e.g. "c4 e3", "c4e3", "0xc4,0xe3", "c4:e3"
  --escapes          MESSAGE may contain \r \n \t \\ \0 \xNN
  --count N          stop after N received messages, counted over all peers (0 = no limit)
  --timeout DUR      stop after DUR, e.g. 500ms, 10s, 2m; a bare number is seconds (0 = none)
  --log FILE         append every event to FILE, even those the screen is too slow for
  --quiet            show no message received or sent, only the other events (listening,
                     connections, errors) and at the end a summary: the display-off switch
                     for full-rate runs; --log and --count still see every message
  --log-format F     text (default) or json
  --checksum NAME    append NAME to every message sent and check it on every message
                     received (the line says "crc16-modbus ok" or "... BAD (got, want)";
                     JSON has "checksum"); crc16-modbus (sent low byte first),
                     crc16-ccitt (CCITT-FALSE), crc16-xmodem, crc32, xor, sum8; NAME:le
                     or NAME:be, or --checksum-order big|little, overrides the byte order.
                     Over TCP each read is checked as one message, or each frame
                     with --frame.
  --save FILE        write the raw bytes received, and nothing else, to FILE
` + layersHelp + `
Framing (TCP connect, serve and relay): messages, not reads
  --frame SPEC       show, check (--checksum) and answer (--respond) one message per
                     frame instead of one per read:
                       none            after each read (the default)
                       line            after LF; a CR before it is part of the frame
                       delim:HEX       after the bytes HEX, e.g. delim:0d0a, delim:03
                       fixed:N         after N bytes
                       length:OFFSET:SIZE[:be|le][:ADJUST]
                                       after OFFSET+SIZE+value+ADJUST bytes, value being
                                       the SIZE-byte (1, 2 or 4) length field at OFFSET
                       modbus-tcp      as length:4:2 (the MBAP header)
                       idle:DUR        when no byte came for DUR, e.g. idle:20ms
                     Checksums and --respond see the message: the frame without its
                     LF, CRLF or delimiter (exact:PING matches "PING\r\n").
  --max-frame BYTES  a message longer than this (default 1 MiB; 64KiB, 2MiB ...) comes
                     out in pieces marked overflow, so memory stays bounded. Bytes left
                     when the connection ends come out marked incomplete; a length
                     field shorter than its own header gives a frame marked malformed
                     (the header alone). JSON has "frame": "complete", "overflow",
                     "incomplete" or "malformed"; the listening or connected line
                     names the framing. UDP needs none: a datagram is one message.

` + respondHelp + `
` + extractHelp + `
` + libraryHelp + `
Flags and arguments may come in any order; "--" ends the flags (for a MESSAGE
starting with "-"). Ctrl-C ends any command cleanly.

Exit status: 0 done, 1 failure at run time, 2 bad usage or bad input.
`

// Run runs the command line with args (without the program name) and returns the exit
// status: 0 done; 2 bad usage or bad input, with one line on stderr naming the
// problem; 1 a failure at run time, likewise. Cancelling ctx ends any command cleanly
// (endpoints closed, output flushed, log closed) with status 0.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, _ := findCommand(args[1:]); c != nil {
				printCommandUsage(stdout, c)
				return exitOK
			}
		}
		printUsage(stdout)
		return exitOK
	}
	c, rest := findCommand(args)
	if c == nil {
		fmt.Fprintf(stderr, "sockdesk: %s\n\n", charset.DisplayText(unknownCommand(args)))
		printUsage(stderr)
		return exitUsage
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	return report(stderr, c, c.run(ctx, e, rest))
}

// findCommand matches the first one or two words of args against the table.
func findCommand(args []string) (*command, []string) {
	for _, c := range commands() {
		words := strings.Fields(c.path)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.path {
			return c, args[len(words):]
		}
	}
	return nil, nil
}

// unknownCommand says what is wrong with a command line that matches no command,
// naming the sub-commands when the first word was right ("udp", "tcp").
func unknownCommand(args []string) string {
	var subs []string
	for _, c := range commands() {
		if first, _, _ := strings.Cut(c.path, " "); first == args[0] && first != c.path {
			subs = append(subs, strconv.Quote(c.path))
		}
	}
	if len(subs) == 0 {
		return fmt.Sprintf("unknown command %q", args[0])
	}
	// "a or b", "a, b or c"
	choices := subs[len(subs)-1]
	if n := len(subs); n > 1 {
		choices = strings.Join(subs[:n-1], ", ") + " or " + choices
	}
	if len(args) == 1 {
		return fmt.Sprintf("%s: missing sub-command; use %s", args[0], choices)
	}
	return fmt.Sprintf("%s: unknown sub-command %q; use %s", args[0], args[1], choices)
}

// report turns a command's error into the exit status and its one line on stderr.
func report(stderr io.Writer, c *command, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errHelp) {
		// Only reached when the help went to stdout already.
		return exitOK
	}
	var xe *exitError
	if !errors.As(err, &xe) {
		xe = &exitError{code: exitFailure, msg: errText(err)}
	}
	// An empty message was already given while the command ran.
	if xe.msg != "" {
		// DisplayText keeps it one line whatever the input or the peer put in it.
		fmt.Fprintf(stderr, "sockdesk: %s\n", charset.DisplayText(xe.msg))
	}
	return xe.code
}

// exitError is an error with its exit status and the message to show.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// usageErr is a bad-usage or bad-input error (exit 2).
func usageErr(format string, a ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, a...)}
}

// failure is a run-time error (exit 1).
func failure(format string, a ...any) error {
	return &exitError{code: exitFailure, msg: fmt.Sprintf(format, a...)}
}

// errText is an engine error as a user reads it: netio prefixes its errors with the
// package name for programmers, which means nothing on a command line.
func errText(err error) string {
	return strings.ReplaceAll(err.Error(), "netio: ", "")
}

// errHelp is returned by a command whose flags asked for help; its usage is already
// printed on stdout.
var errHelp = errors.New("help requested")

func printUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString("Usage: sockdesk COMMAND [FLAGS] [ARGUMENTS]\n\n")
	b.WriteString("Without a command sockdesk opens the desktop app. Commands:\n\n")
	for _, c := range commands() {
		writeCommand(&b, c)
		b.WriteString("\n")
	}
	b.WriteString(commonHelp)
	b.WriteString("\nsockdesk help COMMAND shows one command; sockdesk --version the version.\n")
	io.WriteString(w, b.String())
}

func printCommandUsage(w io.Writer, c *command) {
	var b strings.Builder
	b.WriteString("Usage:\n")
	writeCommand(&b, c)
	b.WriteString("\n")
	b.WriteString(commonHelp)
	io.WriteString(w, b.String())
}

func writeCommand(b *strings.Builder, c *command) {
	head := "  sockdesk " + c.path + " "
	indent := strings.Repeat(" ", len(head))
	for i, line := range strings.Split(c.synopsis, "\n") {
		if i == 0 {
			b.WriteString(head)
		} else {
			b.WriteString(indent)
		}
		b.WriteString(line)
		b.WriteString("\n")
	}
	for _, line := range strings.Split(c.about, "\n") {
		b.WriteString("      ")
		b.WriteString(line)
		b.WriteString("\n")
	}
}
