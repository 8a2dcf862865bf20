package app

import (
	"encoding/json"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/app/workspace"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/payload"
	"github.com/sockdesk/sockdesk/netio/respond"
)

// rulesKey is the preference (per session kind) holding the auto-reply rules as
// JSON.
const rulesKey = "rules"

// matchLabels are the match kinds in English, indexed by respond.MatchKind.
var matchLabels = []string{
	respond.MatchExact:    "Exact",
	respond.MatchContains: "Contains",
	respond.MatchPrefix:   "Starts with",
	respond.MatchRegexp:   "Regular expression",
	respond.MatchHex:      "Hex bytes",
}

func matchOptions() []string {
	out := make([]string, len(matchLabels))
	for i := range matchLabels {
		out[i] = tr(matchLabels[i])
	}
	return out
}

// storedRule is a rule as saved: kinds and modes by name, so the stored form
// survives a reordering of netio's constants.
type storedRule struct {
	On      bool   `json:"on"`
	Match   string `json:"match"`
	Pattern string `json:"pattern"`
	Reply   string `json:"reply"`
	Mode    string `json:"mode"`
}

// rulesBox is a socket session's auto-reply rule editor: one row per rule, in
// the order they are tried. Every edit compiles the rules and hands the valid,
// enabled ones to the session's Responder at once, running or not; a rule
// that does not compile shows why under its row and is left out, the others
// keep working. Reply counts start again from 0 whenever the rules change.
//
// Widgets and fields are touched only on the UI goroutine; the endpoint reads
// the rules through resp, which is safe from its goroutines.
type rulesBox struct {
	prefs   prefs
	charset func() *charset.Charset
	resp    *respond.Responder

	rows   []*ruleRow
	list   *fyne.Container
	addBtn *widget.Button
	status *widget.Label // how many rules are active
	hint   *widget.Label
	obj    fyne.CanvasObject
	set    *respond.RuleSet // the rules in use

	// onActive, if set, hears whether any rule is active after each change (the
	// drawer marks the tab).
	onActive func(bool)
	active   int
}

// ruleRow is the editor of one rule.
type ruleRow struct {
	on      *widget.Check
	kind    *widget.Select // matchOptions, by respond.MatchKind
	pattern *widget.Entry
	reply   *widget.Entry
	mode    *widget.Select // modeOptions, by payload.Mode
	fired   *widget.Label
	del     *widget.Button
	errText *noteLine
	err     error
	kindBox *fyne.Container
	modeBox *fyne.Container
	obj     *fyne.Container
}

func newRulesBox(p prefs, charset func() *charset.Charset) *rulesBox {
	b := &rulesBox{prefs: p, charset: charset, resp: respond.NewResponder(nil)}
	b.list = container.NewVBox()
	b.addBtn = widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() {
		b.addRow(storedRule{On: true, Mode: payload.ModeEscapes.String()})
		b.apply()
	})
	b.status = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.hint = widget.NewLabel("")
	b.hint.Wrapping = fyne.TextWrapWord
	b.hint.Importance = widget.LowImportance
	// As wide as a rule's two lines need to show a pattern and a reply.
	b.obj = fit.Width(container.NewVBox(b.status, b.list, container.NewHBox(b.addBtn), b.hint), 400)
	for _, r := range b.load() {
		b.addRow(r)
	}
	b.relabel()
	b.apply()
	return b
}

// Object is the auto-reply tool's content: the rules, one after another.
func (b *rulesBox) Object() fyne.CanvasObject { return b.obj }

// relabel writes the editor's words in the UI language.
func (b *rulesBox) relabel() {
	b.addBtn.SetText(tr("Add rule"))
	b.hint.SetText(trf("A reply goes back for every received message a rule matches (UDP: each datagram; TCP: each chunk read), by the first rule that matches. Text kinds match the decoded text, Hex bytes the raw bytes; Exact ignores a trailing line ending. A regular expression's reply may use $1 or ${name}. Placeholders: %s", payload.PlaceholderHelp))
	for _, r := range b.rows {
		setOptions(r.kind, matchOptions())
		setOptions(r.mode, modeOptions())
		r.kindBox.Objects = []fyne.CanvasObject{fit.Options(r.kind)}
		r.modeBox.Objects = []fyne.CanvasObject{fit.Options(r.mode)}
		r.pattern.SetPlaceHolder(tr("Match"))
		r.reply.SetPlaceHolder(tr("Reply"))
	}
	b.showStatus()
	b.showErrors()
}

// changed tells onActive how things stand (after it is set).
func (b *rulesBox) changed() {
	if b.onActive != nil {
		b.onActive(b.active > 0)
	}
}

// keepIn registers the rules with a session's saved settings: the list "rules" in
// the rules' text form, and "rules.off" the numbers of those switched off.
func (b *rulesBox) keepIn(s *session) {
	s.keepList(workspace.ListRules, func() []string {
		out := make([]string, len(b.rows))
		for i, r := range b.rows {
			out[i] = r.rule().String()
		}
		return out
	}, func(texts []string) {
		for len(b.rows) > 0 {
			b.deleteRow(b.rows[0])
		}
		for _, t := range texts {
			r, err := respond.ParseRule(t)
			if err != nil {
				continue
			}
			b.addRow(storedRule{On: true, Match: r.Match.String(), Pattern: r.Pattern, Reply: r.Reply, Mode: r.ReplyMode.String()})
		}
		b.relabel()
		b.apply()
	})
	s.keep("rules.off", func() string {
		var off []string
		for i, r := range b.rows {
			if !r.on.Checked {
				off = append(off, itoa(i+1))
			}
		}
		return strings.Join(off, ",")
	}, func(v string) {
		for _, f := range strings.Split(v, ",") {
			if n, ok := atoi(strings.TrimSpace(f)); ok && n >= 1 && n <= len(b.rows) {
				b.rows[n-1].on.SetChecked(false)
			}
		}
	})
}

// Responder is what the session's endpoint answers with.
func (b *rulesBox) Responder() *respond.Responder { return b.resp }

// load reads the saved rules; a damaged preference yields none, never an error.
func (b *rulesBox) load() []storedRule {
	var rules []storedRule
	if s := b.prefs.get(rulesKey, ""); s != "" {
		if json.Unmarshal([]byte(s), &rules) != nil {
			return nil
		}
	}
	return rules
}

func (b *rulesBox) addRow(s storedRule) {
	r := &ruleRow{}
	r.on = widget.NewCheck("", func(bool) { b.apply() })
	r.on.SetChecked(s.On)
	r.kind = widget.NewSelect(matchOptions(), nil)
	kind, ok := respond.ParseMatchKind(s.Match)
	if !ok {
		kind = respond.MatchExact
	}
	r.kind.SetSelectedIndex(int(kind))
	r.kind.OnChanged = func(string) { b.apply() }
	r.pattern = widget.NewEntry()
	r.pattern.SetText(s.Pattern)
	r.pattern.OnChanged = func(string) { b.apply() }
	r.reply = widget.NewEntry()
	r.reply.SetText(s.Reply)
	r.reply.OnChanged = func(string) { b.apply() }
	r.mode = widget.NewSelect(modeOptions(), nil)
	mode, err := payload.ParseMode(s.Mode)
	if err != nil {
		mode = payload.ModeEscapes
	}
	r.mode.SetSelectedIndex(int(validMode(mode)))
	r.mode.OnChanged = func(string) { b.apply() }
	r.fired = widget.NewLabel("")
	r.del = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { b.deleteRow(r) })
	r.errText = newNoteLine(1)
	r.kindBox = container.NewStack(fit.Options(r.kind))
	r.modeBox = container.NewStack(fit.Options(r.mode))
	// Two lines, so that a rule reads whole in the drawer's pane: what it
	// matches, then what it replies.
	match := container.NewBorder(nil, nil, container.NewHBox(r.on, r.kindBox), r.del, r.pattern)
	reply := container.NewBorder(nil, nil, container.NewHBox(widget.NewIcon(theme.MailReplyIcon()), r.modeBox), r.fired, r.reply)
	r.obj = container.NewVBox(match, reply, r.errText, widget.NewSeparator())
	b.rows = append(b.rows, r)
	b.list.Add(r.obj)
}

func (b *rulesBox) deleteRow(r *ruleRow) {
	for i, x := range b.rows {
		if x == r {
			b.rows = append(b.rows[:i], b.rows[i+1:]...)
			break
		}
	}
	b.list.Remove(r.obj)
	b.apply()
}

// rule is the row's rule as netio takes it.
func (r *ruleRow) rule() respond.Rule {
	kind := respond.MatchKind(max(r.kind.SelectedIndex(), 0))
	mode := payload.ModeEscapes
	if i := r.mode.SelectedIndex(); i >= 0 {
		mode = validMode(payload.Mode(i))
	}
	return respond.Rule{Match: kind, Pattern: r.pattern.Text, Reply: r.reply.Text, ReplyMode: mode, Disabled: !r.on.Checked}
}

// apply compiles the rows for the session's charset, puts the valid rules in
// use, shows each row's error, and saves the rules.
func (b *rulesBox) apply() {
	rules := make([]respond.Rule, len(b.rows))
	stored := make([]storedRule, len(b.rows))
	for i, r := range b.rows {
		rules[i] = r.rule()
		stored[i] = storedRule{On: !rules[i].Disabled, Match: rules[i].Match.String(), Pattern: rules[i].Pattern,
			Reply: rules[i].Reply, Mode: rules[i].ReplyMode.String()}
	}
	var cs *charset.Charset
	if b.charset != nil {
		cs = b.charset()
	}
	set, errs := respond.Compile(rules, cs)
	b.set = set
	b.resp.Use(set)
	b.active = 0
	for i, r := range b.rows {
		r.err = errs[i]
		if errs[i] == nil && !rules[i].Disabled {
			b.active++
		}
	}
	b.showErrors()
	b.refreshCounts()
	b.showStatus()
	b.changed()
	if data, err := json.Marshal(stored); err == nil {
		b.prefs.set(rulesKey, string(data))
	}
}

// showStatus says how many rules are active.
func (b *rulesBox) showStatus() {
	b.status.SetText(trf("%d of %d rules active", b.active, len(b.rows)))
}

// showErrors shows each rule's error under it.
func (b *rulesBox) showErrors() {
	for _, r := range b.rows {
		if msg := ruleErrorText(r.err); msg != "" {
			r.errText.set("⚠ "+msg, noteError)
		} else {
			r.errText.set("", noteHint)
		}
	}
}

// ruleErrorText words a rule's error for its row: which part, and the
// engine's message with the position in that field.
func ruleErrorText(err error) string {
	if err == nil {
		return ""
	}
	var re *respond.RuleError
	if !errors.As(err, &re) {
		return capitalize(errorText(err))
	}
	part := tr("Match")
	if re.Part == "reply" {
		part = tr("Reply")
	}
	return part + ": " + payloadText(re.Err)
}

// refreshCounts shows how often each rule has replied (UI goroutine).
func (b *rulesBox) refreshCounts() {
	for i, r := range b.rows {
		text := ""
		if n := b.set.Fired(i + 1); n > 0 {
			text = trf("×%d", n)
		}
		if r.fired.Text != text {
			r.fired.SetText(text)
		}
	}
}

// watch refreshes the counts when a batch of events holds an auto-reply.
func (b *rulesBox) watch(batch []netio.Event) {
	for i := range batch {
		if batch[i].Rule > 0 {
			b.refreshCounts()
			return
		}
	}
}
