package sequence

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/framing"
)

// MaxFileSize bounds a sequence file.
const MaxFileSize = 1 << 20

// FileError is a problem with a sequence file, at a line and column (Column 0
// when only the line is known, as for some YAML syntax errors).
type FileError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *FileError) Error() string {
	switch {
	case e.Line == 0:
		return e.File + ": " + e.Msg
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// VarError is a bad --var (or Options.Vars) entry.
type VarError struct {
	Name, Reason string
}

func (e *VarError) Error() string { return fmt.Sprintf("variable %q: %s", e.Name, e.Reason) }

// ValidVarName reports whether name can be a variable: a letter or _, then
// letters, digits or _ (as a regular expression's group names), and not one of
// the built-in placeholders.
func ValidVarName(name string) error {
	if name == "" {
		return &VarError{Name: name, Reason: "empty name"}
	}
	for i, r := range name {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return &VarError{Name: name, Reason: "a name is letters, digits and _, not starting with a digit"}
		}
	}
	switch name {
	case "counter", "time", "unix", "unixms", "hex":
		return &VarError{Name: name, Reason: "is a built-in placeholder"}
	}
	return nil
}

// Parse reads a sequence file (its name, for messages, and its bytes). vars are
// variables set from outside (--var), which override the file's vars:. Every
// problem is a *FileError, or a *VarError for vars.
func Parse(file string, src []byte, vars map[string]string) (*Sequence, error) {
	p := &parser{file: file, varIndex: map[string]int{}}
	if len(src) > MaxFileSize {
		return nil, p.fail(nil, "the file is %d bytes, more than %d", len(src), MaxFileSize)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, p.yamlError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, p.fail(nil, "the file is empty (want connect: or listen:, and steps:)")
	}
	root := doc.Content[0]
	names := make([]string, 0, len(vars))
	for name := range vars {
		if err := ValidVarName(name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	slices.Sort(names)
	seq, err := p.sequence(root, vars, names)
	if err != nil {
		return nil, err
	}
	return seq, nil
}

type parser struct {
	file     string
	seq      *Sequence
	varIndex map[string]int
}

func (p *parser) fail(n *yaml.Node, format string, args ...any) *FileError {
	e := &FileError{File: p.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

var reYAMLLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a FileError with its line.
func (p *parser) yamlError(err error) *FileError {
	msg := err.Error()
	if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &FileError{File: p.file, Line: line, Msg: "YAML: " + m[2]}
	}
	return &FileError{File: p.file, Msg: "YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// mapping checks that n is a mapping without repeated or unknown keys and
// returns its pairs in order.
func (p *parser) mapping(n *yaml.Node, what string, known []string) ([][2]*yaml.Node, error) {
	if err := p.noAlias(n); err != nil {
		return nil, err
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.fail(n, "%s must be a mapping (key: value lines), not %s", what, nodeKind(n))
	}
	seen := map[string]*yaml.Node{}
	var pairs [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := p.noAlias(k); err != nil {
			return nil, err
		}
		if err := p.noAlias(v); err != nil {
			return nil, err
		}
		if k.Kind != yaml.ScalarNode {
			return nil, p.fail(k, "a key in %s must be a word", what)
		}
		if first := seen[k.Value]; first != nil {
			return nil, p.fail(k, "%s given twice in %s (first on line %d)", k.Value, what, first.Line)
		}
		seen[k.Value] = k
		if !slices.Contains(known, k.Value) {
			return nil, p.fail(k, "unknown key %q in %s (known: %s)", k.Value, what, strings.Join(known, ", "))
		}
		pairs = append(pairs, [2]*yaml.Node{k, v})
	}
	return pairs, nil
}

func (p *parser) noAlias(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return p.fail(n, "YAML anchors and aliases (& and *) are not supported in sequence files")
	}
	return nil
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "empty"
}

// scalar returns n's value, which must be a single value (not a list or mapping).
func (p *parser) scalar(key, n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", p.fail(n, "%s: want a value, not %s", key.Value, nodeKind(n))
	}
	if n.Tag == "!!null" {
		return "", p.fail(n, "%s: the value is missing", key.Value)
	}
	return n.Value, nil
}

func (p *parser) duration(key, n *yaml.Node, zeroOK bool) (time.Duration, error) {
	v, err := p.scalar(key, n)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		if _, numErr := strconv.ParseFloat(strings.TrimSpace(v), 64); numErr == nil {
			return 0, p.fail(n, "%s: %s needs a unit, e.g. %ss or %sms", key.Value, v, v, v)
		}
		return 0, p.fail(n, "%s: %q is not a duration (e.g. 500ms, 2s, 1m)", key.Value, v)
	}
	if d < 0 || d == 0 && !zeroOK {
		return 0, p.fail(n, "%s: %s must be more than 0", key.Value, v)
	}
	if d > maxDuration {
		return 0, p.fail(n, "%s: %s is more than %v", key.Value, v, maxDuration)
	}
	return d, nil
}

func (p *parser) boolean(key, n *yaml.Node) (bool, error) {
	v, err := p.scalar(key, n)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off":
		return false, nil
	}
	return false, p.fail(n, "%s: want true or false, not %q", key.Value, v)
}

var topKeys = []string{"name", "connect", "listen", "charset", "frame", "max_frame", "timeout", "connect_timeout", "tls", "vars", "steps"}

func (p *parser) sequence(root *yaml.Node, vars map[string]string, varNames []string) (*Sequence, error) {
	pairs, err := p.mapping(root, "the file", topKeys)
	if err != nil {
		return nil, err
	}
	seq := &Sequence{File: p.file, Charset: charset.UTF8, Timeout: DefaultTimeout}
	p.seq = seq
	var steps, frameNode, maxFrameNode, tlsNode *yaml.Node
	for _, kv := range pairs {
		k, v := kv[0], kv[1]
		switch k.Value {
		case "name":
			if seq.Name, err = p.scalar(k, v); err != nil {
				return nil, err
			}
		case "connect", "listen":
			if seq.Connect != nil {
				return nil, p.fail(k, "give connect: or listen:, not both")
			}
			if err := p.endpoint(seq, k, v); err != nil {
				return nil, err
			}
		case "charset":
			name, err := p.scalar(k, v)
			if err != nil {
				return nil, err
			}
			if seq.Charset, err = charset.Lookup(strings.TrimSpace(name)); err != nil {
				return nil, p.fail(v, "charset: %v", err)
			}
		case "frame":
			frameNode = v
		case "max_frame":
			maxFrameNode = v
		case "timeout":
			if seq.Timeout, err = p.duration(k, v, false); err != nil {
				return nil, err
			}
		case "connect_timeout":
			if seq.ConnectTimeout, err = p.duration(k, v, false); err != nil {
				return nil, err
			}
		case "tls":
			tlsNode = v
			if err := p.tlsOptions(seq, k, v); err != nil {
				return nil, err
			}
		case "vars":
			if err := p.fileVars(k, v, vars); err != nil {
				return nil, err
			}
		case "steps":
			steps = v
		}
	}
	if seq.Connect == nil {
		return nil, p.fail(root, "connect: or listen: is missing (e.g. connect: tcp://127.0.0.1:9000)")
	}
	for _, name := range varNames {
		p.setVar(name, vars[name])
	}
	if err := p.framing(seq, frameNode, maxFrameNode); err != nil {
		return nil, err
	}
	if tlsNode != nil && seq.Scheme != "tls" {
		return nil, p.fail(tlsNode, "tls: applies to connect: tls://HOST:PORT only")
	}
	if seq.ConnectTimeout == 0 {
		seq.ConnectTimeout = DefaultConnectTimeout
		if seq.Listen {
			seq.ConnectTimeout = DefaultAcceptTimeout
		}
	}
	if steps == nil {
		return nil, p.fail(root, "steps: is missing (a list of steps: send:, expect:, ...)")
	}
	if seq.Steps, err = p.steps(steps, ""); err != nil {
		return nil, err
	}
	return seq, nil
}

// endpoint reads connect: or listen:.
func (p *parser) endpoint(seq *Sequence, k, v *yaml.Node) error {
	u, err := p.scalar(k, v)
	if err != nil {
		return err
	}
	u = strings.TrimSpace(u)
	scheme, addr, ok := strings.Cut(u, "://")
	seq.Listen = k.Value == "listen"
	schemes := []string{"tcp", "tls", "udp"}
	form := "tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT"
	if seq.Listen {
		schemes, form = []string{"tcp"}, "tcp://[ADDR]:PORT, e.g. tcp://:9000"
	}
	if !ok || !slices.Contains(schemes, strings.ToLower(scheme)) {
		return p.fail(v, "%s: %q: want %s", k.Value, u, form)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		reason := err.Error()
		var ae *net.AddrError
		if errors.As(err, &ae) {
			reason = ae.Err
		}
		return p.fail(v, "%s: %q: want %s (%s)", k.Value, u, form, reason)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 || n == 0 && !seq.Listen {
		return p.fail(v, "%s: port %q must be a number from 1 to 65535", k.Value, port)
	}
	if host == "" && !seq.Listen {
		return p.fail(v, "%s: %q has no host", k.Value, u)
	}
	seq.Scheme, seq.Addr = strings.ToLower(scheme), net.JoinHostPort(host, port)
	seq.Connect = &Step{Kind: KindConnect, Number: "0", Line: k.Line, Column: k.Column, Value: k.Value + " " + u}
	return nil
}

func (p *parser) framing(seq *Sequence, frameNode, maxFrameNode *yaml.Node) error {
	if frameNode != nil {
		s, err := p.scalar(&yaml.Node{Value: "frame"}, frameNode)
		if err != nil {
			return err
		}
		if seq.Scheme == "udp" {
			return p.fail(frameNode, "frame: UDP needs no framing: a datagram is already one message")
		}
		if seq.Frame, err = framing.Parse(s); err != nil {
			return p.fail(frameNode, "frame: %v", err)
		}
	}
	if maxFrameNode != nil {
		if seq.Frame.Mode() == framing.None {
			return p.fail(maxFrameNode, "max_frame: needs frame:")
		}
		s, err := p.scalar(&yaml.Node{Value: "max_frame"}, maxFrameNode)
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 1<<30 {
			return p.fail(maxFrameNode, "max_frame: %q must be a number of bytes from 1 to %d", s, 1<<30)
		}
		seq.MaxFrame = n
	}
	return nil
}

func (p *parser) tlsOptions(seq *Sequence, k, v *yaml.Node) error {
	pairs, err := p.mapping(v, "tls:", []string{"insecure", "ca", "servername"})
	if err != nil {
		return err
	}
	for _, kv := range pairs {
		switch kv[0].Value {
		case "insecure":
			seq.TLS.Insecure, err = p.boolean(kv[0], kv[1])
		case "ca":
			seq.TLS.CAFile, err = p.scalar(kv[0], kv[1])
		case "servername":
			seq.TLS.ServerName, err = p.scalar(kv[0], kv[1])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fileVars reads vars:; a --var of the same name wins.
func (p *parser) fileVars(k, v *yaml.Node, outside map[string]string) error {
	if err := p.noAlias(v); err != nil {
		return err
	}
	if v.Kind != yaml.MappingNode {
		return p.fail(v, "vars: must be a mapping of names to values, e.g. vars: {user: admin}")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		name, val := v.Content[i], v.Content[i+1]
		if err := ValidVarName(name.Value); err != nil {
			return p.fail(name, "vars: %v", err)
		}
		if seen[name.Value] {
			return p.fail(name, "vars: %s given twice", name.Value)
		}
		seen[name.Value] = true
		s, err := p.scalar(name, val)
		if err != nil {
			return err
		}
		if o, ok := outside[name.Value]; ok {
			s = o
		}
		p.setVar(name.Value, s)
	}
	return nil
}

// setVar defines a variable (again) and returns its index.
func (p *parser) setVar(name, value string) int {
	if i, ok := p.varIndex[name]; ok {
		p.seq.Values[i] = value
		return i
	}
	i := len(p.seq.Vars)
	p.varIndex[name] = i
	p.seq.Vars = append(p.seq.Vars, name)
	p.seq.Values = append(p.seq.Values, value)
	return i
}

func (p *parser) lookupVar(name string) (int, bool) {
	i, ok := p.varIndex[name]
	return i, ok
}
