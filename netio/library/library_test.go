package library

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// testCheck knows a few charsets and checksums, as the real registries would.
func testCheck(kind, name string) error {
	known := map[string][]string{
		KindCharset:  {"utf-8", "gbk", "shift_jis"},
		KindChecksum: {"crc16-modbus", "sum8", "crc32"},
	}[kind]
	if slices.Contains(known, strings.ToLower(name)) {
		return nil
	}
	return fmt.Errorf("unknown %s %q (known: %s)", kind, name, strings.Join(known, ", "))
}

func names(msgs []Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Name
	}
	return out
}

func wantNames(t *testing.T, l *Library, want ...string) {
	t.Helper()
	if got := names(l.Messages()); !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
}

func sample(name string) Message {
	return Message{Name: name, Mode: ModeText, Payload: "hello " + name}
}

func mustAdd(t *testing.T, l *Library, msgs ...Message) {
	t.Helper()
	for _, m := range msgs {
		if err := l.Add(m); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAddFindUniqueRegardlessOfCase(t *testing.T) {
	l := New(testCheck)
	mustAdd(t, l, sample("Ping"), sample("Reset"))
	err := l.Add(sample("ping"))
	var ne *NameError
	if !errors.Is(err, ErrNameTaken) || !errors.As(err, &ne) || ne.Taken != "Ping" {
		t.Fatalf("adding ping next to Ping: %v", err)
	}
	if !strings.Contains(err.Error(), `"Ping"`) {
		t.Errorf("message %q does not name the message in the way", err)
	}
	if m, ok := l.Find("PING"); !ok || m.Name != "Ping" {
		t.Errorf("Find(PING) = %v, %v", m, ok)
	}
	if _, ok := l.Find("nothing"); ok {
		t.Error("Find found a missing message")
	}
	wantNames(t, l, "Ping", "Reset")
}

func TestAddValidates(t *testing.T) {
	l := New(testCheck)
	cases := []struct {
		m    Message
		path string
		msg  string
	}{
		{Message{Mode: ModeText}, "name", "a message needs a name"},
		{Message{Name: " x", Mode: ModeText}, "name", `" x" starts or ends with white space`},
		{Message{Name: "a\tb", Mode: ModeText}, "name", `"a\tb" has a control character (U+0009) at position 2`},
		{Message{Name: strings.Repeat("長", 101), Mode: ModeText}, "name", "is 101 characters long; the most is 100"},
		{Message{Name: "x", Mode: "bin"}, "mode", `"bin" is not text, escapes or hex`},
		{Message{Name: "x", Mode: ModeHex, Charset: "klingon"}, "charset", `unknown charset "klingon" (known: utf-8, gbk, shift_jis)`},
		{Message{Name: "x", Mode: ModeHex, Checksum: "crc16-modbus:middle"}, "checksum", `the byte order after the colon must be le or be`},
		{Message{Name: "x", Mode: ModeHex, Checksum: "md5:le"}, "checksum", `unknown checksum "md5"`},
		{Message{Name: "x", Mode: ModeHex, Destination: "10.0.0.1"}, "destination", `is not host:port`},
		{Message{Name: "x", Mode: ModeHex, Destination: "::1:80"}, "destination", `is not host:port`},
		{Message{Name: "x", Mode: ModeHex, Destination: "host:0"}, "destination", `not a number from 1 to 65535`},
		{Message{Name: "x", Mode: ModeHex, Destination: "host:http"}, "destination", `not a number from 1 to 65535`},
		{Message{Name: "x", Mode: ModeHex, Destination: ":80"}, "destination", `has no host`},
		{Message{Name: "x", Mode: ModeHex, Protocol: "sctp"}, "protocol", `"sctp" is not udp, tcp or tls`},
		{Message{Name: "x", Mode: ModeHex, Repeat: 1500 * time.Microsecond}, "repeat_ms", "not a whole number of milliseconds"},
		{Message{Name: "x", Mode: ModeHex, Repeat: 2 * time.Hour}, "repeat_ms", "7200000 is not a number of milliseconds from 1 to 3600000"},
	}
	for _, c := range cases {
		err := l.Add(c.m)
		var e *Error
		if !errors.As(err, &e) || e.Path != c.path || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("Add(%+v): %v; want %s: ...%s...", c.m, err, c.path, c.msg)
		}
	}
	if l.Len() != 0 {
		t.Errorf("invalid messages were added: %q", names(l.Messages()))
	}
	good := Message{Name: "Read coils", Group: "Modbus", Mode: ModeHex, Payload: "01 01 00 00 00 08",
		Charset: "gbk", Checksum: "crc16-modbus:le", Destination: "[fe80::1%eth0]:502", Protocol: TCP, Repeat: time.Second, Note: "n"}
	if err := l.Add(good); err != nil {
		t.Errorf("a valid message: %v", err)
	}
}

func TestUpdateRenameDelete(t *testing.T) {
	l := New(nil)
	mustAdd(t, l, sample("a"), sample("b"), sample("c"))
	changed := sample("b")
	changed.Payload = "new"
	if err := l.Update("B", changed); err != nil {
		t.Fatal(err)
	}
	if m, _ := l.Find("b"); m.Payload != "new" {
		t.Errorf("update did not change the payload: %+v", m)
	}
	if err := l.Rename("b", "C"); !errors.Is(err, ErrNameTaken) {
		t.Errorf("rename onto another message's name: %v", err)
	}
	if err := l.Rename("b", "B"); err != nil {
		t.Errorf("rename that changes only the case: %v", err)
	}
	if err := l.Rename("b", "bee"); err != nil {
		t.Fatal(err)
	}
	wantNames(t, l, "a", "bee", "c")
	if err := l.Rename("zzz", "y"); !errors.Is(err, ErrNotFound) {
		t.Errorf("rename a missing message: %v", err)
	}
	if err := l.Rename("a", ""); err == nil {
		t.Error("rename to an empty name was accepted")
	}
	if err := l.Delete("A"); err != nil {
		t.Fatal(err)
	}
	if err := l.Delete("a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
	wantNames(t, l, "bee", "c")
}

func TestDuplicateNames(t *testing.T) {
	l := New(nil)
	mustAdd(t, l, sample("X"), sample("Y"))
	for _, want := range []string{"X (copy)", "X (copy 2)", "X (copy 3)"} {
		m, err := l.Duplicate("X")
		if err != nil || m.Name != want {
			t.Fatalf("Duplicate = %q, %v; want %q", m.Name, err, want)
		}
	}
	// A copy of a copy counts on from the same base.
	if m, _ := l.Duplicate("X (copy 2)"); m.Name != "X (copy 4)" {
		t.Errorf("copy of a copy: %q", m.Name)
	}
	wantNames(t, l, "X", "X (copy 3)", "X (copy 2)", "X (copy 4)", "X (copy)", "Y")
	orig, _ := l.Find("X")
	dup, _ := l.Find("X (copy)")
	dup.Name = orig.Name
	if dup != orig {
		t.Errorf("the copy differs: %+v vs %+v", dup, orig)
	}
	long := strings.Repeat("n", MaxNameLen)
	mustAdd(t, l, sample(long))
	if m, err := l.Duplicate(long); err != nil || len([]rune(m.Name)) != MaxNameLen || !strings.HasSuffix(m.Name, " (copy)") {
		t.Errorf("copy of a name of the longest length: %q, %v", m.Name, err)
	}
	if _, err := l.Duplicate("nothing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("duplicate a missing message: %v", err)
	}
}

func TestMove(t *testing.T) {
	l := New(nil)
	mustAdd(t, l, sample("a"), sample("b"), sample("c"), sample("d"))
	if err := l.Move("a", 3); err != nil {
		t.Fatal(err)
	}
	wantNames(t, l, "b", "c", "d", "a")
	if err := l.Move("d", 0); err != nil {
		t.Fatal(err)
	}
	wantNames(t, l, "d", "b", "c", "a")
	if err := l.Move("c", l.Index("b")); err != nil { // take b's place
		t.Fatal(err)
	}
	wantNames(t, l, "d", "c", "b", "a")
	if err := l.Move("a", 4); err == nil {
		t.Error("move past the end was accepted")
	}
	if err := l.Move("zz", 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("move a missing message: %v", err)
	}
	wantNames(t, l, "d", "c", "b", "a")
}

func TestGroups(t *testing.T) {
	l := New(nil)
	in := func(name, group string) Message { m := sample(name); m.Group = group; return m }
	mustAdd(t, l, in("r1", "Modbus"), in("free", ""), in("s1", "SCPI"), in("r2", "modbus"), in("s2", "SCPI"))
	if got := l.Groups(); !slices.Equal(got, []string{"Modbus", "SCPI"}) {
		t.Errorf("Groups = %q", got)
	}
	if got := names(l.InGroup("MODBUS")); !slices.Equal(got, []string{"r1", "r2"}) {
		t.Errorf("InGroup(MODBUS) = %q", got)
	}
	if got := names(l.InGroup("")); !slices.Equal(got, []string{"free"}) {
		t.Errorf("InGroup(\"\") = %q", got)
	}
	g := l.Group("scpi")
	wantNames(t, g, "s1", "s2")
	g.Delete("s1")
	wantNames(t, l, "r1", "free", "s1", "r2", "s2") // the group is a copy
}
