package app

import (
	"encoding/json"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio/extract"
)

// plotRulesKey is the preference (per session kind) holding the extraction
// rules as a JSON list of specs, and the workspace list that holds them.
const plotRulesKey = "plot.rules"

// plotRules is the Plot tool's rule editor: one extraction spec per row (kv,
// re:REGEX, json, csv, bin:NAME@OFFSET:TYPE[*SCALE]), each checked by
// extract.Parse as it is typed. The valid rules are applied together, running
// or not, from the next message on; a rule that does not parse says why under
// its row, with the position, and is left out. An empty row is not a rule yet.
// UI goroutine only.
type plotRules struct {
	prefs   prefs
	rows    []*plotRuleRow
	list    *fyne.Container
	addBtn  *widget.Button
	buttons *fyne.Container // Add rule, and what the tool puts beside it
	status  *widget.Label
	hint    *widget.Label
	obj     fyne.CanvasObject

	// onChange hears the valid rules after every edit.
	onChange func(set *extract.Set)
	active   int
}

// plotRuleRow is the editor of one rule.
type plotRuleRow struct {
	spec *widget.Entry
	del  *widget.Button
	note *noteLine
	err  error
	obj  *fyne.Container
}

func newPlotRules(p prefs) *plotRules {
	r := &plotRules{prefs: p}
	r.list = container.NewVBox()
	r.addBtn = widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() {
		r.addRow("kv")
		r.apply()
	})
	r.status = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.hint = widget.NewLabel("")
	r.hint.Wrapping = fyne.TextWrapWord
	r.hint.Importance = widget.LowImportance
	r.buttons = container.NewHBox(r.addBtn)
	r.obj = container.NewVBox(r.status, r.list, r.buttons, r.hint)
	var saved []string
	if s := p.get(plotRulesKey, ""); s != "" && json.Unmarshal([]byte(s), &saved) != nil {
		saved = nil // a damaged preference gives no rules, never an error
	}
	for _, spec := range saved {
		r.addRow(spec)
	}
	r.relabel()
	return r
}

// Object is the editor: the rules, then Add rule and what the rules can be.
func (r *plotRules) Object() fyne.CanvasObject { return r.obj }

// relabel writes the editor's words in the UI language.
func (r *plotRules) relabel() {
	r.addBtn.SetText(tr("Add rule"))
	r.hint.SetText(tr("A rule finds numbers in every received message (a frame, with framing on): kv reads key=value pairs (温度=23.5℃ gives 温度 23.5); re:REGEX the named groups (?P<name>…) of a regular expression; json numeric fields by their path; csv separated numbers as v1, v2, …; bin:NAME@OFFSET:TYPE[*SCALE] a binary field, e.g. bin:temp@2:i16be*0.1. A series per value and peer; each keeps its newest 100,000 points."))
	for _, row := range r.rows {
		row.spec.SetPlaceHolder(tr("kv, json, csv, re:… or bin:…"))
	}
	r.showStatus()
	r.showErrors()
}

func (r *plotRules) addRow(spec string) {
	row := &plotRuleRow{spec: widget.NewEntry(), note: newNoteLine(1)}
	row.spec.SetText(spec)
	row.spec.SetPlaceHolder(tr("kv, json, csv, re:… or bin:…"))
	row.spec.OnChanged = func(string) { r.apply() }
	row.del = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { r.deleteRow(row) })
	row.obj = container.NewVBox(container.NewBorder(nil, nil, nil, row.del, row.spec), row.note)
	r.rows = append(r.rows, row)
	r.list.Add(row.obj)
}

func (r *plotRules) deleteRow(row *plotRuleRow) {
	for i, x := range r.rows {
		if x == row {
			r.rows = append(r.rows[:i], r.rows[i+1:]...)
			break
		}
	}
	r.list.Remove(row.obj)
	r.apply()
}

// specs are the rows' texts, empty rows left out.
func (r *plotRules) specs() []string {
	out := []string{}
	for _, row := range r.rows {
		if s := strings.TrimSpace(row.spec.Text); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// setSpecs replaces the rows with specs (a workspace's rules).
func (r *plotRules) setSpecs(specs []string) {
	for len(r.rows) > 0 {
		row := r.rows[0]
		r.rows = r.rows[1:]
		r.list.Remove(row.obj)
	}
	for _, s := range specs {
		r.addRow(s)
	}
	r.apply()
}

// apply parses the rows, hands the valid rules on, shows each row's error and
// saves the rules.
func (r *plotRules) apply() {
	var rules []extract.Rule
	for _, row := range r.rows {
		row.err = nil
		text := strings.TrimSpace(row.spec.Text)
		if text == "" {
			continue
		}
		rule, err := extract.Parse(text)
		if err != nil {
			row.err = err
			continue
		}
		rules = append(rules, rule)
	}
	r.active = len(rules)
	r.showStatus()
	r.showErrors()
	if r.onChange != nil {
		r.onChange(extract.NewSet(rules...))
	}
	if data, err := json.Marshal(r.specs()); err == nil {
		r.prefs.set(plotRulesKey, string(data))
	}
}

// showStatus says how many rules are in use; what rules can be is said while
// there are none.
func (r *plotRules) showStatus() {
	r.hint.Hidden = len(r.rows) > 0
	r.hint.Refresh()
	if len(r.rows) == 0 {
		r.status.SetText(tr("No rules: add one to plot what arrives"))
		return
	}
	r.status.SetText(trf("%d of %d rules in use", r.active, len(r.rows)))
}

func (r *plotRules) showErrors() {
	for _, row := range r.rows {
		if row.err != nil {
			row.note.set("⚠ "+plotRuleErrorText(row.err), noteError)
		} else {
			row.note.set("", noteHint)
		}
	}
}

// plotRuleErrorText words a rule that does not parse: where in the rule, and
// what is wrong there (in the engine's words, which quote the rule's parts).
func plotRuleErrorText(err error) string {
	var se *extract.SpecError
	if !errors.As(err, &se) {
		return capitalize(errorText(err))
	}
	if se.Pos > 0 {
		return trf("At character %d: %s", se.Pos, se.Msg)
	}
	return capitalize(se.Msg)
}
