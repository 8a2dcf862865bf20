package app

import (
	"encoding/json"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
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
	acc    *widget.Accordion
	item   *widget.AccordionItem
	set    *respond.RuleSet // the rules in use
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
	errText *widget.Label
	obj     *fyne.Container
}

func newRulesBox(p prefs, charset func() *charset.Charset) *rulesBox {
	b := &rulesBox{prefs: p, charset: charset, resp: respond.NewResponder(nil)}
	b.list = container.NewVBox()
	b.addBtn = widget.NewButtonWithIcon(tr("Add rule"), theme.ContentAddIcon(), func() {
		b.addRow(storedRule{On: true, Mode: payload.ModeEscapes.String()})
		b.apply()
	})
	hint := widget.NewLabel(trf("A reply goes back for every received message a rule matches (UDP: each datagram; TCP: each chunk read), by the first rule that matches. Text kinds match the decoded text, Hex bytes the raw bytes; Exact ignores a trailing line ending. A regular expression's reply may use $1 or ${name}. Placeholders: %s", payload.PlaceholderHelp))
	hint.Wrapping = fyne.TextWrapWord
	b.item = widget.NewAccordionItem("", container.NewVBox(hint, b.list, container.NewHBox(b.addBtn)))
	b.acc = widget.NewAccordion(b.item)
	for _, r := range b.load() {
		b.addRow(r)
	}
	b.apply()
	return b
}

// Object is the editor, an accordion item titled with the number of rules.
func (b *rulesBox) Object() fyne.CanvasObject { return b.acc }

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
	r.pattern.SetPlaceHolder(tr("Match"))
	r.pattern.SetText(s.Pattern)
	r.pattern.OnChanged = func(string) { b.apply() }
	r.reply = widget.NewEntry()
	r.reply.SetPlaceHolder(tr("Reply"))
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
	r.errText = newErrorLabel()
	line := container.NewBorder(nil, nil,
		container.NewHBox(r.on, fit.Options(r.kind)),
		container.NewHBox(fit.Options(r.mode), r.fired, r.del),
		container.NewGridWithColumns(2, r.pattern, r.reply))
	r.obj = container.NewVBox(line, r.errText)
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
	active := 0
	for i, r := range b.rows {
		setErrorLabel(r.errText, ruleErrorText(errs[i]))
		if errs[i] == nil && !rules[i].Disabled {
			active++
		}
	}
	b.refreshCounts()
	b.item.Title = trf("Auto-reply (%d of %d rules active)", active, len(b.rows))
	b.acc.Refresh()
	if data, err := json.Marshal(stored); err == nil {
		b.prefs.set(rulesKey, string(data))
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
