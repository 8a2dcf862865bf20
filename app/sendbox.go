package app

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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

// sendBox is the message editor under a session's log: an entry, the payload
// mode, Send (or Stop while repeating), the repeat settings and saved messages.
//
// Widgets are touched only on the UI goroutine. The send function runs on the
// box's own worker goroutine, which reports back through env.ui.
type sendBox struct {
	env     env
	prefs   prefs
	charset func() *charset.Charset
	send    func([]byte) error

	entry     *sendEntry     // the message; Ctrl+Enter (Cmd+Enter on macOS) sends
	mode      *widget.Select // modeOptions, indexed by payload.Mode
	checksum  *widget.Select // checksumOptions: none, then netio's checksums
	order     *widget.Select // orderOptions, indexed by checksum.ByteOrder
	sendBtn   *widget.Button // "Send", or "Stop" while repeating
	errText   *widget.Label  // a bad payload or a failed send, in red; hidden when empty
	repeat    *widget.Check
	every     *widget.Entry // repeat interval in ms
	times     *widget.Entry // how many sends; 0 = until stopped
	repeatErr *widget.Label // a bad interval or count, in red, right under those fields
	quick     *quickSelect  // saved messages by name
	saveBtn   *widget.Button
	deleteBtn *widget.Button
	saveDlg   *dialog.FormDialog // the last "Save…" dialog shown (tests submit it)
	saveName  *widget.Entry      // its name field

	obj fyne.CanvasObject

	// onChecksum hears of every checksum choice (sendchecksum.go).
	onChecksum func(*checksum.Checksum, checksum.ByteOrder)

	// UI-goroutine state.
	enabled      bool
	sendErrShown bool       // errText shows a send error (cleared by a later success)
	running      *repeatRun // the repeat in progress, nil if none
	loadingQuick bool       // the quick Select is being set by code, not by the user

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
	b.entry.SetPlaceHolder(trf("Message to send (%s sends). Placeholders: %s", sendShortcutName(), payload.PlaceholderHelp))
	b.entry.SetText(b.prefs.get("message", ""))
	b.entry.OnChanged = func(string) { b.clearPayloadError() }

	b.mode = widget.NewSelect(modeOptions(), func(string) { b.clearPayloadError() })
	mode, err := payload.ParseMode(b.prefs.get("mode", payload.ModeText.String()))
	if err != nil {
		mode = payload.ModeText
	}
	b.mode.SetSelectedIndex(int(validMode(mode)))

	b.errText = newErrorLabel()
	b.repeatErr = newErrorLabel()
	b.buildChecksum()

	b.sendBtn = widget.NewButtonWithIcon(tr("Send"), theme.MailSendIcon(), b.tapSend)
	b.sendBtn.Importance = widget.HighImportance
	b.sendBtn.Disable()

	b.repeat = widget.NewCheck(tr("Repeat every"), func(bool) { b.clearRepeatError() })
	b.every = widget.NewEntry()
	b.every.SetText(b.prefs.get("every", "1000"))
	b.every.Validator = func(s string) error { _, err := parseEvery(s); return err }
	b.every.OnChanged = func(string) { b.clearRepeatError() }
	b.times = widget.NewEntry()
	b.times.SetText(b.prefs.get("times", "0"))
	b.times.Validator = func(s string) error { _, err := parseTimes(s); return err }
	b.times.OnChanged = func(string) { b.clearRepeatError() }

	b.buildQuick()

	numberWidth := func(e *widget.Entry) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(110, e.MinSize().Height), e)
	}
	modeRow := container.NewHBox(
		widget.NewLabel(tr("Mode")), fit.Options(b.mode),
		widget.NewLabel(tr("Checksum")), fit.Options(b.checksum), fit.Options(b.order),
		widget.NewSeparator(),
		widget.NewLabel(tr("Saved")), b.quick, b.saveBtn, b.deleteBtn,
	)
	repeatRow := container.NewBorder(nil, nil,
		container.NewHBox(
			b.repeat, numberWidth(b.every), widget.NewLabel(tr("ms, times")), numberWidth(b.times),
			widget.NewLabel(tr("(0 = until stopped)")),
		),
		b.sendBtn)
	bottom := container.NewVBox(b.errText, modeRow, repeatRow, b.repeatErr)
	b.obj = container.NewBorder(nil, bottom, nil, nil, b.entry)
}

// newErrorLabel makes a red, wrapping label that is hidden while empty.
func newErrorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setErrorLabel(l *widget.Label, msg string) {
	if msg == "" {
		if l.Text != "" {
			l.SetText("")
		}
		l.Hide()
		return
	}
	msg = "⚠ " + msg
	if l.Text != msg {
		l.SetText(msg)
	}
	l.Show()
}

// Object is the send box's widget tree.
func (b *sendBox) Object() fyne.CanvasObject { return b.obj }

// SetEnabled allows sending while the session is open. Disabling stops a
// running repeat. UI goroutine.
func (b *sendBox) SetEnabled(on bool) {
	b.enabled = on
	if !on {
		b.stopRepeat()
		b.sendBtn.Disable()
		return
	}
	b.sendBtn.Enable()
}

// currentMode is the selected payload mode.
func (b *sendBox) currentMode() payload.Mode {
	if i := b.mode.SelectedIndex(); i >= 0 {
		return validMode(payload.Mode(i))
	}
	return payload.ModeText
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
	if payloadErr != nil {
		b.showError(payloadText(payloadErr), false)
	} else {
		b.showError("", false)
	}
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
		return
	}
	b.prefs.set("message", text)
	b.prefs.set("mode", mode.String())
	select {
	case b.jobs <- job:
	default:
		b.running = nil
		b.showError(tr("Still sending earlier messages: wait for them, then send again"), false)
		return
	}
	if job.run != nil {
		b.showRunning(true)
	}
}

// buildMessage parses the entry's text and its placeholders ({counter},
// {time}, {hex:..}); an empty message is refused.
func (b *sendBox) buildMessage(text string, mode payload.Mode) (*payload.Template, error) {
	var cs *charset.Charset
	if b.charset != nil {
		cs = b.charset()
	}
	if text == "" {
		return nil, errEmptyMessage
	}
	return payload.ParseTemplate(text, mode, cs)
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

// showError shows msg under the entry, or clears it for "". sendErr says the
// message is a failed send, which a later successful send clears.
func (b *sendBox) showError(msg string, sendErr bool) {
	b.sendErrShown = sendErr && msg != ""
	setErrorLabel(b.errText, msg)
}

// clearPayloadError removes an input error once the text or mode changes.
func (b *sendBox) clearPayloadError() {
	if b.errText != nil && !b.sendErrShown {
		setErrorLabel(b.errText, "")
	}
}

func (b *sendBox) clearRepeatError() {
	if b.repeatErr != nil {
		setErrorLabel(b.repeatErr, "")
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
