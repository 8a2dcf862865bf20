package library

import "testing"

func TestFits(t *testing.T) {
	for _, c := range []struct {
		msg   Protocol
		kind  Protocol
		tlsOn bool
		want  bool
	}{
		{AnyProtocol, UDP, false, true},
		{AnyProtocol, TCP, true, true},
		{UDP, UDP, false, true},
		{UDP, TCP, false, false},
		{TCP, TCP, false, true},
		{TCP, TCP, true, true},
		{TCP, UDP, false, false},
		{TLS, TCP, true, true},
		{TLS, TCP, false, false},
		{TLS, UDP, false, false},
	} {
		if got := (Message{Protocol: c.msg}).Fits(c.kind, c.tlsOn); got != c.want {
			t.Errorf("a %q message in a %q session (TLS %v): fits %v, want %v", c.msg, c.kind, c.tlsOn, got, c.want)
		}
	}
}

// A clone changes without changing the library it was made from.
func TestCloneIsIndependent(t *testing.T) {
	l := New(testCheck)
	for _, n := range []string{"a", "b"} {
		if err := l.Add(sample(n)); err != nil {
			t.Fatal(err)
		}
	}
	c := l.Clone()
	if err := c.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if err := c.Update("b", Message{Name: "b", Mode: ModeHex, Payload: "ff"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Add(Message{Name: "x", Mode: ModeText, Payload: "x", Charset: "nope"}); err == nil {
		t.Error("the clone lost its checker: an unknown charset was accepted")
	}
	wantNames(t, l, "a", "b")
	wantNames(t, c, "b")
	if m, _ := l.Find("b"); m.Mode != ModeText {
		t.Errorf("the original's b changed with the clone's: %+v", m)
	}
}
