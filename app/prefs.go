package app

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
)

// maxRecent is how many values a field's recent list keeps.
const maxRecent = 10

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

// onOff stores a check box's state as a preference string.
func onOff(on bool) string {
	if on {
		return "on"
	}
	return ""
}
