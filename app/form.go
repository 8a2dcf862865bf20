package app

import (
	"errors"
	"fmt"
	"image/color"
	"net"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/app/wording"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
)

// fieldError is bad input in one form field: field is the field's name as the
// form shows it, which is how the form finds the row to show it at.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return fmt.Sprintf("%s: %v", e.field, e.err) }
func (e *fieldError) Unwrap() error { return e.err }

// readPort reads a port entry; allowZero accepts 0 (any port) for binding. field,
// here and in readHost, is the field's name as the form shows it (through tr).
func readPort(field string, entry *widget.Entry, allowZero bool) (int, error) {
	p, err := hostport.ParsePort(entry.Text, allowZero)
	if err != nil {
		return 0, &fieldError{field, err}
	}
	return p, nil
}

// readHost reads a host entry: a name, an IPv4 address or an IPv6 address with or
// without brackets. Empty is an error when required.
func readHost(field, text string, required bool) (string, error) {
	h := strings.TrimSpace(text)
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if h == "" && required {
		return "", &fieldError{field, errors.New(tr("enter a host name or address"))}
	}
	if strings.ContainsAny(h, " \t/") {
		return "", &fieldError{field, errors.New(trf("%q is not a host name or address", h))}
	}
	// Called invalid here, before a lookup that would only say "not found".
	if err := hostport.CheckHost(h); err != nil {
		return "", &fieldError{field, err}
	}
	return h, nil
}

// hostAddresses lists this host's IP addresses for bind drop-downs, after the
// wildcard choices.
func hostAddresses() []string {
	out := []string{"0.0.0.0", "::"}
	ifs, err := netio.Interfaces()
	if err != nil {
		return out
	}
	for _, ifc := range ifs {
		for _, cidr := range ifc.Addrs {
			if ip, _, err := net.ParseCIDR(cidr); err == nil && !ip.IsLinkLocalUnicast() {
				out = append(out, ip.String())
			}
		}
	}
	return out
}

// wildcardHint says what a wildcard bind address means: :: takes IPv4 clients
// too where the system allows it (dual stack), which people do not expect.
func wildcardHint(text string) string {
	switch strings.Trim(strings.TrimSpace(text), "[]") {
	case "0.0.0.0":
		return tr("all IPv4 addresses")
	case "::":
		return tr("all IPv4 and IPv6 addresses")
	}
	return ""
}

// broadcastAddresses lists this host's IPv4 broadcast addresses.
func broadcastAddresses() []string {
	var out []string
	ifs, _ := netio.Interfaces()
	for _, ifc := range ifs {
		out = append(out, ifc.Broadcasts...)
	}
	return out
}

// setEnabled enables or disables form fields together: a session's settings are
// fixed while it is open.
func setEnabled(on bool, fields ...fyne.Disableable) {
	for _, f := range fields {
		if on {
			f.Enable()
		} else {
			f.Disable()
		}
	}
}

// fieldForm is a column of labelled fields, as a session's settings are shown in
// its drawer. Each field has space reserved under it (a noteLine) for its hint or
// its error, and is outlined in the error colour while it has one: a problem is
// shown where the eye is, and nothing moves when it comes or goes.
type fieldForm struct {
	rows []*fieldRow
	box  *fyne.Container
}

// fieldRow is one row of a fieldForm: a labelled input with its note, or (label
// nil) a row of checks and buttons.
type fieldRow struct {
	name    func() string   // the label, in the UI language
	aliases []func() string // other names errors may give the field by
	label   *widget.Label
	input   fyne.CanvasObject
	outline *canvas.Rectangle // around the whole input
	parts   []rowPart         // inputs of the row an error may name alone
	note    *noteLine
	hint    func() string // what the note says without an error; nil for nothing
	err     error
	errName string // the field name err came with
	obj     *fyne.Container
}

// rowPart is one input of a row of several (an address and its port), outlined
// alone when an error names it.
type rowPart struct {
	name    func() string
	outline *canvas.Rectangle
}

// newOutline is an input's error outline, hidden until needed.
func newOutline() *canvas.Rectangle {
	r := canvas.NewRectangle(color.Transparent)
	r.StrokeWidth = 2
	r.CornerRadius = theme.InputRadiusSize()
	r.Hide()
	return r
}

// outlined wraps an input of a several-input row with its own outline, for part.
func outlined(o fyne.CanvasObject) (fyne.CanvasObject, *canvas.Rectangle) {
	r := newOutline()
	return container.NewStack(o, r), r
}

// part lets an error named name (one of the row's names) outline only that input.
func (r *fieldRow) part(name func() string, outline *canvas.Rectangle) *fieldRow {
	r.parts = append(r.parts, rowPart{name, outline})
	return r
}

func newFieldForm() *fieldForm {
	f := &fieldForm{}
	f.box = container.New(&fieldFormLayout{f: f})
	return f
}

// Object is the form's widget tree.
func (f *fieldForm) Object() fyne.CanvasObject { return f.box }

// field adds a labelled input with noteLines lines reserved under it.
func (f *fieldForm) field(name func() string, input fyne.CanvasObject, noteLines int) *fieldRow {
	r := &fieldRow{name: name, input: input}
	r.label = widget.NewLabel(name())
	r.outline = newOutline()
	objs := []fyne.CanvasObject{r.label, container.NewStack(input, r.outline)}
	if noteLines > 0 {
		r.note = newNoteLine(noteLines)
		objs = append(objs, r.note)
	}
	r.obj = container.NewWithoutLayout(objs...)
	f.rows = append(f.rows, r)
	f.box.Add(r.obj)
	return r
}

// wide adds a row without a label or a note: checks, a button.
func (f *fieldForm) wide(objects ...fyne.CanvasObject) *fieldRow {
	r := &fieldRow{input: container.NewHBox(objects...)}
	r.obj = container.NewWithoutLayout(r.input)
	f.rows = append(f.rows, r)
	f.box.Add(r.obj)
	return r
}

// also names another name errors may call the field by.
func (r *fieldRow) also(name func() string) *fieldRow {
	r.aliases = append(r.aliases, name)
	return r
}

// setVisible shows or hides the row; a hidden row takes no room (the framing
// fields of the modes not chosen).
func (r *fieldRow) setVisible(on bool) {
	if on {
		r.obj.Show()
	} else {
		r.obj.Hide()
	}
}

// withHint sets what the note says while there is no error.
func (r *fieldRow) withHint(hint func() string) *fieldRow {
	r.hint = hint
	r.show()
	return r
}

func (r *fieldRow) matches(field string) bool {
	if r.name == nil {
		return false
	}
	if r.name() == field {
		return true
	}
	for _, a := range r.aliases {
		if a() == field {
			return true
		}
	}
	return false
}

// setError shows err at the field, or its hint for nil.
func (r *fieldRow) setError(err error) {
	r.err, r.errName = err, ""
	r.show()
}

// show writes the note and the outline from the row's state (UI language now).
func (r *fieldRow) show() {
	if r.outline == nil {
		return
	}
	mark := r.outline
	for _, p := range r.parts {
		p.outline.Hide()
		if r.err != nil && r.errName != "" && p.name() == r.errName {
			mark = p.outline
		}
	}
	r.outline.Hide()
	if r.err != nil {
		mark.StrokeColor = theme.Color(theme.ColorNameError)
		mark.Show()
		mark.Refresh()
	}
	if r.note == nil {
		return
	}
	switch {
	case r.err != nil:
		r.note.set("⚠ "+wording.Cause(r.err), noteError)
	case r.hint != nil:
		r.note.set(r.hint(), noteHint)
	default:
		r.note.set("", noteHint)
	}
}

// noteText is what the row's note says ("" without a note).
func (r *fieldRow) noteText() string {
	if r.note == nil {
		return ""
	}
	return r.note.Text()
}

// showError puts err at its field when it is a fieldError about one of the
// form's fields, and reports whether it did. Every other field's error goes.
func (f *fieldForm) showError(err error) bool {
	var fe *fieldError
	placed := false
	errors.As(err, &fe)
	for _, r := range f.rows {
		if fe != nil && !placed && r.matches(fe.field) {
			r.err, r.errName = fe.err, fe.field
			r.show()
			placed = true
		} else if r.err != nil {
			r.setError(nil)
		}
	}
	return placed
}

// clearErrors takes every error away (their causes went: the session opened, a
// field changed).
func (f *fieldForm) clearErrors() {
	for _, r := range f.rows {
		if r.err != nil {
			r.setError(nil)
		}
	}
}

// relabel writes the labels and notes again in the UI language.
func (f *fieldForm) relabel() {
	for _, r := range f.rows {
		if r.label != nil {
			r.label.SetText(r.name())
		}
		r.show()
	}
	f.box.Refresh()
}

// fieldFormLayout lays the rows out top to bottom: labels in a column as wide as
// the widest, inputs filling the rest, each note under its row at full width.
type fieldFormLayout struct{ f *fieldForm }

func (l *fieldFormLayout) labelWidth() float32 {
	w := float32(0)
	for _, r := range l.f.rows {
		if r.label != nil {
			w = max(w, r.label.MinSize().Width)
		}
	}
	return w
}

func (l *fieldFormLayout) rowSize(r *fieldRow, labelW float32) (fyne.Size, float32) {
	pad := theme.Padding()
	if r.label == nil {
		m := r.input.MinSize()
		return m, m.Height
	}
	in := r.obj.Objects[1].MinSize()
	top := max(in.Height, r.label.MinSize().Height)
	h := top
	if r.note != nil {
		h += r.note.MinSize().Height
	}
	return fyne.NewSize(labelW+pad+in.Width, h), top
}

func (l *fieldFormLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	lw := l.labelWidth()
	var w, h float32
	shown := 0
	for _, r := range l.f.rows {
		if !r.obj.Visible() {
			continue
		}
		s, _ := l.rowSize(r, lw)
		w = max(w, s.Width)
		h += s.Height
		if shown > 0 {
			h += theme.Padding()
		}
		shown++
	}
	return fyne.NewSize(w, h)
}

func (l *fieldFormLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	lw := l.labelWidth()
	pad := theme.Padding()
	y := float32(0)
	for _, r := range l.f.rows {
		if !r.obj.Visible() {
			continue
		}
		s, top := l.rowSize(r, lw)
		r.obj.Move(fyne.NewPos(0, y))
		r.obj.Resize(fyne.NewSize(size.Width, s.Height))
		if r.label == nil {
			r.input.Move(fyne.NewPos(0, 0))
			r.input.Resize(fyne.NewSize(size.Width, top))
		} else {
			r.label.Move(fyne.NewPos(0, 0))
			r.label.Resize(fyne.NewSize(lw, top))
			in := r.obj.Objects[1]
			in.Move(fyne.NewPos(lw+pad, 0))
			in.Resize(fyne.NewSize(size.Width-lw-pad, top))
			if r.note != nil {
				r.note.Move(fyne.NewPos(0, top))
				r.note.Resize(fyne.NewSize(size.Width, r.note.MinSize().Height))
			}
		}
		y += s.Height + pad
	}
}

// hostPortInput is an address and its port in one row: the address takes the
// width, then "port" and the port's field. Each has its own outline, for part.
func hostPortInput(host fyne.CanvasObject, port *widget.Entry, words func(func())) (fyne.CanvasObject, *canvas.Rectangle, *canvas.Rectangle) {
	h, hostOutline := outlined(fit.Width(host, 140))
	p, portOutline := outlined(fit.Width(port, 72))
	label := widget.NewLabel("")
	words(func() { label.SetText(tr("port")) })
	return container.NewBorder(nil, nil, nil, container.NewHBox(label, p), h), hostOutline, portOutline
}
