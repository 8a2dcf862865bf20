package app

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/sockdesk/sockdesk/netio/payload"
)

func TestPrefsGetSet(t *testing.T) {
	a := test.NewTempApp(t)
	udp, tcp := newPrefs(a, "udp"), newPrefs(a, "tcpclient")
	if got := udp.get("port", "7788"); got != "7788" {
		t.Errorf("default %q", got)
	}
	udp.set("port", "9000")
	if got := udp.get("port", "7788"); got != "9000" {
		t.Errorf("got %q", got)
	}
	if got := tcp.get("port", "80"); got != "80" {
		t.Errorf("kinds share a field: %q", got)
	}
	if got := newPrefs(a, "udp").get("port", ""); got != "9000" {
		t.Errorf("a new prefs value does not see the setting: %q", got)
	}
}

func TestPrefsRecent(t *testing.T) {
	a := test.NewTempApp(t)
	p := newPrefs(a, "tcpclient")
	if got := p.recent("host"); len(got) != 0 {
		t.Fatalf("empty list %v", got)
	}
	p.addRecent("host", "a")
	p.addRecent("host", "b")
	p.addRecent("host", "c")
	if got := p.recent("host"); !slices.Equal(got, []string{"c", "b", "a"}) {
		t.Fatalf("order %v", got)
	}
	p.addRecent("host", "a") // moves to the front, no duplicate
	if got := p.recent("host"); !slices.Equal(got, []string{"a", "c", "b"}) {
		t.Fatalf("after re-adding a: %v", got)
	}
	p.addRecent("host", "a")
	p.addRecent("host", "  ") // blank values are not remembered
	if got := p.recent("host"); !slices.Equal(got, []string{"a", "c", "b"}) {
		t.Fatalf("after re-adding the first and a blank: %v", got)
	}
	for i := range 15 {
		p.addRecent("host", fmt.Sprint("h", i))
	}
	want := []string{"h14", "h13", "h12", "h11", "h10", "h9", "h8", "h7", "h6", "h5"}
	if got := p.recent("host"); !slices.Equal(got, want) {
		t.Fatalf("capped list %v, want %v", got, want)
	}
	// The list returned is the caller's to change.
	got := p.recent("host")
	got[0] = "changed"
	if p.recent("host")[0] != "h14" {
		t.Fatal("recent returned the stored slice")
	}
	// Fields and kinds have separate lists.
	if got := p.recent("port"); len(got) != 0 {
		t.Errorf("port list %v", got)
	}
	if got := newPrefs(a, "udp").recent("host"); len(got) != 0 {
		t.Errorf("udp host list %v", got)
	}
}

func TestPrefsQuickSends(t *testing.T) {
	a := test.NewTempApp(t)
	p := newPrefs(a, "udp")
	if got := p.quickSends(); len(got) != 0 {
		t.Fatalf("none saved: %v", got)
	}
	p.saveQuickSend(quickSend{Name: "beta", Text: "c4 e3", Mode: payload.ModeHex})
	p.saveQuickSend(quickSend{Name: "Alpha", Text: `AT\r\n`, Mode: payload.ModeEscapes})
	p.saveQuickSend(quickSend{Name: "gamma", Text: "你好", Mode: payload.ModeText})
	p.saveQuickSend(quickSend{Name: "", Text: "nameless"}) // ignored
	want := []quickSend{
		{Name: "Alpha", Text: `AT\r\n`, Mode: payload.ModeEscapes},
		{Name: "beta", Text: "c4 e3", Mode: payload.ModeHex},
		{Name: "gamma", Text: "你好", Mode: payload.ModeText},
	}
	if got := p.quickSends(); !slices.Equal(got, want) {
		t.Fatalf("saved %+v, want %+v", got, want)
	}
	// Shared by every session kind.
	if got := newPrefs(a, "tcpserver").quickSends(); !slices.Equal(got, want) {
		t.Fatalf("tcpserver sees %+v", got)
	}
	// Same name replaces.
	p.saveQuickSend(quickSend{Name: "beta", Text: "ff", Mode: payload.ModeHex})
	if q, ok := p.findQuickSend("beta"); !ok || q.Text != "ff" || len(p.quickSends()) != 3 {
		t.Fatalf("after replacing: %+v", p.quickSends())
	}
	p.deleteQuickSend("Alpha")
	p.deleteQuickSend("no such")
	if got := p.quickSendNames(); !slices.Equal(got, []string{"beta", "gamma"}) {
		t.Fatalf("after delete: %v", got)
	}
	// Stored as one JSON string, modes by name.
	if raw := a.Preferences().String(quickSendKey); raw != `[{"name":"beta","text":"ff","mode":"hex"},{"name":"gamma","text":"你好","mode":"text"}]` {
		t.Errorf("stored %s", raw)
	}
	// A damaged preference reads as nothing saved rather than failing.
	a.Preferences().SetString(quickSendKey, "{not json")
	if got := p.quickSends(); len(got) != 0 {
		t.Errorf("damaged: %+v", got)
	}
	a.Preferences().SetString(quickSendKey, `[{"name":"x","text":"y","mode":"bogus"}]`)
	if got := p.quickSends(); len(got) != 1 || got[0].Mode != payload.ModeText {
		t.Errorf("unknown mode: %+v", got)
	}
}
