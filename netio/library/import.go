package library

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/internal/jsonfile"
)

// Decision is what happens to an incoming message whose name a message of the
// library already has.
type Decision int

const (
	Undecided Decision = iota
	Keep               // keep the library's message; the incoming one is not imported
	Replace            // the incoming message replaces the library's, in its place
	Rename             // the incoming message is added as "NAME (2)" ("NAME (3)", ...)
)

var decisionNames = [...]string{Undecided: "undecided", Keep: "keep", Replace: "replace", Rename: "rename"}

func (d Decision) String() string {
	if d >= 0 && int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return "Decision(" + strconv.Itoa(int(d)) + ")"
}

// ParseDecision reads a clash policy as the command line's --on-clash takes
// it: keep, replace or rename.
func ParseDecision(s string) (Decision, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "keep":
		return Keep, nil
	case "replace":
		return Replace, nil
	case "rename":
		return Rename, nil
	}
	return Undecided, fmt.Errorf("%q is not keep, replace or rename", s)
}

// Clash is an incoming message whose name (regardless of case) is taken in
// the library by a message with different content.
type Clash struct {
	Existing Message
	Incoming Message
}

// Plan is an import waiting for decisions. PlanImport makes it; the caller
// decides each clash (Decide, or DecideAll for one policy) and passes the
// plan to Import.
type Plan struct {
	incoming  []Message
	clashes   []Clash
	decisions map[string]Decision // by the incoming name, folded
}

// PlanImport prepares importing incoming (which must be valid and have
// distinct names) into l and lists the clashes. An incoming message equal to
// the library's message of that name is no clash: it is left as it is.
func (l *Library) PlanImport(incoming []Message) (*Plan, error) {
	for i, m := range incoming {
		if err := m.Validate(l.check); err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Path = jsonfile.Key(jsonfile.Index("messages", i), e.Path)
			}
			return nil, err
		}
		if j := slices.IndexFunc(incoming[:i], func(o Message) bool { return sameName(o.Name, m.Name) }); j >= 0 {
			return nil, &Error{Path: jsonfile.Key(jsonfile.Index("messages", i), fieldName),
				Msg: fmt.Sprintf("%q is already the name of messages[%d]", m.Name, j)}
		}
	}
	p := &Plan{incoming: slices.Clone(incoming), decisions: map[string]Decision{}}
	p.clashes = l.clashes(p.incoming)
	return p, nil
}

func (l *Library) clashes(incoming []Message) []Clash {
	var out []Clash
	for _, m := range incoming {
		if old, ok := l.Find(m.Name); ok && old != m {
			out = append(out, Clash{Existing: old, Incoming: m})
		}
	}
	return out
}

// Incoming returns the messages to import, in order.
func (p *Plan) Incoming() []Message { return slices.Clone(p.incoming) }

// Clashes lists the clashes in the order of the incoming messages.
func (p *Plan) Clashes() []Clash { return slices.Clone(p.clashes) }

// Decide records what to do with the incoming message named name.
func (p *Plan) Decide(name string, d Decision) error {
	if d != Keep && d != Replace && d != Rename {
		return fmt.Errorf("decide %q: %v is not keep, replace or rename", name, d)
	}
	if !slices.ContainsFunc(p.clashes, func(c Clash) bool { return sameName(c.Incoming.Name, name) }) {
		return fmt.Errorf("decide %q: no incoming message of that name clashes", name)
	}
	p.decisions[strings.ToLower(name)] = d
	return nil
}

// DecideAll applies d to every clash not decided yet.
func (p *Plan) DecideAll(d Decision) {
	for _, c := range p.clashes {
		if p.decision(c.Incoming.Name) == Undecided {
			p.decisions[strings.ToLower(c.Incoming.Name)] = d
		}
	}
}

func (p *Plan) decision(name string) Decision { return p.decisions[strings.ToLower(name)] }

// Undecided lists the incoming names of the clashes without a decision.
func (p *Plan) Undecided() []string {
	var out []string
	for _, c := range p.clashes {
		if p.decision(c.Incoming.Name) == Undecided {
			out = append(out, c.Incoming.Name)
		}
	}
	return out
}

// UndecidedError is Import refusing a plan with clashes nobody decided, which
// happens if the library changed since PlanImport: plan again.
type UndecidedError struct{ Names []string }

func (e *UndecidedError) Error() string {
	return fmt.Sprintf("import: no decision for the clash of %s", quoteList(e.Names))
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// Renamed is an incoming message added under another name.
type Renamed struct{ From, To string }

// Result says what an import did with each incoming message, by name.
type Result struct {
	Added     []string  // new names, appended
	Replaced  []string  // replaced in place
	Renamed   []Renamed // added under a new name
	Kept      []string  // clashes decided Keep: not imported
	Unchanged []string  // already in the library as they are
}

// Import applies a plan: new messages are appended in their order, clashes
// are resolved as decided. It checks the clashes again against the library as
// it is now; one without a decision is an *UndecidedError and nothing
// changes.
func (l *Library) Import(p *Plan) (Result, error) {
	var res Result
	if missing := (&Plan{clashes: l.clashes(p.incoming), decisions: p.decisions}).Undecided(); len(missing) > 0 {
		return res, &UndecidedError{Names: missing}
	}
	next := l.clone()
	incomingNames := make([]string, len(p.incoming))
	for i, m := range p.incoming {
		incomingNames[i] = m.Name
	}
	for _, m := range p.incoming {
		i := next.Index(m.Name)
		switch {
		case i < 0:
			next.messages = append(next.messages, m)
			res.Added = append(res.Added, m.Name)
		case next.messages[i] == m:
			res.Unchanged = append(res.Unchanged, m.Name)
		default:
			switch p.decision(m.Name) {
			case Keep:
				res.Kept = append(res.Kept, m.Name)
			case Replace:
				next.messages[i] = m
				res.Replaced = append(res.Replaced, m.Name)
			case Rename:
				from := m.Name
				m.Name = next.unique(from, func(n int) string { return " (" + strconv.Itoa(n+1) + ")" }, incomingNames)
				next.messages = append(next.messages, m)
				res.Renamed = append(res.Renamed, Renamed{From: from, To: m.Name})
			}
		}
	}
	l.messages = next.messages
	return res, nil
}
