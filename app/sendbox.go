package app

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// modeLabels are the mode choices in English, indexed by payload.Mode. The Select
// shows them through tr and is read by index, never by its label.
var modeLabels = []string{
	payload.ModeText:    "Text",
	payload.ModeEscapes: "Text with escapes",
	payload.ModeHex:     "Hex",
}

// validMode is m, or Text for a mode the box does not offer.
func validMode(m payload.Mode) payload.Mode {
	if m >= 0 && int(m) < len(modeLabels) {
		return m
	}
	return payload.ModeText
}

// modeLabel is how the box shows mode m, in the UI language.
func modeLabel(m payload.Mode) string { return tr(modeLabels[validMode(m)]) }

// modeOptions are the mode Select's options, in the UI language.
func modeOptions() []string {
	out := make([]string, len(modeLabels))
	for i := range modeLabels {
		out[i] = tr(modeLabels[i])
	}
	return out
}

// sendModeWidth is the width of the send box's mode choice.
const sendModeWidth = 112

// modeNames are the modes as settings name them, indexed by payload.Mode.
var modeNames = []string{payload.ModeText.String(), payload.ModeEscapes.String(), payload.ModeHex.String()}

// sendBox is the message editor docked under a session's log: the payload mode,
// the message, what ends it (CR, LF), Send (Stop while repeating), and under them a
// line reserved for what the box has to say — the message's size as typed, or
// what is wrong with it, or why a send failed — so that nothing moves, not Send.
// The options used less often (checksum, repeat) are a tool of their own in the
// session's drawer (optionsObject); messages kept for sending again are the
// Messages tool's buttons (messages.go), which send through the box's worker.
//
// Widgets are touched only on the UI goroutine. The send function runs on the
// box's own worker goroutine, which reports back through env.ui.
type sendBox struct {
	env     env
	prefs   prefs
	charset func() *charset.Charset
	send    func([]byte) error

	entry      *sendEntry     // the message; Ctrl+Enter (Cmd+Enter on macOS) sends
	mode       *widget.Select // modeOptions, indexed by payload.Mode
	eol        *widget.Select // eolOptions, indexed by lineEnd
	checksum   *widget.Select // checksumOptions: none, then netio's checksums
	order      *widget.Select // orderOptions, indexed by checksum.ByteOrder
	sendBtn    *widget.Button // "Send", or "Stop" while repeating
	note       *noteLine      // the message's size, or what is wrong
	repeat     *widget.Check
	every      *widget.Entry // repeat interval in ms
	times      *widget.Entry // how many sends; 0 = until stopped
	repeatNote *noteLine     // a bad interval or count, right under those fields

	modeBox, eolBox, checksumBox, orderBox *fyne.Container // hold the Selects, sized to their options
	labels                                 []func()        // write the options' labels
	obj, options                           fyne.CanvasObject

	// onChecksum hears of every checksum choice (sendchecksum.go); onOptions of
	// every change to the options that the drawer marks (checksum, repeat).
	onChecksum  func(*checksum.Checksum, checksum.ByteOrder)
	onOptions   func(active bool)
	onSendError func(error) // a send failed: the session marks a field it is about
	onEnabled   func(bool)  // the session opened or ended (the Messages tool follows)

	// UI-goroutine state.
	enabled     bool
	lastMode    payload.Mode
	sendErr     error      // the last send's failure, shown until its cause goes
	convertNote string     // what the last mode switch could not do, until an edit
	running     *repeatRun // the repeat in progress, nil if none
	converting  bool       // the entry is being rewritten by a mode switch

	// The worker.
	jobs     chan sendJob
	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	stopped  atomic.Bool
}

// newSendBox builds the send box and starts its worker. It starts disabled;
// the panel enables it while its session is open. send is called on the
// worker goroutine, never on the UI goroutine, one call at a time.
func newSendBox(e env, p prefs, charset func() *charset.Charset, send func([]byte) error) *sendBox {
	b := &sendBox{
		env:     e,
		prefs:   p,
		charset: charset,
		send:    send,
		jobs:    make(chan sendJob, sendQueueLen),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	b.build()
	go b.work()
	return b
}

func (b *sendBox) build() {
	b.entry = newSendEntry(b.tapSend)
	b.entry.SetText(b.prefs.get("message", ""))
	b.entry.OnChanged = func(string) { b.edited() }

	b.mode = widget.NewSelect(modeOptions(), nil)
	mode, err := payload.ParseMode(b.prefs.get("mode", payload.ModeText.String()))
	if err != nil {
		mode = payload.ModeText
	}
	b.mode.SetSelectedIndex(int(validMode(mode)))
	b.lastMode = b.currentMode()
	b.mode.OnChanged = func(string) { b.modeChanged() }

	b.eol = widget.NewSelect(eolOptions(), func(string) {
		b.prefs.set("eol", b.lineEnd().String())
		b.edited()
	})
	b.eol.SetSelectedIndex(int(parseLineEnd(b.prefs.get("eol", ""))))

	b.note = newNoteLine(1)
	b.repeatNote = newNoteLine(1)
	b.buildChecksum()

	b.sendBtn = widget.NewButtonWithIcon("", theme.MailSendIcon(), b.tapSend)
	b.sendBtn.Importance = widget.HighImportance
	b.sendBtn.Disable()

	b.repeat = widget.NewCheck("", func(bool) { b.clearRepeatError(); b.optionsChanged() })
	b.every = widget.NewEntry()
	b.every.SetText(b.prefs.get("every", "1000"))
	b.every.Validator = func(s string) error { _, err := parseEvery(s); return err }
	b.every.OnChanged = func(string) { b.clearRepeatError(); b.optionsChanged() }
	b.times = widget.NewEntry()
	b.times.SetText(b.prefs.get("times", "0"))
	b.times.Validator = func(s string) error { _, err := parseTimes(s); return err }
	b.times.OnChanged = func(string) { b.clearRepeatError(); b.optionsChanged() }

	b.modeBox, b.eolBox = container.NewStack(), container.NewStack()
	b.checksumBox, b.orderBox = container.NewStack(), container.NewStack()
	row := container.NewBorder(nil, nil, b.modeBox, container.NewHBox(b.eolBox, b.sendBtn), b.entry)
	b.obj = container.NewVBox(widget.NewSeparator(), row, b.note)
	b.buildOptions()
	b.relabel()
}

// buildOptions lays out the send options tool: checksum, repeat, placeholders.
func (b *sendBox) buildOptions() {
	numberWidth := func(e *widget.Entry) fyne.CanvasObject { return fit.Width(e, 100) }
	checksumLabel, orderHint, everyLabel, timesLabel := widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	placeholders := widget.NewLabel("")
	orderHint.Importance = widget.LowImportance
	placeholders.Importance = widget.LowImportance
	placeholders.Wrapping = fyne.TextWrapWord
	checksumTitle, repeatTitle, messageTitle := heading(), heading(), heading()
	b.labels = append(b.labels, func() {
		checksumTitle.SetText(tr("Checksum"))
		checksumLabel.SetText(tr("Append"))
		orderHint.SetText(tr("Checked on every message received, too."))
		repeatTitle.SetText(tr("Repeat"))
		b.repeat.Text = tr("Repeat every")
		b.repeat.Refresh()
		everyLabel.SetText(tr("ms, times"))
		timesLabel.SetText(tr("(0 = until stopped)"))
		messageTitle.SetText(tr("Placeholders"))
		placeholders.SetText(trf("A message may hold %s: each is filled in as the message goes.", payload.PlaceholderHelp))
	})
	orderHint.Wrapping = fyne.TextWrapWord
	b.options = container.NewVBox(
		checksumTitle,
		container.NewHBox(checksumLabel, b.checksumBox, b.orderBox),
		orderHint,
		widget.NewSeparator(),
		repeatTitle,
		container.NewHBox(b.repeat, numberWidth(b.every)),
		container.NewHBox(everyLabel, numberWidth(b.times), timesLabel),
		b.repeatNote,
		widget.NewSeparator(),
		messageTitle,
		placeholders,
	)
}

// heading is a bold label over a group of fields.
func heading() *widget.Label {
	return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// relabel writes the box's words in the UI language, keeping every choice.
func (b *sendBox) relabel() {
	b.entry.SetPlaceHolder(trf("Message (%s sends)", sendShortcutName()))
	setOptions(b.mode, modeOptions())
	setOptions(b.eol, eolOptions())
	setOptions(b.checksum, checksumOptions())
	setOptions(b.order, orderOptions())
	// The mode's choice is as wide as "Text" and "Hex" need (and 文本, 转义文本,
	// 十六进制); the longest English one is cut ("Text with…") in the box, whole in
	// its list, so that the message keeps its width beside a server's table.
	b.modeBox.Objects = []fyne.CanvasObject{fit.Width(b.mode, sendModeWidth)}
	b.eolBox.Objects = []fyne.CanvasObject{fit.Options(b.eol)}
	b.checksumBox.Objects = []fyne.CanvasObject{fit.Options(b.checksum)}
	b.orderBox.Objects = []fyne.CanvasObject{fit.Options(b.order)}
	for _, fn := range b.labels {
		fn()
	}
	b.showRunning(b.running != nil)
	b.showNote()
	b.obj.Refresh()
}

// setOptions gives a Select its options in the UI language, keeping the choice
// (by position) and without calling OnChanged.
func setOptions(s *widget.Select, opts []string) {
	i := s.SelectedIndex()
	fn := s.OnChanged
	s.OnChanged = nil
	s.Options = opts
	if i >= 0 && i < len(opts) {
		s.SetSelectedIndex(i)
	}
	s.OnChanged = fn
	s.Refresh()
}

// Object is the box docked under the log.
func (b *sendBox) Object() fyne.CanvasObject { return b.obj }

// optionsObject is the send options tool: checksum, repeat, placeholders.
func (b *sendBox) optionsObject() fyne.CanvasObject { return b.options }

// SetEnabled allows sending while the session is open. Disabling stops a
// running repeat. Either way, a send's failure is forgotten: the session it was
// about opened or ended. UI goroutine.
func (b *sendBox) SetEnabled(on bool) {
	b.enabled = on
	b.sendErr = nil
	b.showNote()
	if b.onEnabled != nil {
		b.onEnabled(on)
	}
	if !on {
		b.stopRepeat()
		b.sendBtn.Disable()
		return
	}
	b.sendBtn.Enable()
}

// causeGone forgets a send's failure whose cause may have gone (Broadcast turned
// on, the destination changed).
func (b *sendBox) causeGone() {
	if b.sendErr != nil {
		b.sendErr = nil
		b.showNote()
	}
}

// currentMode is the selected payload mode.
func (b *sendBox) currentMode() payload.Mode {
	if i := b.mode.SelectedIndex(); i >= 0 {
		return validMode(payload.Mode(i))
	}
	return payload.ModeText
}

// modeChanged rewrites the message for the new mode, so that it stands for the
// same bytes (Text 你好 in GBK becomes Hex C4 E3 BA C3), or leaves it as it is and
// says why it could not, until the next edit.
func (b *sendBox) modeChanged() {
	from, to := b.lastMode, b.currentMode()
	b.lastMode = to
	if from == to {
		return
	}
	text, err := convertMessage(b.entry.Text, from, to, b.charsetNow())
	if err == nil && text != b.entry.Text {
		b.converting = true
		b.entry.SetText(text)
		b.converting = false
	}
	b.convertNote = ""
	if err != nil {
		b.convertNote = convertText(err, to, b.charsetNow())
	}
	b.sendErr = nil
	b.showNote()
}

// edited notes a change of the message or its line end: the note shows the new
// size or what is wrong now, and what it said before (a send's failure, a switch
// that could not convert) goes.
func (b *sendBox) edited() {
	if !b.converting {
		b.convertNote = ""
	}
	b.sendErr = nil
	b.showNote()
}

func (b *sendBox) charsetNow() *charset.Charset {
	if b.charset != nil {
		return b.charset()
	}
	return nil
}

// showNote writes the reserved line: a failed send, what the last mode switch
// could not do, what is wrong with the message, or how many bytes it makes.
func (b *sendBox) showNote() {
	if b.note == nil || b.checksum == nil || b.repeat == nil { // still being built
		return
	}
	switch {
	case b.sendErr != nil:
		b.note.set("⚠ "+sendErrorText(b.sendErr), noteError)
	case b.convertNote != "":
		b.note.set("⚠ "+b.convertNote, noteError)
	default:
		msg, err := b.buildMessage(b.entry.Text, b.currentMode())
		switch {
		case errors.Is(err, errEmptyMessage):
			b.note.set(b.summary(-1), noteHint)
		case err != nil:
			b.note.set("⚠ "+payloadText(err), noteError)
		default:
			b.note.set(b.summary(msg.Len(1)), noteHint)
		}
	}
}

// summary says what Send sends: its size (n < 0: nothing typed) with the line
// end and checksum, and whether it repeats.
func (b *sendBox) summary(n int) string {
	var parts []string
	if n >= 0 {
		c, _ := b.currentChecksum()
		if c != nil {
			n += c.Width()
		}
		parts = append(parts, trf("%d bytes", n))
	}
	if c, _ := b.currentChecksum(); c != nil {
		parts = append(parts, trf("with %s", c.Name()))
	}
	if b.repeat.Checked {
		parts = append(parts, trf("repeats every %s ms", strings.TrimSpace(b.every.Text)))
	}
	return strings.Join(parts, " · ")
}

// optionsChanged tells the session whether an option is in force (the drawer
// marks its tab) and updates the note.
func (b *sendBox) optionsChanged() {
	if b.onOptions != nil {
		c, _ := b.currentChecksum()
		b.onOptions(c != nil || b.repeat.Checked)
	}
	b.showNote()
}

// tapSend is the Send/Stop button and Ctrl+Enter in the entry (UI goroutine).
func (b *sendBox) tapSend() {
	if b.running != nil {
		b.stopRepeat()
		return
	}
	if !b.enabled || b.stopped.Load() {
		return
	}
	text, mode := b.entry.Text, b.currentMode()
	msg, payloadErr := b.buildMessage(text, mode)
	b.convertNote = ""
	b.sendErr = nil
	b.showNote()
	job := sendJob{msg: msg}
	job.sum, job.order = b.currentChecksum()
	if b.repeat.Checked {
		var ok bool
		if job.every, job.times, ok = b.repeatSettings(); !ok || payloadErr != nil {
			return
		}
		b.prefs.set("every", strings.TrimSpace(b.every.Text))
		b.prefs.set("times", strings.TrimSpace(b.times.Text))
		b.running = &repeatRun{cancel: make(chan struct{})}
		job.run = b.running
	} else {
		b.clearRepeatError()
	}
	if payloadErr != nil {
		if errors.Is(payloadErr, errEmptyMessage) {
			b.showSendError(payloadErr) // said only when Send is pressed
		}
		return
	}
	b.prefs.set("message", text)
	b.prefs.set("mode", mode.String())
	if err := b.queue(job); err != nil {
		b.running = nil
		b.showSendError(err)
		return
	}
	if job.run != nil {
		b.showRunning(true)
	}
}

// queue hands a job to the worker, or says to wait when sends are piling up
// behind a slow one (UI goroutine). The Messages tool's buttons send this way.
func (b *sendBox) queue(job sendJob) error {
	select {
	case b.jobs <- job:
		return nil
	default:
		return errors.New(tr("Still sending earlier messages: wait for them, then send again"))
	}
}

// buildMessage parses the entry's text and its placeholders ({counter},
// {time}, {hex:..}), with the line end chosen; an empty message is refused.
func (b *sendBox) buildMessage(text string, mode payload.Mode) (*payload.Template, error) {
	return buildTemplate(text, mode, b.charsetNow(), b.lineEnd())
}

// buildTemplate is how a message typed in mode becomes what is sent, in cs,
// with end appended: the send box and the Messages tool's buttons (whose line
// end is part of their text, so end is none) both go through it.
func buildTemplate(text string, mode payload.Mode, cs *charset.Charset, end lineEnd) (*payload.Template, error) {
	if text == "" {
		return nil, errEmptyMessage
	}
	t, err := payload.ParseTemplate(text, mode, cs)
	if err != nil {
		return nil, err
	}
	if end == lineEndNone {
		return t, nil
	}
	return payload.ParseTemplate(withLineEnd(text, mode, end.bytes(mode, cs)), mode, cs)
}

var errEmptyMessage = errors.New("nothing to send: type a message first")

// payloadText words a payload error: `Hex: invalid character "g" at position 5`,
// `Character "😀" (U+1F600) at position 1 cannot be encoded in GBK`. The engine's
// words stay English; the box's own are translated.
func payloadText(err error) string {
	if errors.Is(err, errEmptyMessage) {
		return tr("Nothing to send: type a message first")
	}
	var ie *payload.InputError
	if errors.As(err, &ie) {
		return capitalize(ie.Kind) + ": " + ie.Msg
	}
	var ee *charset.EncodeError
	if errors.As(err, &ee) {
		return capitalize(ee.Error())
	}
	return capitalize(errorText(err))
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// sendErrorText words why a send (or a repeat) failed.
func sendErrorText(err error) string {
	var rs *repeatStopped
	if errors.As(err, &rs) {
		return trf("Repeat stopped: %s", errorText(rs.err))
	}
	if errors.Is(err, errEmptyMessage) {
		return payloadText(err)
	}
	return capitalize(errorText(err))
}

// showSendError shows why a send failed, until its cause goes or the message
// changes.
func (b *sendBox) showSendError(err error) {
	if b.onSendError != nil {
		b.onSendError(err)
	}
	b.sendErr = err
	b.showNote()
}

func (b *sendBox) clearRepeatError() {
	if b.repeatNote != nil {
		b.repeatNote.set("", noteHint)
		if b.every != nil {
			b.every.SetValidationError(nil)
			b.times.SetValidationError(nil)
		}
	}
}

// showRunning turns the Send button into Stop and back.
func (b *sendBox) showRunning(on bool) {
	if on {
		b.sendBtn.SetText(tr("Stop"))
		b.sendBtn.SetIcon(theme.MediaStopIcon())
		b.sendBtn.Importance = widget.DangerImportance
	} else {
		b.sendBtn.SetText(tr("Send"))
		b.sendBtn.SetIcon(theme.MailSendIcon())
		b.sendBtn.Importance = widget.HighImportance
	}
	b.sendBtn.Refresh()
}

// keepIn registers the box's fields with a session's saved settings.
func (b *sendBox) keepIn(s *session) {
	s.keepIndex("mode", b.mode, modeNames)
	s.keep("message", func() string { return b.entry.Text }, b.entry.SetText)
	s.keepIndex("eol", b.eol, lineEndNames)
	s.keep("checksum", func() string {
		if c, _ := b.currentChecksum(); c != nil {
			return c.Name()
		}
		return ""
	}, func(v string) {
		if c, _, err := checksum.Lookup(v); err == nil {
			b.checksum.SetSelected(c.Name())
		} else {
			b.checksum.SetSelectedIndex(0)
		}
	})
	s.keep("checksumorder", func() string { _, o := b.currentChecksum(); return o.String() }, func(v string) {
		if o, err := checksum.ParseByteOrder(v); err == nil {
			b.order.SetSelectedIndex(int(o))
		}
	})
	s.keepCheck("repeat", b.repeat)
	s.keepEntry("every", b.every)
	s.keepEntry("times", b.times)
}
