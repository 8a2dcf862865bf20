package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/eventlog"
	"github.com/sockdesk/sockdesk/netio/layers"
	"github.com/sockdesk/sockdesk/netio/packet"
	"github.com/sockdesk/sockdesk/netio/pcapng"
)

// The flags of issue 18, "See the layers": --pcap writes what the session
// sent and received as a pcapng file for Wireshark, --anatomy draws each
// message as the frames that carried it. Both are reconstructed from the
// socket events (netio/layers says what is read and what is rebuilt).

const layersHelp = `  --pcap FILE        write what is sent and received as a pcapng file for Wireshark
                     or tshark: each message in Ethernet, IP and UDP or TCP headers with
                     its real addresses, ports, bytes and time, each TCP connection with
                     its handshake, consistent sequence numbers and its close in the order
                     it happened. Reconstructed from the socket's events, not captured
                     (the file's comment says so); saved when the command ends
  --anatomy          after each message's line, draw the frames that carried it: Ethernet
                     (MACs from the neighbour table; zero on loopback), IP, UDP or TCP,
                     the application's bytes, and a hex map marking each byte's layer;
                     each field says whether it was read from the system, given by the
                     socket API, computed, or reconstructed (e.g. TCP sequence numbers).
                     Text output only
`

// registerLayers adds --pcap and --anatomy.
func (f *sessionFlags) registerLayers(fs *flag.FlagSet) {
	f.command = fs.Name()
	fs.StringVar(&f.pcap, "pcap", "", "write what is sent and received to this pcapng file")
	fs.BoolVar(&f.anatomy, "anatomy", false, "draw each message as the frames that carried it")
}

// parseLayers checks --pcap and --anatomy.
func (f *sessionFlags) parseLayers(o *sessionOpts) error {
	o.pcapPath, o.anatomy, o.command = f.pcap, f.anatomy, f.command
	switch {
	case f.pcap != "" && strings.TrimSpace(f.pcap) == "":
		return usageErr("--pcap: the file name is blank")
	case f.anatomy && f.json:
		return usageErr("--anatomy: draws frames as text; it cannot be used with --json")
	case f.anatomy && f.quiet:
		return usageErr("--anatomy: --quiet shows no message to draw")
	}
	return nil
}

// tlsLayersNote is what --pcap and --anatomy say about a TLS session.
const tlsLayersNote = "TLS: the bytes shown are what the socket API handed over, decrypted; on the wire they travel inside TLS records, which are not reconstructed."

// openPcap creates the --pcap file. A path that cannot be written is bad
// input (status 2), found before any socket opens, like --log's.
// The file is written to a temporary name while the session runs and renamed
// into place when it ends (the sink's Close), or removed (Abort).
func openPcap(o sessionOpts, trouble func(error)) (*layers.PcapSink, error) {
	comment := "Written by sockdesk " + o.command + "."
	if o.layersNote != "" {
		comment += "\n" + o.layersNote
	}
	w, err := pcapng.Create(o.pcapPath, pcapng.Options{Comment: comment, LinkFor: layers.LinkFor})
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, usageErr("--pcap: cannot write %q: %s", o.pcapPath, errText(err))
	}
	sink := layers.NewPcapSink(w)
	sink.OnError(trouble)
	return sink, nil
}

// pcapTrouble reports, once, the first thing that went wrong writing the
// file; the run goes on.
func (s *session) pcapTrouble(err error) {
	fmt.Fprintf(s.stderr, "sockdesk: --pcap: %s\n", errText(err))
}

// endStartFailed ends a session whose endpoint did not start: nothing was
// sent or received, so no --pcap file is left behind.
func (s *session) endStartFailed(err error) error {
	if s.pcap != nil {
		s.pcap.Abort()
	}
	return s.end(err)
}

// textExtras writes, under an event's line in text output, what the line
// leaves out: a TCP client's TCP_INFO on connected and closed, and with
// --anatomy the frames of each message.
type textExtras struct {
	anatomy *layers.Anatomy // nil without --anatomy
	note    string          // said with each drawing (TLS)
	line    []byte
	frame   strings.Builder
}

func newTextExtras(o sessionOpts) *textExtras {
	x := &textExtras{note: o.layersNote}
	if o.anatomy {
		x.anatomy = layers.NewAnatomy()
	}
	return x
}

func (x *textExtras) write(w *bufio.Writer, e netio.Event) {
	if e.TCPInfo != nil {
		x.line = eventlog.AppendTCPInfo(append(x.line[:0], "  "...), e)
		w.Write(append(x.line, '\n'))
	}
	if x.anatomy == nil {
		return
	}
	// Every event counts (a connection's open and close), not only those
	// with bytes.
	msgs, err := x.anatomy.Messages(e)
	if err != nil {
		fmt.Fprintf(w, "  (no anatomy: %s)\n", errText(err))
		return
	}
	for _, m := range msgs {
		x.draw(w, m)
	}
}

// draw writes one frame, indented under its event's line.
func (x *textExtras) draw(w *bufio.Writer, m layers.Message) {
	f, err := packet.Build(m.Message)
	if err != nil {
		fmt.Fprintf(w, "  (no anatomy: %s)\n", errText(err))
		return
	}
	x.frame.Reset()
	x.frame.WriteString("Anatomy: the frame as it would cross the wire, rebuilt around what the socket API reported.\n")
	for _, n := range m.Notes {
		x.frame.WriteString(n.String() + "\n")
	}
	if x.note != "" {
		x.frame.WriteString(x.note + "\n")
	}
	packet.WriteText(&x.frame, f, 0)
	writeIndented(w, x.frame.String(), "    ")
	w.WriteByte('\n')
}

// writeIndented writes text with each non-empty line after indent.
func writeIndented(w io.StringWriter, text, indent string) {
	for _, line := range strings.SplitAfter(text, "\n") {
		if strings.TrimSpace(line) != "" {
			w.WriteString(indent)
		}
		w.WriteString(line)
	}
}
