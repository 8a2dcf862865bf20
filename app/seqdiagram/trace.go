package seqdiagram

import (
	"time"

	"github.com/sockdesk/sockdesk/netio/webtrace"
)

// FromTrace draws the connection of each hop of a web trace that got as far
// as closing it, in hop order. Its times are from the start of the trace, as
// the waterfall's are.
func FromTrace(steps []webtrace.Step) []Diagram {
	hops := map[int]map[webtrace.StepKind]webtrace.Step{}
	var order []int
	for _, s := range steps {
		if hops[s.Hop] == nil {
			hops[s.Hop] = map[webtrace.StepKind]webtrace.Step{}
			order = append(order, s.Hop)
		}
		hops[s.Hop][s.Kind] = s
	}
	var out []Diagram
	for _, n := range order {
		if d, ok := hopDiagram(hops[n]); ok {
			out = append(out, d)
		}
	}
	return out
}

// hopDiagram draws one hop: the handshake, TLS, the request and the
// response, the close in the order the trace saw it.
func hopDiagram(s map[webtrace.StepKind]webtrace.Step) (Diagram, bool) {
	connect, ok1 := s[webtrace.StepConnect]
	cl, ok2 := s[webtrace.StepClose]
	if !ok1 || !ok2 || cl.Conn == nil || connect.Failed {
		return Diagram{}, false
	}
	cf := cl.Conn
	d := Diagram{
		Title:  trf("%s → %s", cf.Local, cf.Remote),
		Client: tr("Client"), ClientAddr: cf.Local,
		Server: tr("Server"), ServerAddr: cf.Remote,
		Notes: notes(),
	}
	if cl.Hop > 0 {
		d.Title = trf("Hop %d: %s", cl.Hop+1, d.Title)
	}
	d.Rows = handshakeRows(rel(connect.Start), rel(connect.End()))
	if t, ok := s[webtrace.StepTLS]; ok {
		d.Rows = append(d.Rows, Row{Kind: Span, Label: trf("TLS handshake · %s", dur(t.Duration)), At: rel(t.End()), Moment: tr("TLS done")})
	}
	req, hasReq := s[webtrace.StepRequest]
	if hasReq {
		d.Rows = append(d.Rows, Row{Kind: Arrow, From: Client, Label: cut(req.Summary, maxLineText), At: rel(req.End()), Moment: tr("request sent")})
	}
	resp, hasResp := s[webtrace.StepResponse]
	firstByte, hasFirst := mark(resp, "first byte")
	if hasResp {
		r := Row{Kind: Arrow, From: Server, Label: cut(resp.Detail("status line"), maxLineText)}
		if hasFirst {
			r.At, r.Moment = rel(firstByte), tr("first byte")
		}
		d.Rows = append(d.Rows, r)
	}
	serverFirst := cf.ServerClosedFirst || peerClosedFirst(cf.Closing)
	d.Rows = append(d.Rows, closeRows(serverFirst, "", "")...)
	// The client's FIN is the one the trace timed: close() on its socket.
	for i := range d.Rows {
		if r := &d.Rows[i]; r.Kind == Arrow && r.From == Client && r.Label == "FIN, ACK" {
			r.At, r.Moment = rel(cl.End()), tr("close()")
		}
	}

	d.Facts = append(d.Facts, Fact{tr("Connect time"), trf("%s, measured around connect(): the SYN out, the SYN-ACK back", dur(connect.Duration))})
	if hasFirst {
		v := rel(firstByte)
		if hasReq {
			v = trf("%s, %s after the request was sent", v, dur(firstByte-req.End()))
		}
		d.Facts = append(d.Facts, Fact{tr("First byte"), v})
	}
	who := tr("the client closed first")
	if serverFirst {
		who = tr("the server closed first")
	}
	d.Facts = append(d.Facts, Fact{tr("Closed"), rel(cl.End()) + " · " + who})
	d.Facts = append(d.Facts, kernelFacts(cf.Connected, cf.Closing, cf.KernelErr)...)
	return d, true
}

// mark is the moment of the step's mark named label, if it has one.
func mark(s webtrace.Step, label string) (at time.Duration, ok bool) {
	for _, m := range s.Marks {
		if m.Label == label {
			return m.At, true
		}
	}
	return 0, false
}
