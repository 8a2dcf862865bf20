package seqdiagram

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/internal/tcpinfo"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// maxDataRows is how many writes and reads a diagram draws one by one; the
// rest of a connection's messages are counted in one row.
const maxDataRows = 8

// maxLabelText is how many characters of a message an arrow shows, and
// maxLineText how many of an HTTP request or status line: the diagram keeps
// to the width of a tool's pane.
const (
	maxLabelText = 18
	maxLineText  = 32
)

// cut shortens s to n characters, marking the cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Tracker follows a TCP client session's events and keeps what the diagram
// of its latest connection needs: bounded, whatever the connection carries.
type Tracker struct {
	c *conn
}

// conn is one connection as the socket API saw it.
type conn struct {
	local, peer string
	start       time.Time // the connect call: connected less the measured connect time
	connect     time.Duration
	atConnect   *netio.TCPInfo
	data        []message // the first maxDataRows
	more        int       // messages after those
	moreBytes   [2]int    // their bytes: sent, received
	firstSent   time.Time
	firstByte   time.Time
	closed      bool
	closedAt    time.Time
	reason      netio.CloseReason
	atClose     *netio.TCPInfo
}

type message struct {
	sent bool
	n    int
	text string
	at   time.Time
}

// Watch follows a batch of the session's events, in order. It reports
// whether the diagram changed.
func (t *Tracker) Watch(batch []netio.Event) bool {
	changed := false
	for i := range batch {
		e := &batch[i]
		if e.Proto != "tcp" {
			continue
		}
		if e.Kind == netio.EventConnected {
			t.c = newConn(e)
			changed = true
			continue
		}
		c := t.c
		if c == nil || c.closed || e.Local != c.local {
			continue
		}
		switch e.Kind {
		case netio.EventSent, netio.EventReceived:
			c.add(e)
			changed = true
		case netio.EventClosed:
			c.closed, c.closedAt, c.reason, c.atClose = true, e.Time, e.Reason, e.TCPInfo
			changed = true
		}
	}
	return changed
}

func newConn(e *netio.Event) *conn {
	c := &conn{local: e.Local, peer: e.Peer, start: e.Time, atConnect: e.TCPInfo}
	if e.TCPInfo != nil && e.TCPInfo.Connect > 0 {
		c.connect = e.TCPInfo.Connect
		c.start = e.Time.Add(-c.connect)
	}
	return c
}

func (c *conn) add(e *netio.Event) {
	sent := e.Kind == netio.EventSent
	if sent && (c.firstSent.IsZero() || e.Time.Before(c.firstSent)) {
		c.firstSent = e.Time
	}
	if !sent && (c.firstByte.IsZero() || e.Time.Before(c.firstByte)) {
		c.firstByte = e.Time
	}
	if len(c.data) == maxDataRows {
		c.more++
		if sent {
			c.moreBytes[0] += len(e.Data)
		} else {
			c.moreBytes[1] += len(e.Data)
		}
		return
	}
	text := cut(charset.DisplayText(e.Text), maxLabelText)
	// In the order of their times: a reply's received event may be emitted
	// before its request's sent event (the reader does not wait for the
	// writer), though its time is later.
	i := len(c.data)
	for i > 0 && c.data[i-1].at.After(e.Time) {
		i--
	}
	c.data = slices.Insert(c.data, i, message{sent: sent, n: len(e.Data), text: text, at: e.Time})
}

// Diagram is the latest connection's diagram in the UI language; false
// before the session has connected.
func (t *Tracker) Diagram() (Diagram, bool) {
	c := t.c
	if c == nil {
		return Diagram{}, false
	}
	since := func(at time.Time) string { return rel(at.Sub(c.start)) }
	d := Diagram{
		Title:  trf("%s → %s", c.local, c.peer),
		Client: tr("Client"), ClientAddr: c.local,
		Server: tr("Server"), ServerAddr: c.peer,
		Notes: notes(),
	}
	start, done := "", ""
	if c.connect > 0 {
		start, done = rel(0), rel(c.connect)
	}
	d.Rows = handshakeRows(start, done)
	for _, m := range c.data {
		r := Row{Kind: Arrow, From: Client, Label: trf("%d B: %s", m.n, m.text), At: since(m.at), Moment: tr("write")}
		if !m.sent {
			r.From, r.Moment = Server, tr("read")
			if m.at.Equal(c.firstByte) {
				r.Moment = tr("first byte")
			}
		}
		d.Rows = append(d.Rows, r)
	}
	if c.more > 0 {
		d.Rows = append(d.Rows, Row{Kind: Span, Label: trf("… %d more messages: %d B sent, %d B received", c.more, c.moreBytes[0], c.moreBytes[1])})
	}
	d.Rows = append(d.Rows, c.closeRows(since)...)
	d.Facts = c.facts(since)
	return d, true
}

// closeRows are how the connection ended, or a row saying it is open.
func (c *conn) closeRows(since func(time.Time) string) []Row {
	switch {
	case !c.closed:
		return []Row{{Kind: Span, Label: tr("open: the close is drawn when it happens")}}
	case c.reason == netio.ReasonReset:
		return []Row{{Kind: Arrow, From: Server, Label: "RST", At: since(c.closedAt), Moment: tr("read saw the reset")}}
	case c.serverClosedFirst():
		return closeRows(true, since(c.closedAt), tr("read saw the end"))
	}
	return closeRows(false, since(c.closedAt), tr("close()"))
}

// serverClosedFirst: the read saw the server's FIN, or the system said, just
// before this side closed, that it had arrived.
func (c *conn) serverClosedFirst() bool {
	return c.reason == netio.ReasonPeerClosed || peerClosedFirst(kernel(c.atClose))
}

func (c *conn) facts(since func(time.Time) string) []Fact {
	var out []Fact
	if c.connect > 0 {
		out = append(out, Fact{tr("Connect time"), trf("%s, measured around connect(): the SYN out, the SYN-ACK back", dur(c.connect))})
	}
	if !c.firstByte.IsZero() {
		v := since(c.firstByte)
		if !c.firstSent.IsZero() && c.firstSent.Before(c.firstByte) {
			v = trf("%s, %s after the first write", v, dur(c.firstByte.Sub(c.firstSent)))
		}
		out = append(out, Fact{tr("First byte"), v})
	}
	if c.closed {
		who := tr("this side (the client) closed first")
		switch {
		case c.reason == netio.ReasonReset:
			who = tr("the server reset the connection")
		case c.serverClosedFirst():
			who = tr("the server closed first")
		}
		out = append(out, Fact{tr("Closed"), since(c.closedAt) + " · " + who})
	}
	var err error
	for _, ti := range []*netio.TCPInfo{c.atConnect, c.atClose} {
		if ti != nil && ti.KernelErr != nil && err == nil {
			err = ti.KernelErr
		}
	}
	return append(out, kernelFacts(kernel(c.atConnect), kernel(c.atClose), err)...)
}

func kernel(ti *netio.TCPInfo) *tcpinfo.Info {
	if ti == nil {
		return nil
	}
	return ti.Kernel
}
