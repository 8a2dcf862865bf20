package sequence

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// actions are the keys that say what a step does; a step has exactly one.
var actions = map[string]Kind{
	"send": KindSend, "send_hex": KindSendHex, "expect": KindExpect, "expect_re": KindExpectRe,
	"expect_hex": KindExpectHex, "expect_checksum": KindExpectChecksum, "expect_not": KindExpectNot,
	"expect_closed": KindExpectClosed, "wait": KindWait, "close": KindClose, "repeat": KindRepeat,
}

const actionList = "send, send_hex, expect, expect_re, expect_hex, expect_checksum, expect_not, expect_closed, wait, close, repeat"

// modifiers are the other keys each kind of step takes.
var modifiers = map[Kind][]string{
	KindSend:           {"name", "checksum"},
	KindSendHex:        {"name", "checksum"},
	KindExpect:         {"name", "timeout", "skip", "checksum"},
	KindExpectRe:       {"name", "timeout", "skip", "checksum"},
	KindExpectHex:      {"name", "timeout", "skip", "checksum"},
	KindExpectChecksum: {"name", "timeout", "skip", "checksum"},
	KindExpectNot:      {"name", "timeout", "within"},
	KindExpectClosed:   {"name", "timeout"},
	KindWait:           {"name"},
	KindClose:          {"name"},
	KindRepeat:         {"name", "steps"},
}

var allStepKeys = []string{"send", "send_hex", "expect", "expect_re", "expect_hex", "expect_checksum", "expect_not",
	"expect_closed", "wait", "close", "repeat", "name", "timeout", "within", "skip", "checksum", "steps"}

// steps reads a list of steps; prefix numbers them ("7." inside step 7).
func (p *parser) steps(n *yaml.Node, prefix string) ([]*Step, error) {
	if err := p.noAlias(n); err != nil {
		return nil, err
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.fail(n, "steps: must be a list (each step on a line starting with \"- \"), not %s", nodeKind(n))
	}
	if len(n.Content) == 0 {
		return nil, p.fail(n, "steps: the list is empty")
	}
	out := make([]*Step, 0, len(n.Content))
	for i, item := range n.Content {
		st, err := p.step(item, prefix+strconv.Itoa(i+1))
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (p *parser) step(n *yaml.Node, number string) (*Step, error) {
	if n.Kind == yaml.ScalarNode {
		if _, ok := actions[n.Value]; ok {
			return nil, p.fail(n, "step %s: %q needs a value: write %s: VALUE", number, n.Value, n.Value)
		}
	}
	pairs, err := p.mapping(n, "step "+number, allStepKeys)
	if err != nil {
		return nil, err
	}
	var action *[2]*yaml.Node
	for i, kv := range pairs {
		if _, ok := actions[kv[0].Value]; !ok {
			continue
		}
		if action != nil {
			return nil, p.fail(kv[0], "step %s has two actions, %s and %s: one per step (start another with \"- \")", number, action[0].Value, kv[0].Value)
		}
		action = &pairs[i]
	}
	if action == nil {
		return nil, p.fail(n, "step %s does nothing: give one of %s", number, actionList)
	}
	k, v := action[0], action[1]
	st := &Step{Kind: actions[k.Value], Number: number, Line: k.Line, Column: k.Column}
	byKey := map[string][2]*yaml.Node{}
	for _, kv := range pairs {
		if kv[0] == k {
			continue
		}
		allowed := modifiers[st.Kind]
		if !slices.Contains(allowed, kv[0].Value) {
			return nil, p.fail(kv[0], "%s does not apply to %s (it takes %s)", kv[0].Value, k.Value, strings.Join(allowed, ", "))
		}
		byKey[kv[0].Value] = kv
	}
	if err := p.modifiers(st, byKey); err != nil {
		return nil, err
	}
	if err := p.action(st, k, v, byKey); err != nil {
		return nil, err
	}
	return st, nil
}

// modifiers reads name, timeout, within, skip and checksum.
func (p *parser) modifiers(st *Step, byKey map[string][2]*yaml.Node) error {
	var err error
	if kv, ok := byKey["name"]; ok {
		if st.Name, err = p.scalar(kv[0], kv[1]); err != nil {
			return err
		}
	}
	st.Timeout = p.seq.Timeout
	if kv, ok := byKey["within"]; ok {
		if _, both := byKey["timeout"]; both {
			return p.fail(kv[0], "give within: or timeout:, not both")
		}
		byKey["timeout"] = kv
	}
	if kv, ok := byKey["timeout"]; ok {
		if st.Timeout, err = p.duration(kv[0], kv[1], false); err != nil {
			return err
		}
	}
	if kv, ok := byKey["skip"]; ok {
		if st.Skip, err = p.boolean(kv[0], kv[1]); err != nil {
			return err
		}
	}
	if kv, ok := byKey["checksum"]; ok {
		name, err := p.scalar(kv[0], kv[1])
		if err != nil {
			return err
		}
		if st.sum, st.sumOrder, err = checksum.Lookup(strings.TrimSpace(name)); err != nil {
			return p.fail(kv[1], "checksum: %v", err)
		}
	}
	return nil
}

// action reads the step's action and its value.
func (p *parser) action(st *Step, k, v *yaml.Node, byKey map[string][2]*yaml.Node) error {
	var err error
	if st.Kind != KindRepeat {
		if st.Value, err = p.scalar(k, v); err != nil {
			return err
		}
	}
	switch st.Kind {
	case KindSend, KindExpect, KindExpectNot:
		if st.Value == "" {
			return p.fail(v, "%s: the text is empty", k.Value)
		}
		st.tpl, err = p.template(v, k.Value, st.Value, payload.ModeEscapes)
	case KindSendHex, KindExpectHex:
		st.tpl, err = p.template(v, k.Value, st.Value, payload.ModeHex)
	case KindExpectRe:
		err = p.regexp(st, k, v)
	case KindExpectChecksum:
		switch strings.ToLower(strings.TrimSpace(st.Value)) {
		case "ok":
			st.sumOK = true
		case "bad":
		default:
			return p.fail(v, "expect_checksum: want ok or bad, not %q", st.Value)
		}
		if st.sum == nil {
			return p.fail(k, "expect_checksum needs checksum: NAME on the step (e.g. checksum: crc16-modbus)")
		}
	case KindExpectClosed, KindClose:
		var on bool
		if on, err = p.boolean(k, v); err == nil && !on {
			err = p.fail(v, "%s: false does nothing; leave the step out", k.Value)
		}
		if err == nil && st.Kind == KindExpectClosed && p.seq.Scheme == "udp" {
			err = p.fail(k, "expect_closed: UDP has no connection for the peer to close")
		}
	case KindWait:
		st.Wait, err = p.duration(k, v, true)
	case KindRepeat:
		err = p.repeat(st, k, v, byKey)
	}
	return err
}

// template parses a send or expect value: escapes or hex, with placeholders
// ({counter}, {time}, ..., and the variables set so far).
func (p *parser) template(v *yaml.Node, key, value string, mode payload.Mode) (*payload.Template, error) {
	tpl, err := payload.ParseTemplateWithVars(value, mode, p.seq.Charset, p.lookupVar)
	if err != nil {
		return nil, p.fail(v, "%s: %v", key, err)
	}
	return tpl, nil
}

func (p *parser) regexp(st *Step, k, v *yaml.Node) error {
	re, err := regexp.Compile(st.Value)
	if err != nil {
		return p.fail(v, "expect_re: %v", err)
	}
	st.re = re
	st.reVars = make([]int, len(re.SubexpNames()))
	for i, name := range re.SubexpNames() {
		st.reVars[i] = -1
		if name == "" {
			continue
		}
		if err := ValidVarName(name); err != nil {
			return p.fail(v, "expect_re: group %q cannot be a variable: %s", name, err.(*VarError).Reason)
		}
		st.reVars[i] = p.defineVar(name)
	}
	return nil
}

// defineVar makes sure name exists (empty until a match sets it) and returns its index.
func (p *parser) defineVar(name string) int {
	if i, ok := p.varIndex[name]; ok {
		return i
	}
	return p.setVar(name, "")
}

func (p *parser) repeat(st *Step, k, v *yaml.Node, byKey map[string][2]*yaml.Node) error {
	s, err := p.scalar(k, v)
	if err != nil {
		return err
	}
	st.Value = s
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > MaxRepeat {
		return p.fail(v, "repeat: %q must be a whole number from 1 to %d", s, MaxRepeat)
	}
	st.Count = n
	kv, ok := byKey["steps"]
	if !ok {
		return p.fail(k, "repeat needs steps: (the steps to repeat, indented under it)")
	}
	st.Steps, err = p.steps(kv[1], st.Number+".")
	if err != nil {
		return err
	}
	return nil
}
