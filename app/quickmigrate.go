package app

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"

	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// The send box used to keep "saved messages" (name, text, mode) in a
// preference shared by every session kind, chosen from a drop-down. They are
// now the message library's: migrateQuickSends moves them there once, at the
// first start with the library, and removes the preference once the library
// holds them.

// quickSendKey is the old preference: a JSON list of storedQuickSend.
const quickSendKey = "quicksend"

// storedQuickSend is a saved message as the old preference holds it.
type storedQuickSend struct {
	Name string `json:"name"`
	Text string `json:"text"`
	Mode string `json:"mode"`
}

// oldQuickSends reads the old preference: the messages that can be read (a
// damaged preference gives none), in their order (sorted by name).
func oldQuickSends(p fyne.Preferences) []library.Message {
	raw := p.String(quickSendKey)
	if raw == "" {
		return nil
	}
	var stored []storedQuickSend
	if err := json.Unmarshal([]byte(raw), &stored); err != nil {
		return nil
	}
	var out []library.Message
	for _, s := range stored {
		if s.Name == "" {
			continue
		}
		mode, err := payload.ParseMode(s.Mode)
		if err != nil {
			mode = payload.ModeText
		}
		out = append(out, library.Message{Name: s.Name, Mode: library.Mode(mode.String()), Payload: s.Text})
	}
	return out
}

// migrateQuickSends moves the old saved messages into the library and
// removes the preference; it says how many it moved. A name the library
// takes as another message's (or twice, regardless of case) is kept as
// "NAME (2)"; a name the library would refuse (too long, control characters)
// is mended. If the library cannot take them (its file cannot be read, or
// the save fails), the preference stays for the next start.
func migrateQuickSends(p fyne.Preferences, store *libraryStore) (int, error) {
	old := oldQuickSends(p)
	if len(old) == 0 {
		if p.String(quickSendKey) != "" {
			p.RemoveValue(quickSendKey) // nothing in it can be read
		}
		return 0, nil
	}
	var incoming []library.Message
	taken := func(name string) bool {
		for _, m := range incoming {
			if strings.EqualFold(m.Name, name) {
				return true
			}
		}
		return false
	}
	for _, m := range old {
		base := mendName(m.Name)
		m.Name = base
		for n := 2; taken(m.Name); n++ {
			m.Name = withSuffix(base, " ("+strconv.Itoa(n)+")")
		}
		incoming = append(incoming, m)
	}
	err := store.change(func(l *library.Library) error {
		plan, err := l.PlanImport(incoming)
		if err != nil {
			return err
		}
		plan.DecideAll(library.Rename)
		_, err = l.Import(plan)
		return err
	})
	if err != nil {
		return 0, err
	}
	p.RemoveValue(quickSendKey)
	return len(incoming), nil
}

// mendName makes a name the library takes: control characters become spaces,
// no white space at either end, at most library.MaxNameLen characters, and
// not empty.
func mendName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, name)
	name = withSuffix(strings.TrimSpace(name), "")
	if name == "" {
		return "Message"
	}
	return name
}

// withSuffix appends suffix to base, shortening base so the whole stays
// within library.MaxNameLen characters.
func withSuffix(base, suffix string) string {
	room := library.MaxNameLen - utf8.RuneCountInString(suffix)
	if r := []rune(base); len(r) > room {
		base = strings.TrimSpace(string(r[:room]))
	}
	return base + suffix
}
