package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/library/known"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// messageEditor is the dialog that edits one message of the library with
// every field it has, or makes a new one. Save checks every field and shows
// what is wrong at the field, keeping the dialog open; a save that fails (the
// disk) is said under the fields. UI goroutine.
type messageEditor struct {
	t        *messagesTool
	original string // the name of the message edited; "" for a new one

	form     *fieldForm
	name     *widget.Entry
	group    *widget.SelectEntry
	mode     *widget.Select // modeOptions, indexed by payload.Mode
	payload  *widget.Entry
	charset  *widget.Select // the session's, then every charset
	checksum *widget.Select // checksumOptions
	order    *widget.Select // orderOptions
	dest     *widget.Entry
	protocol *widget.Select // protocolLabels
	repeat   *widget.Entry
	note     *widget.Entry
	problem  *noteLine
	saveBtn  *widget.Button
	dlg      *dialog.CustomDialog
	lastMode payload.Mode
}

// protocols are the protocol choices, in the order of protocolLabels.
var protocols = []library.Protocol{library.AnyProtocol, library.UDP, library.TCP, library.TLS}

// protocolLabels are the protocol choices in English; the Select shows them
// through tr and is read by index.
var protocolLabels = []string{"Any (the session's)", "UDP", "TCP", "TLS"}

// The editor's field names, as its rows show them (through tr).
func msgFieldName() string     { return tr("Name") }
func msgFieldGroup() string    { return tr("Group") }
func msgFieldPayload() string  { return tr("Message") }
func msgFieldCharset() string  { return tr("Charset") }
func msgFieldChecksum() string { return tr("Checksum") }
func msgFieldDest() string     { return tr("Destination") }
func msgFieldProtocol() string { return tr("Protocol") }
func msgFieldRepeat() string   { return tr("Repeat every (ms)") }
func msgFieldNote() string     { return tr("Note") }
func msgFieldMode() string     { return tr("Mode") }

// edit opens the editor on m: the message named original, or a new message
// ("" original).
func (t *messagesTool) edit(m library.Message, original string) {
	e := &messageEditor{t: t, original: original, form: newFieldForm(), problem: newNoteLine(2)}
	e.name = widget.NewEntry()
	e.name.SetText(m.Name)
	e.group = widget.NewSelectEntry(t.store.groups())
	e.group.SetText(m.Group)
	e.group.SetPlaceHolder(tr("none"))
	e.mode = widget.NewSelect(modeOptions(), nil)
	e.mode.SetSelectedIndex(int(libraryMode(m.Mode)))
	e.lastMode = libraryMode(m.Mode)
	e.payload = widget.NewMultiLineEntry()
	e.payload.SetText(m.Payload)
	e.payload.SetMinRowsVisible(3)
	charsets := []string{tr("The session's")}
	for _, cs := range charset.All() {
		charsets = append(charsets, cs.Name())
	}
	e.charset = widget.NewSelect(charsets, nil)
	e.charset.SetSelectedIndex(0)
	if cs, err := charset.Lookup(m.Charset); m.Charset != "" && err == nil {
		e.charset.SetSelected(cs.Name())
	}
	e.checksum = widget.NewSelect(checksumOptions(), nil)
	e.order = widget.NewSelect(orderOptions(), nil)
	e.checksum.SetSelectedIndex(0)
	e.order.SetSelectedIndex(int(checksum.OrderDefault))
	if c, order, err := checksum.Lookup(m.Checksum); m.Checksum != "" && err == nil {
		e.checksum.SetSelected(c.Name())
		e.order.SetSelectedIndex(int(order))
	}
	e.dest = widget.NewEntry()
	e.dest.SetText(m.Destination)
	e.dest.SetPlaceHolder(tr("host:port — empty: the session's"))
	labels := make([]string, len(protocolLabels))
	for i := range protocolLabels {
		labels[i] = tr(protocolLabels[i])
	}
	e.protocol = widget.NewSelect(labels, nil)
	e.protocol.SetSelectedIndex(0)
	for i, p := range protocols {
		if p == m.Protocol {
			e.protocol.SetSelectedIndex(i)
		}
	}
	e.repeat = widget.NewEntry()
	if m.Repeat > 0 {
		e.repeat.SetText(strconv.FormatInt(m.Repeat.Milliseconds(), 10))
	}
	e.repeat.SetPlaceHolder(tr("empty: send once"))
	e.note = widget.NewEntry()
	e.note.SetText(m.Note)

	rows := map[*widget.Entry]*fieldRow{}
	rows[e.name] = e.form.field(msgFieldName, e.name, 1)
	groupRow := e.form.field(msgFieldGroup, e.group, 1)
	e.form.field(msgFieldMode, fit.Width(e.mode, 160), 0)
	rows[e.payload] = e.form.field(msgFieldPayload, e.payload, 1)
	charsetRow := e.form.field(msgFieldCharset, e.charset, 0)
	checksumRow := e.form.field(msgFieldChecksum, container.NewHBox(fit.Options(e.checksum), fit.Options(e.order)), 0)
	rows[e.dest] = e.form.field(msgFieldDest, e.dest, 1)
	protocolRow := e.form.field(msgFieldProtocol, fit.Options(e.protocol), 0)
	rows[e.repeat] = e.form.field(msgFieldRepeat, fit.Width(e.repeat, 140), 1)
	rows[e.note] = e.form.field(msgFieldNote, e.note, 0)
	for entry, row := range rows {
		entry.OnChanged = func(string) { row.setError(nil) }
	}
	e.group.OnChanged = func(string) { groupRow.setError(nil) }
	e.mode.OnChanged = func(string) { e.modeChanged(); rows[e.payload].setError(nil) }
	e.charset.OnChanged = func(string) { charsetRow.setError(nil); rows[e.payload].setError(nil) }
	e.checksum.OnChanged = func(string) { checksumRow.setError(nil); e.showOrder() }
	e.protocol.OnChanged = func(string) { protocolRow.setError(nil) }
	e.showOrder()

	title := tr("Edit message")
	if original == "" {
		title = tr("New message")
	}
	e.saveBtn = widget.NewButton(tr("Save"), e.save)
	e.saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("Cancel"), func() { e.dlg.Hide() })
	content := container.NewBorder(nil, e.problem, nil, nil, container.NewVScroll(e.form.Object()))
	e.dlg = dialog.NewCustomWithoutButtons(title, content, t.env.win)
	e.dlg.SetButtons([]fyne.CanvasObject{cancel, e.saveBtn})
	// As tall as the fields need, if the window has the room; else they scroll.
	height := e.form.Object().MinSize().Height + e.problem.MinSize().Height + 140
	if win := t.env.win.Canvas().Size().Height; win > 0 {
		height = min(height, win-40)
	}
	e.dlg.Resize(fyne.NewSize(560, height))
	t.editor = e
	e.dlg.Show()
	if c := t.env.win.Canvas(); c != nil {
		c.Focus(e.name)
	}
}

// showOrder shows the byte order only for a checksum wider than a byte.
func (e *messageEditor) showOrder() {
	if c, _, err := checksum.Lookup(e.checksum.Selected); e.checksum.SelectedIndex() > 0 && err == nil && c.Width() > 1 {
		e.order.Show()
	} else {
		e.order.Hide()
	}
}

// modeChanged rewrites the payload for the new mode, as the send box does,
// when it can.
func (e *messageEditor) modeChanged() {
	from, to := e.lastMode, validMode(payload.Mode(e.mode.SelectedIndex()))
	e.lastMode = to
	if text, err := convertMessage(e.payload.Text, from, to, e.charsetNow()); err == nil && text != e.payload.Text {
		e.payload.SetText(text)
	}
}

// charsetNow is the charset the message is sent in: its own, or the session's.
func (e *messageEditor) charsetNow() *charset.Charset {
	if e.charset.SelectedIndex() > 0 {
		if cs, err := charset.Lookup(e.charset.Selected); err == nil {
			return cs
		}
	}
	return e.t.charset()
}

// read is the message the fields describe, or the first thing wrong with
// them, as a fieldError naming its field.
func (e *messageEditor) read() (library.Message, error) {
	m := library.Message{
		Name:        strings.TrimSpace(e.name.Text),
		Group:       strings.TrimSpace(e.group.Text),
		Mode:        library.Mode(validMode(payload.Mode(e.mode.SelectedIndex())).String()),
		Payload:     e.payload.Text,
		Destination: strings.TrimSpace(e.dest.Text),
		Note:        strings.TrimSpace(e.note.Text),
	}
	if i := e.protocol.SelectedIndex(); i > 0 && i < len(protocols) {
		m.Protocol = protocols[i]
	}
	if e.charset.SelectedIndex() > 0 {
		m.Charset = e.charset.Selected
	}
	if e.checksum.SelectedIndex() > 0 {
		order := checksum.OrderDefault
		if i := e.order.SelectedIndex(); i > 0 && e.order.Visible() {
			order = checksum.ByteOrder(i)
		}
		m.Checksum = e.checksum.Selected + orderSuffix(order)
	}
	if m.Name == "" {
		return m, &fieldError{msgFieldName(), errors.New(tr("enter a name"))}
	}
	if other, ok := e.t.store.find(m.Name); ok && !strings.EqualFold(other.Name, e.original) {
		return m, &fieldError{msgFieldName(), errors.New(trf("%q is the name of another message", other.Name))}
	}
	if _, err := buildTemplate(m.Payload, libraryMode(m.Mode), e.charsetNow(), lineEndNone); err != nil {
		if errors.Is(err, errEmptyMessage) {
			err = errors.New(tr("enter the message to send"))
		} else {
			err = errors.New(payloadText(err))
		}
		return m, &fieldError{msgFieldPayload(), err}
	}
	if m.Destination != "" {
		if _, _, err := hostport.Split(m.Destination, false); err != nil {
			return m, &fieldError{msgFieldDest(), err}
		}
	}
	if s := strings.TrimSpace(e.repeat.Text); s != "" && s != "0" {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil || ms < library.MinRepeat.Milliseconds() || ms > library.MaxRepeat.Milliseconds() {
			return m, &fieldError{msgFieldRepeat(), errors.New(trf("enter whole milliseconds from %d to %d, or nothing to send once",
				library.MinRepeat.Milliseconds(), library.MaxRepeat.Milliseconds()))}
		}
		m.Repeat = time.Duration(ms) * time.Millisecond
	}
	// What the library checks besides: a name or group too long or with a
	// control character, and anything else a later version adds.
	if err := m.Validate(known.Names); err != nil {
		return m, libraryFieldError(err)
	}
	return m, nil
}

// libraryFieldError puts a library's error about a message at the editor's
// field it names.
func libraryFieldError(err error) error {
	var le *library.Error
	if !errors.As(err, &le) {
		return err
	}
	field := map[string]func() string{
		"name": msgFieldName, "group": msgFieldGroup, "mode": msgFieldMode, "payload": msgFieldPayload,
		"charset": msgFieldCharset, "checksum": msgFieldChecksum, "destination": msgFieldDest,
		"protocol": msgFieldProtocol, "repeat_ms": msgFieldRepeat, "note": msgFieldNote,
	}[le.Path]
	if field == nil {
		return err
	}
	return &fieldError{field(), errors.New(le.Msg)}
}

// save checks the fields and, if they are right, puts the message in the
// library and closes the dialog.
func (e *messageEditor) save() {
	m, err := e.read()
	if err == nil {
		err = e.t.store.change(func(l *library.Library) error {
			if e.original == "" {
				return l.Add(m)
			}
			return l.Update(e.original, m)
		})
		if errors.Is(err, library.ErrNameTaken) {
			err = &fieldError{msgFieldName(), errors.New(libraryErrorText(err))}
		}
	}
	if err != nil {
		if !e.form.showError(err) {
			e.problem.set("⚠ "+libraryErrorText(err), noteError)
		}
		return
	}
	e.form.clearErrors()
	e.problem.set("", noteHint)
	e.dlg.Hide()
	if e.original == "" {
		e.t.note.set(trf("Added “%s”.", m.Name), noteHint)
	} else {
		e.t.note.set(trf("Saved “%s”.", m.Name), noteHint)
	}
}
