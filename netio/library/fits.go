package library

// Fits tells whether a message may be sent by a session of the given kind
// (UDP or TCP; tlsOn says whether that TCP session speaks TLS). A message for
// any protocol fits every session; a udp message fits only UDP; a tcp message
// fits TCP, with or without TLS; a tls message fits only TCP with TLS on. A
// message that does not fit is not sent there, nor is its destination used:
// its port is most likely the other protocol's.
func (m Message) Fits(kind Protocol, tlsOn bool) bool {
	switch m.Protocol {
	case AnyProtocol:
		return true
	case TLS:
		return kind == TCP && tlsOn
	}
	return m.Protocol == kind
}
