package app

import (
	"maps"
	"strconv"

	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/workspace"
)

// A session's settings as a workspace file holds them (package workspace): each
// field that is saved is registered with keep under the name the panel's
// preferences already use for it ("bind", "port", "message", ...), with how to
// read and write it as text. capture reads them all; restore writes back those a
// file has. The window saves every open session this way when it closes and opens
// them again at the next start; File → Save/Open workspace use the same two calls.

// kept is one saved setting.
type kept struct {
	name string
	get  func() string
	set  func(string)
}

// keptList is a saved setting with many values (the auto-reply rules).
type keptList struct {
	name string
	get  func() []string
	set  func([]string)
}

// keep registers a setting.
func (s *session) keep(name string, get func() string, set func(string)) {
	s.kept = append(s.kept, kept{name, get, set})
}

// keepList registers a setting with many values.
func (s *session) keepList(name string, get func() []string, set func([]string)) {
	s.keptLists = append(s.keptLists, keptList{name, get, set})
}

// keepEntry registers an entry's text.
func (s *session) keepEntry(name string, e *widget.Entry) {
	s.keep(name, func() string { return e.Text }, e.SetText)
}

// keepCheck registers a check box, saved as "on" or "".
func (s *session) keepCheck(name string, c *widget.Check) {
	s.keep(name, func() string { return onOff(c.Checked) }, func(v string) { c.SetChecked(v == "on") })
}

// keepIndex registers a Select whose options are translated, by the position of
// the choice (names[i] is how the file says option i).
func (s *session) keepIndex(name string, sel *widget.Select, names []string) {
	s.keep(name, func() string {
		if i := sel.SelectedIndex(); i >= 0 && i < len(names) {
			return names[i]
		}
		return ""
	}, func(v string) {
		for i, n := range names {
			if n == v {
				sel.SetSelectedIndex(i)
			}
		}
	})
}

// keepTool registers which tool the drawer shows ("" folded).
func (s *session) keepTool() {
	s.keep("tool", s.drawer.Open, func(id string) {
		if id == "" {
			s.drawer.Fold()
		} else {
			s.drawer.Show(id)
		}
	})
}

// knownSettings are the names registered with keep and keepList.
func (s *session) knownSettings() []string {
	var names []string
	for _, k := range s.kept {
		names = append(names, k.name)
	}
	for _, k := range s.keptLists {
		names = append(names, k.name)
	}
	return names
}

// capture is the session's settings as a workspace saves them. Settings a file
// gave that this version does not use are saved back as they were.
func (s *session) capture() workspace.Session {
	ws := workspace.Session{Kind: workspace.Kind(s.kind), Settings: map[string]string{}}
	if s.unknown.Settings != nil {
		maps.Copy(ws.Settings, s.unknown.Settings)
	}
	for _, k := range s.kept {
		ws.Settings[k.name] = k.get()
	}
	if len(s.keptLists) > 0 || len(s.unknown.Lists) > 0 {
		ws.Lists = map[string][]string{}
		maps.Copy(ws.Lists, s.unknown.Lists)
		for _, k := range s.keptLists {
			ws.Lists[k.name] = k.get()
		}
	}
	return ws
}

// restore sets the session's fields from a saved session: those it has, lists
// first (a setting may be about a list's entries, as "rules.off" is), then the
// settings in the order they were registered (so the charset comes before the
// message typed in it). The fields check their values as they check what is typed.
func (s *session) restore(ws workspace.Session) {
	for _, k := range s.keptLists {
		if v, ok := ws.Lists[k.name]; ok {
			k.set(v)
		}
	}
	for _, k := range s.kept {
		if v, ok := ws.Settings[k.name]; ok {
			k.set(v)
		}
	}
	s.unknown = workspace.Session{Settings: map[string]string{}, Lists: map[string][]string{}}
	for _, name := range ws.Unknown(s.knownSettings()...) {
		if v, ok := ws.Settings[name]; ok {
			s.unknown.Settings[name] = v
		}
		if v, ok := ws.Lists[name]; ok {
			s.unknown.Lists[name] = v
		}
	}
}

// itoa and atoi spell the small numbers settings hold.
func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}
