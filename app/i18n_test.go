package app

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio/payload"
	"github.com/sockdesk/sockdesk/netio/webtrace"
	"github.com/sockdesk/sockdesk/resources"
)

// stepKinds are every kind of trace step netio has (Title says "Unknown step"
// past the last one).
func stepKinds() []webtrace.StepKind {
	var out []webtrace.StepKind
	for k := webtrace.StepKind(0); k < 100 && k.Title() != webtrace.StepKind(-1).Title(); k++ {
		out = append(out, k)
	}
	return out
}

// dynamicKeys are the tr calls whose argument is not a literal, by the argument's
// source text, with every value it can take. A tr call with any other non-literal
// argument fails the test, so no text escapes the catalog check.
func dynamicKeys() map[string][]string {
	var titles, explanations, kinds []string
	for _, k := range stepKinds() {
		titles = append(titles, k.Title())
		explanations = append(explanations, k.Explain())
	}
	for _, k := range sessionKinds {
		kinds = append(kinds, k.name)
	}
	return map[string][]string{
		"s.Kind.Title()":   titles,       // trace.go, waterfall.go
		"s.Kind.Explain()": explanations, // trace.go
		"k.name":           kinds,        // window.go: the chooser's buttons
	}
}

// trCall is one tr or trf call found in the source.
type trCall struct {
	pos     string
	fn      string   // "tr" or "trf"
	keys    []string // its possible keys
	nargs   int      // trf: the arguments after the format; -1 with a ... spread
	literal bool     // the key is written in the call (or a constant)
}

// sourceFiles parses the non-test Go files of the UI: this package and the
// packages under it (logview, i18n, wording, ...), keyed by their path from here.
func sourceFiles(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	var names []string
	for _, pattern := range []string{"*.go", "*/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatalf("parsing %s: %v", name, err)
		}
		files[name] = f
	}
	return fset, files
}

// stringSlices are the package-level variables that are a []string of literals,
// by name: a tr call that picks one of them by index ("modeLabels[i]") may say
// any of them.
func stringSlices(files map[string]*ast.File) map[string][]string {
	out := map[string][]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, v := range vs.Values {
					lit, ok := v.(*ast.CompositeLit)
					if !ok || i >= len(vs.Names) {
						continue
					}
					var elems []string
					for _, el := range lit.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							el = kv.Value
						}
						if s, ok := stringLit(el); ok {
							elems = append(elems, s)
						}
					}
					if len(elems) > 0 && len(elems) == len(lit.Elts) {
						out[vs.Names[i].Name] = elems
					}
				}
			}
		}
	}
	return out
}

// stringConsts are the package's constants with a string literal value.
func stringConsts(files map[string]*ast.File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, v := range vs.Values {
					if s, ok := stringLit(v); ok && i < len(vs.Names) {
						out[vs.Names[i].Name] = s
					}
				}
			}
		}
	}
	return out
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// findTrCalls lists every tr and trf call in the package's source.
func findTrCalls(t *testing.T) []trCall {
	t.Helper()
	fset, files := sourceFiles(t)
	consts := stringConsts(files)
	slices := stringSlices(files)
	dynamic := dynamicKeys()
	var calls []trCall
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			name := trFunc(call.Fun)
			if name == "" {
				return true
			}
			c := trCall{pos: fset.Position(call.Pos()).String(), fn: name, nargs: len(call.Args) - 1}
			if call.Ellipsis.IsValid() {
				c.nargs = -1
			}
			arg := call.Args[0]
			if s, ok := stringLit(arg); ok {
				c.keys, c.literal = []string{s}, true
			} else if id, ok := arg.(*ast.Ident); ok && consts[id.Name] != "" {
				c.keys, c.literal = []string{consts[id.Name]}, true
			} else if values, ok := dynamic[types.ExprString(arg)]; ok {
				c.keys = values
			} else if ix, ok := arg.(*ast.IndexExpr); ok && len(slices[types.ExprString(ix.X)]) > 0 {
				c.keys = slices[types.ExprString(ix.X)]
			} else {
				t.Errorf("%s: %s(%s): the text is computed; write it as a literal, or add the expression with all its values to dynamicKeys",
					c.pos, name, types.ExprString(arg))
			}
			calls = append(calls, c)
			return true
		})
	}
	return calls
}

// trFunc says whether fn is tr or trf (as each UI package names i18n.T and
// i18n.Tf), i18n.T or i18n.Tf called by their full names, or a widget's own
// translation function given to it by the app (package plot's c.tr): "tr",
// "trf" or "".
func trFunc(fn ast.Expr) string {
	switch f := fn.(type) {
	case *ast.Ident:
		if f.Name == "tr" || f.Name == "trf" {
			return f.Name
		}
	case *ast.SelectorExpr:
		if f.Sel.Name == "tr" {
			return "tr"
		}
		if x, ok := f.X.(*ast.Ident); ok && x.Name == "i18n" {
			switch f.Sel.Name {
			case "T":
				return "tr"
			case "Tf":
				return "trf"
			}
		}
	}
	return ""
}

// catalog reads one embedded translation file.
func catalog(t *testing.T, code string) map[string]string {
	t.Helper()
	data, err := fs.ReadFile(resources.Translations, "translations/"+code+".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s.json: %v", code, err)
	}
	return m
}

// TestEveryUITextIsTranslated: each tr/trf key in the source is in en.json and in
// zh-Hans.json, with a translation.
func TestEveryUITextIsTranslated(t *testing.T) {
	calls := findTrCalls(t)
	if len(calls) < 100 {
		t.Fatalf("found only %d tr/trf calls: is the scan looking at the right files?", len(calls))
	}
	for _, code := range []string{"en", "zh-Hans"} {
		cat := catalog(t, code)
		var missing []string
		for _, c := range calls {
			for _, k := range c.keys {
				if cat[k] == "" {
					missing = append(missing, c.pos+": "+strconv.Quote(k))
				}
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s.json lacks %d texts:\n%s", code, len(missing), strings.Join(missing, "\n"))
		}
	}
}

// TestTranslationCatalogsMatchTheSource: the two files have the same keys, en.json
// says each key as it is, and no key is stale (unused by the source).
func TestTranslationCatalogsMatchTheSource(t *testing.T) {
	used := map[string]bool{}
	for _, c := range findTrCalls(t) {
		for _, k := range c.keys {
			used[k] = true
		}
	}
	en, zh := catalog(t, "en"), catalog(t, "zh-Hans")
	for k, v := range en {
		if v != k {
			t.Errorf("en.json: %q is given as %q: English keys translate to themselves", k, v)
		}
		if _, ok := zh[k]; !ok {
			t.Errorf("zh-Hans.json lacks %q (en.json has it)", k)
		}
	}
	for code, cat := range map[string]map[string]string{"en": en, "zh-Hans": zh} {
		var stale []string
		for k := range cat {
			if !used[k] {
				stale = append(stale, strconv.Quote(k))
			}
		}
		sort.Strings(stale)
		if len(stale) > 0 {
			t.Errorf("%s.json has texts nothing uses:\n%s", code, strings.Join(stale, "\n"))
		}
	}
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q (zh-Hans.json has it)", k)
		}
	}
}

// formatVerbs are a format string's verbs in order, %% left out.
var verbPattern = regexp.MustCompile(`%[-+# 0]*(\[\d+\])?(\d+|\*)?(\.(\d+|\*))?[a-zA-Z%]`)

func formatVerbs(s string) []string {
	var out []string
	for _, v := range verbPattern.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

// TestTranslationsKeepFormatVerbs: a translation has the verbs of its key, in the
// same order (trf fills them in order), and a trf call passes as many arguments
// as its format has verbs.
func TestTranslationsKeepFormatVerbs(t *testing.T) {
	for _, code := range []string{"en", "zh-Hans"} {
		for k, v := range catalog(t, code) {
			if want, got := formatVerbs(k), formatVerbs(v); !slices.Equal(want, got) {
				t.Errorf("%s.json: %q has verbs %v, its key %q has %v", code, v, got, k, want)
			}
		}
	}
	for _, c := range findTrCalls(t) {
		if c.fn != "trf" || !c.literal || c.nargs < 0 {
			continue
		}
		if n := len(formatVerbs(c.keys[0])); n != c.nargs {
			t.Errorf("%s: trf(%q) has %d verbs and %d arguments", c.pos, c.keys[0], n, c.nargs)
		}
	}
	if got := formatVerbs("a %s b %5.1f c %% d %q %[1]d"); !slices.Equal(got, []string{"%s", "%5.1f", "%q", "%[1]d"}) {
		t.Errorf("formatVerbs is broken: %v", got)
	}
}

// useLanguage switches the UI language for one test.
func useLanguage(t *testing.T, code string) {
	t.Helper()
	prev := i18n.Chosen()
	i18n.Set(code)
	t.Cleanup(func() { i18n.Set(prev) })
}

// TestPanelsSpeakChinese builds a UDP session and a web trace in Chinese and reads
// their buttons.
func TestPanelsSpeakChinese(t *testing.T) {
	useLanguage(t, "zh-Hans")
	e, _ := newTestEnv(t)

	u := newUDPPanel(e)
	defer u.Close()
	for _, c := range []struct {
		what, got, want string
	}{
		{"send button", u.send.sendBtn.Text, "发送"},
		{"repeat check", u.send.repeat.Text, "定时发送，间隔"},
		{"new message button", u.messages.newBtn.Text, "从发送框新建"},
		{"payload mode", u.send.mode.Selected, "文本"},
		{"counters", u.counters.Text(), "接收 0 条 · 0 B (0 B/s)   发送 0 条 · 0 B (0 B/s)"},
	} {
		if c.got != c.want {
			t.Errorf("UDP %s says %q, want %q", c.what, c.got, c.want)
		}
	}
	if opts := u.send.mode.Options; !slices.Equal(opts, []string{"文本", "转义文本", "十六进制"}) {
		t.Errorf("payload modes %q", opts)
	}
	// The mode is read by index, whatever the labels say.
	u.send.mode.SetSelected("十六进制")
	if u.send.currentMode() != payload.ModeHex {
		t.Errorf("十六进制 selects mode %v", u.send.currentMode())
	}

	p := newTracePanel(e)
	defer p.Close()
	if p.goBtn.Text != "开始" || p.follow.Text != "跟随重定向" || p.Title() != "网页追踪" {
		t.Errorf("trace panel: button %q, check %q, title %q", p.goBtn.Text, p.follow.Text, p.Title())
	}
	card := stepCard(webtrace.Step{Kind: webtrace.StepConnect})
	if card.title.Text != "TCP 连接 · 0.00 ms" || !strings.Contains(card.explain.Text, "三次握手") {
		t.Errorf("step card: %q / %q", card.title.Text, card.explain.Text)
	}
}

// TestSettingsSwitchesLanguage chooses 简体中文 in Settings: the choice is saved,
// and the menu, the chooser tab and the open session speak it at once.
func TestSettingsSwitchesLanguage(t *testing.T) {
	useLanguage(t, "en")
	e, _ := newTestEnv(t)
	m := newMainWindow(e)
	defer m.closeAll()
	chooser := m.addChooserTab()
	udp := m.openSession(m.addChooserTab(), sessionKinds[0]).(*udpPanel)

	m.showSettings()
	if m.settings == nil {
		t.Fatal("Settings showed no dialog")
	}
	if opts := m.settings.language.Options; len(opts) != 3 || opts[1] != "English" || opts[2] != "简体中文" || !strings.HasPrefix(opts[0], "System (") {
		t.Fatalf("language choices %q", opts)
	}
	if m.settings.language.SelectedIndex() != 0 {
		t.Errorf("with nothing saved the choice is %q", m.settings.language.Selected)
	}
	m.settings.language.SetSelected("简体中文")
	m.settings.dlg.Submit()

	if got := e.app.Preferences().String(i18n.PrefKey); got != "zh-Hans" {
		t.Errorf("saved language %q", got)
	}
	if i18n.Current() != "zh-Hans" {
		t.Errorf("the UI speaks %q", i18n.Current())
	}
	if chooser.Text != "新建会话" {
		t.Errorf("chooser tab says %q", chooser.Text)
	}
	if menu := e.win.MainMenu(); menu == nil || menu.Items[0].Label != "文件" || menu.Items[0].Items[0].Label != "新建会话" {
		t.Errorf("menu not relabelled: %+v", menu)
	}
	if udp.openBtn.Text != "打开" || udp.send.sendBtn.Text != "发送" {
		t.Errorf("the open session says %q, %q", udp.openBtn.Text, udp.send.sendBtn.Text)
	}

	// Back to the system's language; a fresh window reads the preference.
	m.showSettings()
	if m.settings.language.Selected != "简体中文" {
		t.Errorf("Settings shows %q, saved zh-Hans", m.settings.language.Selected)
	}
	m.settings.language.SetSelectedIndex(0)
	m.settings.dlg.Submit()
	if got := e.app.Preferences().String(i18n.PrefKey); got != "" {
		t.Errorf("saved language %q after choosing System", got)
	}
	e.app.Preferences().SetString(i18n.PrefKey, "zh-Hans")
	i18n.UsePreference(e.app)
	if i18n.Current() != "zh-Hans" {
		t.Errorf("the preference gives %q", i18n.Current())
	}
}

func TestClosestLanguage(t *testing.T) {
	for locale, want := range map[string]string{
		"zh-CN": "zh-Hans", "zh-Hans": "zh-Hans", "zh-SG": "zh-Hans", "zh": "zh-Hans",
		"en-US": "en", "en-GB": "en", "de-DE": "en", "ja-JP": "en", "C": "en", "": "en",
	} {
		if got := i18n.Closest(locale); got != want {
			t.Errorf("i18n.Closest(%q) = %q, want %q", locale, got, want)
		}
	}
	if !knownLanguage("zh-Hans") || !knownLanguage("") || knownLanguage("zh") || knownLanguage("fr") {
		t.Error("knownLanguage")
	}
}

// userTextCalls are the calls whose text arguments (by position) a person reads.
var userTextCalls = map[string][]int{
	"NewButton": {0}, "NewButtonWithIcon": {0}, "NewLabel": {0}, "NewLabelWithStyle": {0},
	"NewCheck": {0}, "SetPlaceHolder": {0}, "NewFormItem": {0}, "NewCard": {0, 1},
	"NewMenu": {0}, "NewMenuItem": {0}, "NewTabItem": {0}, "NewForm": {0, 1, 2},
	"NewCustom": {0, 1}, "SetText": {0}, "showError": {0}, "setNotice": {0},
	"setStatus": {0},
}

// userTextFields are the fields whose assigned text a person reads.
var userTextFields = []string{"PlaceHolder", "Text", "Title", "Subtitle", "Label"}

// notText are literals in those places that are not words to translate.
var notText = []string{
	"http://127.0.0.1:8080/", // trace.go: the URL placeholder, an example address
	"你好",                     // screenshot.go: the demo's message, data
	"STATUS?", "AT+STATUS?",  // screenshot_demos.go: the demos' messages, data
}

// TestNoUntranslatedLiterals: in the UI's files, a string literal with a letter
// in it, written straight into a widget's text (the first argument of NewButton,
// NewLabel, NewCheck, SetPlaceHolder, NewFormItem, SetText ... or assigned to a
// PlaceHolder, Text ... field), is a text someone forgot to put through tr. The
// rule sees literals only: text built elsewhere and passed in is for
// TestEveryUITextIsTranslated and review.
func TestNoUntranslatedLiterals(t *testing.T) {
	fset, files := sourceFiles(t)
	flag := func(e ast.Expr, where string) {
		s, ok := stringLit(e)
		if !ok || slices.Contains(notText, s) || !strings.ContainsFunc(s, unicode.IsLetter) {
			return
		}
		t.Errorf("%s: %s(%q) is not translated: wrap it in tr", fset.Position(e.Pos()), where, s)
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				var fn string
				switch f := n.Fun.(type) {
				case *ast.Ident:
					fn = f.Name
				case *ast.SelectorExpr:
					fn = f.Sel.Name
				}
				for _, i := range userTextCalls[fn] {
					if i < len(n.Args) {
						flag(n.Args[i], fn)
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if sel, ok := lhs.(*ast.SelectorExpr); ok && slices.Contains(userTextFields, sel.Sel.Name) && i < len(n.Rhs) {
						flag(n.Rhs[i], "."+sel.Sel.Name+" =")
					}
				}
			}
			return true
		})
	}
}
