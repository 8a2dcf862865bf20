package library

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Errors of the library's operations, matched with errors.Is.
var (
	ErrNotFound  = errors.New("no such message")
	ErrNameTaken = errors.New("the name is taken")
)

// NameError is an operation refused because of a message's name.
type NameError struct {
	Name  string // the name asked for
	Taken string // for ErrNameTaken, the existing message's name as written
	Err   error  // ErrNotFound or ErrNameTaken
}

func (e *NameError) Error() string {
	if e.Err == ErrNameTaken && e.Taken != e.Name {
		return fmt.Sprintf("%v: %q (a message is named %q; names are the same regardless of case)", e.Err, e.Name, e.Taken)
	}
	return fmt.Sprintf("%v: %q", e.Err, e.Name)
}

func (e *NameError) Unwrap() error { return e.Err }

// Library is an ordered list of messages with unique names. The zero value is
// an empty library that checks names with no Checker.
type Library struct {
	messages []Message
	check    Checker
}

// New returns an empty library whose messages' charset and checksum names
// are checked by check (nil: syntax only).
func New(check Checker) *Library { return &Library{check: check} }

// Len is the number of messages.
func (l *Library) Len() int { return len(l.messages) }

// Messages returns a copy of the messages, in order.
func (l *Library) Messages() []Message { return slices.Clone(l.messages) }

// Index is the position of the message with that name (regardless of case),
// or -1.
func (l *Library) Index(name string) int {
	return slices.IndexFunc(l.messages, func(m Message) bool { return sameName(m.Name, name) })
}

// Find returns the message with that name, regardless of case.
func (l *Library) Find(name string) (Message, bool) {
	if i := l.Index(name); i >= 0 {
		return l.messages[i], true
	}
	return Message{}, false
}

func (l *Library) find(name string) (int, error) {
	if i := l.Index(name); i >= 0 {
		return i, nil
	}
	return -1, &NameError{Name: name, Err: ErrNotFound}
}

// free checks that name is not used by a message other than the one at skip.
func (l *Library) free(name string, skip int) error {
	if i := l.Index(name); i >= 0 && i != skip {
		return &NameError{Name: name, Taken: l.messages[i].Name, Err: ErrNameTaken}
	}
	return nil
}

// Add appends m, which must be valid and have a name not in use.
func (l *Library) Add(m Message) error {
	if err := m.Validate(l.check); err != nil {
		return err
	}
	if err := l.free(m.Name, -1); err != nil {
		return err
	}
	l.messages = append(l.messages, m)
	return nil
}

// Update replaces the message named name with m, in its place. m may have a
// new name, which must not be another message's.
func (l *Library) Update(name string, m Message) error {
	i, err := l.find(name)
	if err != nil {
		return err
	}
	if err := m.Validate(l.check); err != nil {
		return err
	}
	if err := l.free(m.Name, i); err != nil {
		return err
	}
	l.messages[i] = m
	return nil
}

// Rename gives the message named old the name new (which may differ from old
// only in case).
func (l *Library) Rename(old, new string) error {
	i, err := l.find(old)
	if err != nil {
		return err
	}
	m := l.messages[i]
	m.Name = new
	return l.Update(old, m)
}

// copySuffix matches what Duplicate appends, so that a copy of a copy is
// "X (copy 2)" rather than "X (copy) (copy)".
var copySuffix = regexp.MustCompile(` \(copy(?: [0-9]+)?\)$`)

// Duplicate inserts a copy of the message named name right after it, named
// "NAME (copy)", or "NAME (copy 2)", "NAME (copy 3)", ... if that is taken,
// and returns the copy.
func (l *Library) Duplicate(name string) (Message, error) {
	i, err := l.find(name)
	if err != nil {
		return Message{}, err
	}
	m := l.messages[i]
	base := copySuffix.ReplaceAllString(m.Name, "")
	m.Name = l.unique(base, func(n int) string {
		if n == 1 {
			return " (copy)"
		}
		return " (copy " + strconv.Itoa(n) + ")"
	}, nil)
	l.messages = slices.Insert(l.messages, i+1, m)
	return m, nil
}

// unique returns base+suffix(n) for the smallest n from 1 that is neither in
// the library nor in also, shortening base so the name stays within
// MaxNameLen characters.
func (l *Library) unique(base string, suffix func(n int) string, also []string) string {
	for n := 1; ; n++ {
		s := suffix(n)
		b := base
		if over := utf8.RuneCountInString(b) + utf8.RuneCountInString(s) - MaxNameLen; over > 0 {
			r := []rune(b)
			b = string(r[:max(len(r)-over, 0)])
		}
		name := b + s
		if l.Index(name) < 0 && !slices.ContainsFunc(also, func(a string) bool { return sameName(a, name) }) {
			return name
		}
	}
}

// Move puts the message named name at position to (0 is the first), shifting
// the others. To move a button among those of one group, move it to the
// Index of the neighbour it should take the place of.
func (l *Library) Move(name string, to int) error {
	i, err := l.find(name)
	if err != nil {
		return err
	}
	if to < 0 || to >= len(l.messages) {
		return fmt.Errorf("move %q to position %d: the library has positions 0 to %d", name, to, len(l.messages)-1)
	}
	m := l.messages[i]
	l.messages = slices.Insert(slices.Delete(l.messages, i, i+1), to, m)
	return nil
}

// Delete removes the message named name.
func (l *Library) Delete(name string) error {
	i, err := l.find(name)
	if err != nil {
		return err
	}
	l.messages = slices.Delete(l.messages, i, i+1)
	return nil
}

// Groups lists the groups in use, each once (regardless of case, spelled as
// its first message spells it), in the order they first appear. Messages
// without a group are not counted: they are group "".
func (l *Library) Groups() []string {
	var out []string
	for _, m := range l.messages {
		if m.Group != "" && !slices.ContainsFunc(out, func(g string) bool { return sameName(g, m.Group) }) {
			out = append(out, m.Group)
		}
	}
	return out
}

// InGroup returns the messages of a group (regardless of case), in order;
// group "" gives the messages that have none.
func (l *Library) InGroup(group string) []Message {
	var out []Message
	for _, m := range l.messages {
		if sameName(m.Group, group) {
			out = append(out, m)
		}
	}
	return out
}

// Group returns a new library holding the messages of a group (see InGroup),
// for exporting it.
func (l *Library) Group(group string) *Library {
	return &Library{messages: l.InGroup(group), check: l.check}
}

// Clone is a copy that can change without changing l: the app changes a
// copy, saves it, and only then puts it in place of the library it shows.
func (l *Library) Clone() *Library { return l.clone() }

// clone is a copy that can change without changing l.
func (l *Library) clone() *Library {
	return &Library{messages: slices.Clone(l.messages), check: l.check}
}
