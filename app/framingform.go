package app

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/netio/framing"
)

// framingModeLabels are the framing choices in English, indexed by framing.Mode.
var framingModeLabels = []string{
	framing.None:      "None",
	framing.Line:      "Lines",
	framing.Delim:     "Delimiter",
	framing.Fixed:     "Fixed size",
	framing.Length:    "Length field",
	framing.ModbusTCP: "Modbus TCP",
	framing.Idle:      "Idle gap",
}

// byteOrderLabels are the length field's byte orders in English: big-endian first.
var byteOrderLabels = []string{"big-endian", "little-endian"}

// lengthSizes are the sizes a length field may have, as a spec says them, and
// lengthSizeLabels as the choice shows them, in English.
var (
	lengthSizes      = []string{"1", "2", "4"}
	lengthSizeLabels = []string{"1 byte", "2 bytes", "4 bytes"}
)

// The fields' values before anything was chosen: CR LF, a 16-byte frame, a gap
// of 20 ms.
const (
	defaultDelimiter = "0d0a"
	defaultFixed     = "16"
	defaultIdle      = "20ms"
	defaultMaxFrame  = "1 MiB" // what an empty Max frame means
)

// framingFields are a TCP session's framing settings, rows of its connection
// form: the mode, then the fields that mode takes (the others are hidden), and
// the largest frame. framing.Parse checks them when the session starts; its
// SpecError says which field is wrong, and the error is shown there. UI
// goroutine only.
type framingFields struct {
	form      *fieldForm
	mode      *widget.Select // framingModeLabels, by framing.Mode
	delim     *widget.Entry
	fixed     *widget.Entry
	offset    *widget.Entry
	size      *widget.Select // lengthSizeLabels, by index in lengthSizes
	order     *widget.Select // byteOrderLabels
	adjust    *widget.Entry
	idle      *widget.Entry
	maxFrame  *widget.Entry
	maxLabel  *widget.Label
	maxBox    *fyne.Container // the largest frame, beside the mode
	sizeBox   *fyne.Container
	modeBox   *fyne.Container
	orderBox  *fyne.Container
	modeRow   *fieldRow
	delimRow  *fieldRow
	fixedRow  *fieldRow
	offsetRow *fieldRow
	sizeRow   *fieldRow
	adjustRow *fieldRow
	idleRow   *fieldRow
}

// The framing fields' names, as their labels and errors say them.
func framingFieldName() string  { return tr("Framing") }
func delimFieldName() string    { return tr("Delimiter (hex)") }
func fixedFieldName() string    { return tr("Frame size") }
func offsetFieldName() string   { return tr("Length at byte") }
func sizeFieldName() string     { return tr("Length field") }
func adjustFieldName() string   { return tr("Length adjust") }
func idleFieldName() string     { return tr("Idle gap") }
func maxFrameFieldName() string { return tr("Max frame") }

// addFramingFields adds the framing rows to a connection form, filled from the
// kind's preferences (the framing last started with).
func addFramingFields(form *fieldForm, p prefs) *framingFields {
	f := &framingFields{form: form}
	f.mode = widget.NewSelect(nil, nil)
	f.delim, f.fixed, f.offset, f.adjust, f.idle, f.maxFrame = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.size = widget.NewSelect(nil, nil)
	f.order = widget.NewSelect(nil, nil)
	f.maxLabel = widget.NewLabel("")
	f.sizeBox = container.NewStack()
	f.maxFrame.SetPlaceHolder(defaultMaxFrame)
	f.modeBox, f.orderBox = container.NewStack(), container.NewStack()
	f.relabel()
	f.mode.SetSelectedIndex(int(framing.None))
	f.size.SetSelectedIndex(1)
	f.order.SetSelectedIndex(0)
	f.delim.SetText(defaultDelimiter)
	f.fixed.SetText(defaultFixed)
	f.offset.SetText("0")
	f.idle.SetText(defaultIdle)

	maxInput, maxOutline := outlined(fit.Width(f.maxFrame, 90))
	f.maxBox = container.NewHBox(f.maxLabel, maxInput)
	f.modeRow = form.field(framingFieldName, container.NewBorder(nil, nil, nil, f.maxBox, f.modeBox), 1).
		also(maxFrameFieldName).part(maxFrameFieldName, maxOutline).withHint(f.describe)
	f.delimRow = form.field(delimFieldName, fit.Width(f.delim, 140), 1).withHint(func() string { return tr("e.g. 0d0a (CR LF) or 03") })
	f.fixedRow = form.field(fixedFieldName, fit.Width(f.fixed, 90), 1).withHint(func() string { return tr("bytes") })
	f.offsetRow = form.field(offsetFieldName, fit.Width(f.offset, 90), 1).withHint(func() string { return tr("bytes before the length field") })
	f.sizeRow = form.field(sizeFieldName, container.NewHBox(f.sizeBox, f.orderBox), 0)
	f.adjustRow = form.field(adjustFieldName, fit.Width(f.adjust, 90), 1).withHint(func() string {
		return tr("added to the length: a frame is offset + size + length + adjust bytes")
	})
	f.idleRow = form.field(idleFieldName, fit.Width(f.idle, 90), 1).withHint(func() string { return tr("a frame ends when nothing arrives for this long, e.g. 20ms") })

	for _, e := range []*widget.Entry{f.delim, f.fixed, f.offset, f.adjust, f.idle, f.maxFrame} {
		e.OnChanged = func(string) { f.edited() }
	}
	f.size.OnChanged = func(string) { f.edited() }
	f.order.OnChanged = func(string) { f.edited() }
	f.mode.OnChanged = func(string) { f.edited() }
	if spec := p.get("frame", ""); spec != "" {
		f.setSpec(spec)
	}
	f.maxFrame.SetText(p.get("maxframe", ""))
	f.showRows()
	return f
}

// relabel writes the choices and the size's unit in the UI language, keeping
// what is chosen (the form relabels the rows).
func (f *framingFields) relabel() {

	f.maxLabel.SetText(tr("max"))
	modes := make([]string, len(framingModeLabels))
	for i := range framingModeLabels {
		modes[i] = tr(framingModeLabels[i])
	}
	setOptions(f.mode, modes)
	orders := make([]string, len(byteOrderLabels))
	for i := range byteOrderLabels {
		orders[i] = tr(byteOrderLabels[i])
	}
	setOptions(f.order, orders)
	sizes := make([]string, len(lengthSizeLabels))
	for i := range lengthSizeLabels {
		sizes[i] = tr(lengthSizeLabels[i])
	}
	setOptions(f.size, sizes)
	for _, c := range []struct {
		box *fyne.Container
		sel *widget.Select
	}{{f.modeBox, f.mode}, {f.orderBox, f.order}, {f.sizeBox, f.size}} {
		c.box.Objects = []fyne.CanvasObject{fit.Options(c.sel)}
		c.box.Refresh()
	}
}

// chosenMode is the framing chosen.
func (f *framingFields) chosenMode() framing.Mode {
	return framing.Mode(max(f.mode.SelectedIndex(), 0))
}

// edited takes errors away (their cause changed) and shows the rows of the mode.
func (f *framingFields) edited() {
	for _, r := range f.rows() {
		if r.err != nil {
			r.setError(nil)
		}
	}
	f.showRows()
	f.modeRow.show() // the description follows the fields
}

func (f *framingFields) rows() []*fieldRow {
	return []*fieldRow{f.modeRow, f.delimRow, f.fixedRow, f.offsetRow, f.sizeRow, f.adjustRow, f.idleRow}
}

// showRows shows the fields the chosen mode takes.
func (f *framingFields) showRows() {
	m := f.chosenMode()
	f.delimRow.setVisible(m == framing.Delim)
	f.fixedRow.setVisible(m == framing.Fixed)
	f.offsetRow.setVisible(m == framing.Length)
	f.sizeRow.setVisible(m == framing.Length)
	f.adjustRow.setVisible(m == framing.Length)
	f.idleRow.setVisible(m == framing.Idle)
	f.maxBox.Hidden = m == framing.None
	f.form.box.Refresh()
}

// setEnabled fixes the framing while the session runs.
func (f *framingFields) setEnabled(on bool) {
	setEnabled(on, f.mode, f.delim, f.fixed, f.offset, f.size, f.order, f.adjust, f.idle, f.maxFrame)
}

// specText is the framing spec the fields say, in framing.Parse's form, and for
// delim the positions in the delimiter field of the spec's characters after
// "delim:" (spaces typed between the bytes are left out of the spec).
func (f *framingFields) specText() (string, []int) {
	switch m := f.chosenMode(); m {
	case framing.Delim:
		var b strings.Builder
		var at []int
		for i, r := range []rune(f.delim.Text) {
			if !unicode.IsSpace(r) {
				b.WriteRune(r)
				at = append(at, i+1)
			}
		}
		return "delim:" + b.String(), at
	case framing.Fixed:
		return "fixed:" + strings.TrimSpace(f.fixed.Text), nil
	case framing.Length:
		spec := "length:" + strings.TrimSpace(f.offset.Text) + ":" + lengthSizes[max(f.size.SelectedIndex(), 0)] + ":be"
		if f.order.SelectedIndex() == 1 {
			spec = strings.TrimSuffix(spec, "be") + "le"
		}
		if adj := strings.TrimSpace(f.adjust.Text); adj != "" {
			spec += ":" + adj
		}
		return spec, nil
	case framing.Idle:
		return "idle:" + strings.TrimSpace(f.idle.Text), nil
	default:
		return m.String(), nil
	}
}

// spec reads the fields: the framing and the largest frame (0: the default), or
// an error about one field (a fieldError, shown at it).
func (f *framingFields) spec() (framing.Spec, int, error) {
	text, delimAt := f.specText()
	spec, err := framing.Parse(text)
	if err != nil {
		return framing.Spec{}, 0, f.fieldError(err, delimAt)
	}
	if spec.Mode() == framing.None {
		return spec, 0, nil
	}
	n, err := parseFrameSize(f.maxFrame.Text)
	if err != nil {
		return framing.Spec{}, 0, &fieldError{maxFrameFieldName(), err}
	}
	return spec, n, nil
}

// fieldError words a framing.SpecError at the field it names.
func (f *framingFields) fieldError(err error, delimAt []int) error {
	var se *framing.SpecError
	if !errors.As(err, &se) {
		return &fieldError{framingFieldName(), err}
	}
	switch se.Field {
	case "HEX":
		return &fieldError{delimFieldName(), f.delimError(se.Pos-utf8.RuneCountInString("delim:"), delimAt)}
	case "N":
		return &fieldError{fixedFieldName(), errors.New(trf("enter a whole number of bytes from 1 to %d", framing.MaxFixed))}
	case "OFFSET":
		return &fieldError{offsetFieldName(), errors.New(trf("enter a whole number of bytes from 0 to %d", framing.MaxOffset))}
	case "SIZE":
		return &fieldError{sizeFieldName(), errors.New(tr("choose 1, 2 or 4 bytes"))}
	case "ADJUST":
		return &fieldError{adjustFieldName(), errors.New(trf("enter a whole number from %d to %d (it may be negative)", -framing.MaxAdjust, framing.MaxAdjust))}
	case "DUR":
		return &fieldError{idleFieldName(), errors.New(trf("enter a time from %s to %s, such as 20ms or 1.5s", framing.MinIdle, framing.MaxIdle))}
	}
	return &fieldError{framingFieldName(), errors.New(tr("choose how the stream is cut into messages"))}
}

// delimError says what is wrong with the delimiter field; pos is the 1-based
// character of the spec's delimiter part that framing.Parse found wrong.
func (f *framingFields) delimError(pos int, at []int) error {
	digits := len(at)
	if digits == 0 {
		return errors.New(tr("enter the bytes that end a frame in hex, e.g. 0d0a"))
	}
	if pos >= 1 && pos <= digits {
		r := []rune(f.delim.Text)[at[pos-1]-1]
		if !isHexRune(r) {
			return errors.New(trf("%q at character %d is not a hex digit (0-9, a-f)", string(r), at[pos-1]))
		}
	}
	if digits%2 != 0 {
		return errors.New(tr("two hex digits per byte: the last byte has one"))
	}
	return errors.New(trf("at most %d bytes", framing.MaxDelimiter))
}

func isHexRune(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
}

// parseFrameSize reads the largest frame: empty for the default (0), else as
// framing.ParseSize reads it.
func parseFrameSize(text string) (int, error) {
	if strings.TrimSpace(text) == "" {
		return 0, nil
	}
	n, err := framing.ParseSize(text)
	if err != nil {
		return 0, errors.New(trf("%q is not a size from 1 byte to 1 GiB (e.g. 65536, 64KiB, 1MiB)", text))
	}
	return n, nil
}

// setSpec fills the fields from a spec as saved (framing.Spec's String form).
// A spec that does not parse still goes to its fields, to be shown wrong there
// when the session starts.
func (f *framingFields) setSpec(text string) {
	keyword, rest, _ := strings.Cut(strings.TrimSpace(text), ":")
	mode := framing.None
	for m := range framing.Mode(len(framingModeLabels)) {
		if strings.EqualFold(keyword, m.String()) {
			mode = m
		}
	}
	switch mode {
	case framing.Delim:
		f.delim.SetText(rest)
	case framing.Fixed:
		f.fixed.SetText(rest)
	case framing.Idle:
		f.idle.SetText(rest)
	case framing.Length:
		parts := strings.Split(rest, ":")
		f.offset.SetText(parts[0])
		if len(parts) > 1 {
			if i := slices.Index(lengthSizes, parts[1]); i >= 0 {
				f.size.SetSelectedIndex(i)
			}
		}
		f.order.SetSelectedIndex(0)
		f.adjust.SetText("")
		for _, p := range parts[min(2, len(parts)):] {
			switch strings.ToLower(p) {
			case "be":
			case "le":
				f.order.SetSelectedIndex(1)
			default:
				f.adjust.SetText(p)
			}
		}
	}
	f.mode.SetSelectedIndex(int(mode))
}

// savedSpec is the framing as a workspace and the preferences keep it: the
// spec as the fields say it (checked when the session starts).
func (f *framingFields) savedSpec() string {
	text, _ := f.specText()
	if spec, err := framing.Parse(text); err == nil {
		return spec.String()
	}
	return text
}

// keepIn registers the framing with a session's saved settings: "frame" (the
// spec, as --frame takes it) and "maxframe".
func (f *framingFields) keepIn(s *session) {
	s.keep("frame", f.savedSpec, f.setSpec)
	s.keepEntry("maxframe", f.maxFrame)
}

// remember saves the framing a session started with as the kind's default.
func (f *framingFields) remember(p prefs) {
	p.set("frame", f.savedSpec())
	p.set("maxframe", f.maxFrame.Text)
}

// describe is the framing the fields say, in the UI language, or "" while they
// do not make a valid spec: the hint under the choice.
func (f *framingFields) describe() string {
	text, _ := f.specText()
	spec, err := framing.Parse(text)
	switch {
	case err != nil:
		return ""
	case spec.Mode() == framing.None:
		return tr("a message per read, as the bytes come")
	}
	return describeFraming(spec)
}

// describeFraming words where frames end in the UI language ("" for none): the
// state line and the choice's hint say it. (Spec.Describe is the engine's
// English.)
func describeFraming(s framing.Spec) string {
	switch s.Mode() {
	case framing.Line:
		return tr("frames end at LF")
	case framing.Delim:
		return trf("frames end at %s", spacedHex(s.Delimiter()))
	case framing.Fixed:
		return trf("frames of %d bytes", s.FixedSize())
	case framing.Length:
		lf, _ := s.LengthField()
		order := tr(byteOrderLabels[0])
		if lf.LittleEndian {
			order = tr(byteOrderLabels[1])
		}
		// The size as a sum ("6 + length - 2"), "length" in the UI language.
		size := strconv.Itoa(lf.HeaderLen()) + " + " + tr("length")
		switch a := lf.Adjust; {
		case a > 0:
			size += " + " + strconv.Itoa(a)
		case a < 0:
			size += " - " + strconv.Itoa(-a)
		}
		return trf("frames of %s bytes: a %d-byte %s length at byte %d", size, lf.Size, order, lf.Offset)
	case framing.ModbusTCP:
		return tr("Modbus TCP frames (MBAP header: 6 + length bytes)")
	case framing.Idle:
		return trf("frames end after %s without data", s.IdleTimeout().String())
	}
	return ""
}

// framingState is what a state line adds for the framing: " · frames end at LF",
// or "" without framing.
func framingState(s framing.Spec) string {
	if d := describeFraming(s); d != "" {
		return " · " + d
	}
	return ""
}
