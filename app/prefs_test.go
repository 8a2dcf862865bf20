package app

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
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
