package app

import (
	"encoding/json"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// maxRecent is how many values a field's recent list keeps.
const maxRecent = 10

// quickSendKey is the preference holding every saved quick-send message, as JSON.
// Quick sends are shared by all session kinds: a message saved in a UDP panel is
// offered in the TCP panels too.
const quickSendKey = "quicksend"

// prefs reads and writes one session kind's remembered settings (Fyne
// preferences). Keys are "<kind>.<field>", recent lists "<kind>.recent.<field>".
// It is a small value type; copies share the same preferences.
type prefs struct {
	p    fyne.Preferences
	kind string // "udp", "tcpclient", "tcpserver"
}

func newPrefs(a fyne.App, kind string) prefs { return prefs{p: a.Preferences(), kind: kind} }

func (p prefs) key(field string) string { return p.kind + "." + field }

// get returns a remembered form value, or def.
func (p prefs) get(field, def string) string { return p.p.StringWithFallback(p.key(field), def) }

// set remembers a form value.
func (p prefs) set(field, value string) { p.p.SetString(p.key(field), value) }

// recent lists remembered values of a field, newest first.
func (p prefs) recent(field string) []string {
	return slices.Clone(p.p.StringList(p.key("recent." + field)))
}

// addRecent puts value first in the field's recent list, removing an older copy
// of it and keeping at most maxRecent values. Blank values are not remembered.
func (p prefs) addRecent(field, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	old := p.p.StringList(p.key("recent." + field))
	list := make([]string, 0, maxRecent)
	list = append(list, value)
	for _, v := range old {
		if len(list) == maxRecent {
			break
		}
		if v != value {
			list = append(list, v)
		}
	}
	p.p.SetStringList(p.key("recent."+field), list)
}

// quickSend is a message saved by name for sending again.
type quickSend struct {
	Name, Text string
	Mode       payload.Mode
}

// storedQuickSend is quickSend as JSON: the mode by name, so the stored form
// survives a reordering of netio's Mode constants.
type storedQuickSend struct {
	Name string `json:"name"`
	Text string `json:"text"`
	Mode string `json:"mode"`
}

// quickSends returns the saved messages, sorted by name. A damaged preference
// yields the entries that can be read (or none), never an error.
func (p prefs) quickSends() []quickSend {
	raw := p.p.String(quickSendKey)
	if raw == "" {
		return nil
	}
	var stored []storedQuickSend
	if err := json.Unmarshal([]byte(raw), &stored); err != nil {
		return nil
	}
	out := make([]quickSend, 0, len(stored))
	for _, s := range stored {
		if s.Name == "" {
			continue
		}
		mode, err := payload.ParseMode(s.Mode)
		if err != nil {
			mode = payload.ModeText
		}
		out = append(out, quickSend{Name: s.Name, Text: s.Text, Mode: mode})
	}
	return out
}

// quickSendNames lists the saved names in the order quickSends returns them.
func (p prefs) quickSendNames() []string {
	qs := p.quickSends()
	names := make([]string, len(qs))
	for i, q := range qs {
		names[i] = q.Name
	}
	return names
}

// findQuickSend returns the saved message with that name.
func (p prefs) findQuickSend(name string) (quickSend, bool) {
	for _, q := range p.quickSends() {
		if q.Name == name {
			return q, true
		}
	}
	return quickSend{}, false
}

// saveQuickSend stores q, replacing a saved message with the same name.
func (p prefs) saveQuickSend(q quickSend) {
	if q.Name == "" {
		return
	}
	qs := slices.DeleteFunc(p.quickSends(), func(o quickSend) bool { return o.Name == q.Name })
	p.storeQuickSends(append(qs, q))
}

// deleteQuickSend removes the saved message with that name, if any.
func (p prefs) deleteQuickSend(name string) {
	qs := p.quickSends()
	kept := slices.DeleteFunc(slices.Clone(qs), func(o quickSend) bool { return o.Name == name })
	if len(kept) != len(qs) {
		p.storeQuickSends(kept)
	}
}

func (p prefs) storeQuickSends(qs []quickSend) {
	slices.SortStableFunc(qs, func(a, b quickSend) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	stored := make([]storedQuickSend, len(qs))
	for i, q := range qs {
		stored[i] = storedQuickSend{Name: q.Name, Text: q.Text, Mode: q.Mode.String()}
	}
	b, err := json.Marshal(stored)
	if err != nil { // cannot happen: strings only
		return
	}
	p.p.SetString(quickSendKey, string(b))
}

// onOff stores a check box's state as a preference string.
func onOff(on bool) string {
	if on {
		return "on"
	}
	return ""
}
