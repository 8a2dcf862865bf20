package seqdiagram

// Side is one end of the connection: the client draws on the left lifeline,
// the server on the right.
type Side uint8

const (
	Client Side = iota
	Server
)

// RowKind is what a row of the diagram draws.
type RowKind uint8

const (
	// Arrow: a segment (or one write's or read's data) from one side to the
	// other.
	Arrow RowKind = iota
	// Span: something between the two sides that is not one segment (a TLS
	// handshake's records, messages left out), across both lifelines.
	Span
	// State: a state one side enters, on its lifeline (TIME_WAIT).
	State
)

// Row is one row of a diagram, top to bottom in the order things happened.
type Row struct {
	Kind RowKind
	// From is an arrow's sender, or the side a state is on.
	From  Side
	Label string // what the segment is: "SYN", "FIN, ACK", "18 B: GET / HTTP/1.1…"
	// At is when the socket API saw it, from the start of the connect (or
	// of the trace), e.g. "+0.12 ms"; empty when it was not measured.
	At string
	// Moment says what At is the moment of: "connect() returned", "first byte".
	Moment string
}

// Fact is one label and value under the drawing.
type Fact struct{ Label, Value string }

// Diagram is one connection drawn as a sequence of segments.
type Diagram struct {
	Title string // which connection: "127.0.0.1:40000 → 127.0.0.1:9000"
	// The lifelines' captions: each side's role ("Client") over its address.
	Client, Server         string
	ClientAddr, ServerAddr string
	Rows                   []Row
	Facts                  []Fact
	Notes                  []string // what the drawing is made of, what is not known
}
