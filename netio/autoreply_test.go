package netio

import (
	"bytes"
	"fmt"
	"net"
	"testing"

	"github.com/sockdesk/sockdesk/internal/eventtest"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/respond"
)

// A UDP listener replies to every datagram a rule matches, to its sender, and
// the reply shows as a sent event naming the rule.
func TestUDPAutoReply(t *testing.T) {
	resp := respond.NewResponder(mustRules(t, nil, "re:^ping (\\d+)=>pong $1 #{counter}"))
	listener, lEvents := startUDP(t, UDPConfig{Bind: "127.0.0.1:0", Responder: resp})
	peer, pEvents := startUDP(t, UDPConfig{Bind: "127.0.0.1:0"})
	to := listener.LocalAddr().(*net.UDPAddr)
	for i := 1; i <= 3; i++ {
		if err := peer.SendToAddr(to, []byte(fmt.Sprintf("ping %d", i*10))); err != nil {
			t.Fatal(err)
		}
		pEvents.WaitFor(t, "reply", kind(EventReceived), i)
	}
	if err := peer.SendToAddr(to, []byte("no match")); err != nil {
		t.Fatal(err)
	}
	lEvents.WaitFor(t, "received", kind(EventReceived), 4)
	got := pEvents.WaitFor(t, "replies", kind(EventReceived), 3)
	for i, e := range got {
		if want := fmt.Sprintf("pong %d #%d", (i+1)*10, i+1); e.Text != want {
			t.Errorf("reply %d: %q, want %q", i+1, e.Text, want)
		}
	}
	sent := lEvents.WaitFor(t, "sent", kind(EventSent), 3)
	if sent[0].Rule != 1 || sent[0].Peer != peer.LocalAddr().String() {
		t.Errorf("sent event %+v: want rule 1 to %s", sent[0], peer.LocalAddr())
	}
	// Rules change while running.
	resp.Use(mustRules(t, nil, "no match=>now matched"))
	if err := peer.SendToAddr(to, []byte("no match")); err != nil {
		t.Fatal(err)
	}
	if e := pEvents.WaitFor(t, "new rule's reply", kind(EventReceived), 4)[3]; e.Text != "now matched" {
		t.Errorf("after Use: %q", e.Text)
	}
}

// On a persistent TCP connection a rule fires for every match, not once; a
// server answers each client on its own connection, and a client answers too.
func TestTCPAutoReplyEveryMatch(t *testing.T) {
	srv, sEvents := startServer(t, TCPServerConfig{Responder: respond.NewResponder(mustRules(t, nil, "prefix:Q=>A{counter}\\n"))})
	cl, cEvents := startClient(t, srv.Addr().String(), nil)
	const n = 5
	for i := 1; i <= n; i++ {
		if err := cl.Send([]byte("Q?")); err != nil {
			t.Fatal(err)
		}
		// One message at a time, so each is its own chunk.
		got := cEvents.WaitFor(t, "answer", kind(EventReceived), i)
		if want := fmt.Sprintf("A%d\n", i); got[i-1].Text != want {
			t.Fatalf("answer %d: %q, want %q", i, got[i-1].Text, want)
		}
	}
	sent := sEvents.WaitFor(t, "server sent", kind(EventSent), n)
	if sent[n-1].Rule != 1 || sent[n-1].Client != 1 {
		t.Errorf("last sent %+v, want rule 1 to client 1", sent[n-1])
	}

	// A client with rules answers the server.
	cl2Events := &collector{}
	cl2 := NewTCPClient(TCPClientConfig{Addr: srv.Addr().String(), Sink: cl2Events, Timeout: eventtest.WaitTimeout,
		Responder: respond.NewResponder(mustRules(t, nil, "hex:ff=>hex:fe {hex:01}"))})
	if err := cl2.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer cl2.Close()
	sEvents.WaitFor(t, "second client", kind(EventAccepted), 2)
	if err := srv.Send(2, []byte{0xff}); err != nil {
		t.Fatal(err)
	}
	got := sEvents.WaitFor(t, "client's answer", func(e Event) bool { return e.Kind == EventReceived && e.Client == 2 }, 1)
	if !bytes.Equal(got[0].Data, []byte{0xfe, 0x01}) {
		t.Errorf("client answered % x, want fe 01", got[0].Data)
	}
}

func mustRules(t *testing.T, cs *charset.Charset, rules ...string) *respond.RuleSet {
	t.Helper()
	var rs []respond.Rule
	for _, s := range rules {
		r, err := respond.ParseRule(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		rs = append(rs, r)
	}
	set, errs := respond.Compile(rs, cs)
	if err := respond.FirstError(errs); err != nil {
		t.Fatal(err)
	}
	return set
}
