package packet

import "fmt"

// Sentence is one short English sentence about a layer: a fixed format
// string (one of Formats) and its arguments. A front end translates Format
// and formats the arguments into the translation; String gives the English.
type Sentence struct {
	Format string
	Args   []any
}

func (s Sentence) String() string { return fmt.Sprintf(s.Format, s.Args...) }

// The sentence formats. They are the keys a translation catalogue needs;
// the arguments are addresses, numbers and protocol names, never words to
// translate.
const (
	// No arguments.
	FormatLoopback = "Loopback: this frame never reaches a wire. Linux's loopback device gives it an Ethernet header with both MAC addresses zero, as shown."
	// Source MAC, destination MAC, the network protocol's name ("IPv4").
	FormatEthernet = "Ethernet carries the frame across the local link from %s to %s; its type field says an %s packet follows."
	// The network protocol's name ("IPv4").
	FormatEthernetUnknown = "Ethernet carries the frame across the local link; the MAC addresses are not known here (not in the neighbour table), so they are shown as zero. Its type field says an %s packet follows."
	// Source address, destination address, TTL.
	FormatIPv4 = "IPv4 carries the packet from host %s to host %s; the TTL of %d is how many routers it may still cross."
	// Source address, destination address, hop limit.
	FormatIPv6 = "IPv6 carries the packet from host %s to host %s; the hop limit of %d is how many routers it may still cross."
	// Source port, destination port.
	FormatUDP = "UDP takes the datagram from port %d to port %d: addresses tell hosts apart, ports tell the programs on them apart."
	// Source port, destination port, the flags ("PSH,ACK").
	FormatTCP = "TCP takes the segment from port %d to port %d with flags %s; sequence and acknowledgement numbers count the stream's bytes so nothing is lost or reordered."
	// Byte count.
	FormatApplication = "The application's %d bytes: exactly what the program wrote, untouched by the layers below."
)

// Formats lists every sentence format, for a translation catalogue.
var Formats = []string{
	FormatLoopback, FormatEthernet, FormatEthernetUnknown, FormatIPv4, FormatIPv6,
	FormatUDP, FormatTCP, FormatApplication,
}
