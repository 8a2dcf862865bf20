package workspace

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sockdesk/sockdesk/internal/jsonfile"
)

// Parse reads a workspace file's content; file names it in errors. It opens
// what it can: a session that is not an object or has an unknown kind is
// left out, a setting or list of the wrong type is dropped, a field this
// version does not know is ignored, and a file of a newer version is read
// for what this version understands; each is a Problem. The error is for a
// file that is not a workspace at all.
func Parse(data []byte, file string) (*Workspace, []Problem, error) {
	root, err := jsonfile.Parse(data, file)
	if err != nil {
		return nil, nil, err
	}
	obj, err := root.AsObject()
	if err != nil {
		return nil, nil, err
	}
	var p parser
	if err := p.header(obj); err != nil {
		return nil, nil, err
	}
	for _, k := range obj.Unknown("format", "version", "active", "sessions") {
		v, _ := obj.Get(k)
		p.note(v, -1, false, "not understood by this version: ignored")
	}
	list, ok := obj.Get("sessions")
	if !ok {
		return nil, nil, obj.Errorf(`no "sessions": want "sessions": [...]`)
	}
	items, err := list.AsArray()
	if err != nil {
		return nil, nil, err
	}
	w := &Workspace{}
	active := p.active(obj, len(items))
	for i, item := range items {
		s, ok := p.session(item, i)
		if !ok {
			continue
		}
		if i == active {
			w.Active = len(w.Sessions)
		}
		w.Sessions = append(w.Sessions, s)
	}
	return w, p.problems, nil
}

type parser struct{ problems []Problem }

func (p *parser) note(v jsonfile.Value, session int, skipped bool, format string, args ...any) {
	p.problems = append(p.problems, Problem{Path: v.Path(), Session: session, Skipped: skipped, Msg: fmt.Sprintf(format, args...)})
}

// header checks "format" and "version": another format is an error, a newer
// version a problem.
func (p *parser) header(obj jsonfile.Object) error {
	f, ok := obj.Get("format")
	if !ok {
		return obj.Errorf(`no "format": this is not a Sockdesk workspace (want "format": %q)`, FormatName)
	}
	name, err := f.AsString()
	if err != nil {
		return err
	}
	if name != FormatName {
		return f.Errorf("%q is not %q: this file is not a Sockdesk workspace", name, FormatName)
	}
	v, ok := obj.Get("version")
	if !ok {
		return obj.Errorf(`no "version": want "version": %d`, Version)
	}
	n, err := v.AsInt()
	if err != nil {
		return err
	}
	switch {
	case n < 1:
		return v.Errorf("%d is not a version (want %d)", n, Version)
	case n > Version:
		p.note(v, -1, false, "version %d was written by a newer Sockdesk: this one (version %d) opened what it understands, and saving writes version %d", n, Version, Version)
	}
	return nil
}

// active reads the index of the session in front; -1 if there is none.
func (p *parser) active(obj jsonfile.Object, sessions int) int {
	v, ok := obj.Get("active")
	if !ok {
		return 0
	}
	n, err := v.AsInt()
	if err != nil {
		p.note(v, -1, false, "want the number of a session, found %s: the first session is in front", v.Kind())
		return 0
	}
	if sessions > 0 && (n < 0 || n >= int64(sessions)) {
		p.note(v, -1, false, "there is no session %d: the first session is in front", n)
		return 0
	}
	return int(n)
}

func (p *parser) session(item jsonfile.Value, i int) (Session, bool) {
	obj, err := item.AsObject()
	if err != nil {
		p.note(item, i, true, "want an object, found %s", item.Kind())
		return Session{}, false
	}
	k, ok := obj.Get("kind")
	if !ok {
		p.note(item, i, true, `no "kind"`)
		return Session{}, false
	}
	kind, err := k.AsString()
	if err != nil {
		p.note(k, i, true, "want a string, found %s", k.Kind())
		return Session{}, false
	}
	if !slices.Contains(Kinds(), Kind(kind)) {
		p.note(k, i, true, "unknown kind %q (this version knows %s)", kind, kindList())
		return Session{}, false
	}
	s := Session{Kind: Kind(kind), Settings: map[string]string{}, Lists: map[string][]string{}}
	for _, key := range obj.Unknown("kind", "settings", "lists") {
		v, _ := obj.Get(key)
		p.note(v, i, false, "not understood by this version: ignored")
	}
	if v, ok := obj.Get("settings"); ok {
		p.settings(v, i, s.Settings)
	}
	if v, ok := obj.Get("lists"); ok {
		p.lists(v, i, s.Lists)
	}
	return s, true
}

func (p *parser) settings(v jsonfile.Value, i int, into map[string]string) {
	obj, err := v.AsObject()
	if err != nil {
		p.note(v, i, false, "want an object of settings, found %s: the session opens with its usual settings", v.Kind())
		return
	}
	for _, key := range obj.Keys() {
		e, _ := obj.Get(key)
		s, err := e.AsString()
		if err != nil {
			p.note(e, i, false, "want a string, found %s: the setting was dropped", e.Kind())
			continue
		}
		into[key] = s
	}
}

func (p *parser) lists(v jsonfile.Value, i int, into map[string][]string) {
	obj, err := v.AsObject()
	if err != nil {
		p.note(v, i, false, "want an object of lists, found %s: the lists were dropped", v.Kind())
		return
	}
	for _, key := range obj.Keys() {
		e, _ := obj.Get(key)
		items, err := e.AsArray()
		if err != nil {
			p.note(e, i, false, "want a list of strings, found %s: the list was dropped", e.Kind())
			continue
		}
		list := make([]string, 0, len(items))
		for _, item := range items {
			s, err := item.AsString()
			if err != nil {
				p.note(item, i, false, "want a string, found %s: the entry was dropped", item.Kind())
				continue
			}
			list = append(list, s)
		}
		into[key] = list
	}
}

func kindList() string {
	names := make([]string, 0, len(Kinds()))
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}
