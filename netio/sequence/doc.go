// Package sequence runs conversations with a device or a server: a YAML file
// says where to connect (or listen) and lists steps — send this, expect that,
// wait, repeat — and a Runner plays them over one netio connection, reporting
// each step's result as it ends.
//
// A file (the full schema is in docs/sequence-format.md):
//
//	connect: tcp://127.0.0.1:9000   # or tls://HOST:PORT, udp://HOST:PORT; or listen: tcp://:9000
//	charset: gbk                    # optional (default UTF-8)
//	frame: line                     # optional, TCP only: see netio/framing
//	timeout: 2s                     # how long an expect waits (default 5s)
//	vars: {user: admin}             # optional; --var NAME=VALUE overrides
//	steps:
//	  - send: "LOGIN {user}\r\n"    # escapes and placeholders
//	  - expect: "OK"                # the next message contains this
//	  - send_hex: "01 03 00 00 00 0a"
//	    checksum: crc16-modbus      # appended to what is sent
//	  - expect_re: 'T=(?P<temp>[0-9.]+)'   # named groups set variables: {temp}
//	    timeout: 500ms
//	  - send: "ACK {temp}\r\n"
//	  - wait: 100ms
//	  - repeat: 3
//	    steps:
//	      - send: "PING {counter}\r\n"   # {counter}: the repeat's round, 1..3
//	      - expect: "PONG"
//
// [Parse] reads a file and checks everything it can before anything connects:
// every error is a *[FileError] with the file, line and column. [Runner] runs a
// parsed Sequence; [Runner.Run] blocks until the sequence ends (all steps passed,
// one failed, or the run was stopped) and returns a [Report]; [Options.OnStep]
// sees each [Result] as it comes, and [Options.Sink] every event of the
// connection, for a log; [Runner.Stop] (or the context) ends a run early. With
// [Options.Conn] the runner uses a connection the caller already has (the app's
// session) instead of opening one, and the caller's endpoint emits to the
// Runner. [WriteJUnit] writes a Report as a JUnit XML file.
package sequence
