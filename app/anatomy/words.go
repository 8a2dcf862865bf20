package anatomy

import (
	"encoding/binary"
	"fmt"
	"net"

	"github.com/sockdesk/sockdesk/netio/layers"
	"github.com/sockdesk/sockdesk/netio/packet"
)

// sentenceFormats mirrors every sentence format of the engine
// (packet.Formats, layers.NoteFormats), keyed by the engine's constant, with
// the same English written here as the key of its translation: the
// translation sweep reads these literals, and TestSentenceTablesAreComplete
// fails when the engine's formats and these part.
var sentenceFormats = map[string]string{
	packet.FormatLoopback:        "Loopback: this frame never reaches a wire. Linux's loopback device gives it an Ethernet header with both MAC addresses zero, as shown.",
	packet.FormatEthernet:        "Ethernet carries the frame across the local link from %s to %s; its type field says an %s packet follows.",
	packet.FormatEthernetUnknown: "Ethernet carries the frame across the local link; the MAC addresses are not known here (not in the neighbour table), so they are shown as zero. Its type field says an %s packet follows.",
	packet.FormatIPv4:            "IPv4 carries the packet from host %s to host %s; the TTL of %d is how many routers it may still cross.",
	packet.FormatIPv6:            "IPv6 carries the packet from host %s to host %s; the hop limit of %d is how many routers it may still cross.",
	packet.FormatUDP:             "UDP takes the datagram from port %d to port %d: addresses tell hosts apart, ports tell the programs on them apart.",
	packet.FormatTCP:             "TCP takes the segment from port %d to port %d with flags %s; sequence and acknowledgement numbers count the stream's bytes so nothing is lost or reordered.",
	packet.FormatApplication:     "The application's %d bytes: exactly what the program wrote, untouched by the layers below.",
	layers.NoteRelayFromClient:   "Relay: received from the client, on the client's connection to the relay.",
	layers.NoteRelayToClient:     "Relay: passed on to the client, on the client's connection to the relay.",
	layers.NoteRelayFromTarget:   "Relay: received from the target, on the relay's connection to the target.",
	layers.NoteRelayToTarget:     "Relay: passed on to the target, on the relay's connection to the target.",
	layers.NoteFromRoute:         "The socket is bound to any address; %s is the local address the routing table picks for this peer.",
	layers.NoteSplit:             "Packet %d of %d: bytes %d-%d of the %d-byte message (one IP packet holds at most %d bytes of TCP payload).",
}

// sentence is s in the UI language; a format this table does not know yet
// stays the engine's English.
func sentence(s packet.Sentence) string {
	if _, ok := sentenceFormats[s.Format]; !ok {
		return s.String()
	}
	return trf(sentenceFormats[s.Format], s.Args...)
}

// layerNames are the engine's layer names (packet.Layer.Name), as keys of
// their translations.
var layerNames = map[string]string{
	"Ethernet II":      "Ethernet II",
	"IPv4":             "IPv4",
	"IPv6":             "IPv6",
	"UDP":              "UDP",
	"TCP":              "TCP",
	"Application data": "Application data",
}

// layerName is a layer's name in the UI language.
func layerName(name string) string {
	if _, ok := layerNames[name]; !ok {
		return name
	}
	return tr(layerNames[name])
}

// fieldNames are the engine's field names (packet.Field.Name), as keys of
// their translations.
var fieldNames = map[string]string{
	"destination":            "destination",
	"source":                 "source",
	"type":                   "type",
	"version":                "version",
	"header length":          "header length",
	"DSCP/ECN":               "DSCP/ECN",
	"total length":           "total length",
	"identification":         "identification",
	"flags":                  "flags",
	"fragment offset":        "fragment offset",
	"TTL":                    "TTL",
	"protocol":               "protocol",
	"header checksum":        "header checksum",
	"traffic class":          "traffic class",
	"flow label":             "flow label",
	"payload length":         "payload length",
	"next header":            "next header",
	"hop limit":              "hop limit",
	"source port":            "source port",
	"destination port":       "destination port",
	"length":                 "length",
	"checksum":               "checksum",
	"sequence number":        "sequence number",
	"acknowledgement number": "acknowledgement number",
	"window":                 "window",
	"urgent pointer":         "urgent pointer",
	"option: MSS":            "option: MSS",
	"data":                   "data",
}

// fieldName is a field's name in the UI language.
func fieldName(name string) string {
	if _, ok := fieldNames[name]; !ok {
		return name
	}
	return tr(fieldNames[name])
}

// sourceWords say where a field's value came from, indexed by packet.Source;
// sourceMarks are the marks beside them (and in the legend).
var (
	sourceWords = []string{"reconstructed", "system", "socket API", "computed"}
	sourceMarks = []string{"≈", "●", "◆", "="}
)

// sourceText is a field's mark and where its value came from, e.g. "● system".
func sourceText(s packet.Source) string {
	if int(s) >= len(sourceWords) {
		return "?"
	}
	return sourceMarks[s] + " " + tr(sourceWords[s])
}

// legendText explains the marks.
func legendText() string {
	return trf("%s read from the system · %s given by the socket API · %s computed from other fields · %s reconstructed: chosen by the kernel and not reported, shown as it would plausibly be",
		sourceMarks[packet.FromSystem], sourceMarks[packet.FromSocket], sourceMarks[packet.Computed], sourceMarks[packet.Reconstructed])
}

// fieldValue is a field's value in the UI language. Most values are numbers
// and addresses and are shown as the engine gives them; the few the engine
// words are worded again here from the frame's bytes.
func fieldValue(f *packet.Frame, l packet.Layer, fl packet.Field) string {
	b := f.Bytes
	switch {
	case l.Mark == 'E' && (fl.Name == "destination" || fl.Name == "source"):
		mac := net.HardwareAddr(b[fl.Start:fl.End]).String()
		switch {
		case f.Loopback:
			return mac + " " + tr("(loopback)")
		case l.Sentence.Format == packet.FormatEthernetUnknown:
			return mac + " " + tr("(unknown)")
		}
		return mac
	case l.Name == "IPv4" && fl.Name == "header length":
		ihl := int(b[fl.Start] & 0x0f)
		return trf("%d bytes (IHL %d)", ihl*4, ihl)
	case l.Name == "IPv4" && fl.Name == "flags":
		if b[fl.Start]&0x40 != 0 {
			return tr("DF (don't fragment)")
		}
		return fmt.Sprintf("0x%x", b[fl.Start]>>5)
	case l.Mark == 'T' && fl.Name == "acknowledgement number" && b[l.Start+13]&byte(packet.ACK) == 0:
		return trf("%d (not used: no ACK flag)", binary.BigEndian.Uint32(b[fl.Start:]))
	case l.Mark == 'T' && fl.Name == "header length":
		off := int(b[fl.Start] >> 4)
		return trf("%d bytes (data offset %d)", off*4, off)
	case l.Mark == 'A' && fl.Name == "data":
		return trf("%d bytes", fl.End-fl.Start)
	}
	return fl.Value
}
