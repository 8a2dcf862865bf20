package app

import (
	"errors"
	"strconv"
	"strings"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/checksum"
	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// How a message button sends: its message becomes a sendJob exactly as the
// send box makes one of what is typed (buildTemplate: placeholders filled in
// per send, the charset's bytes, the checksum appended to each), and goes
// through the send box's worker; a repeat runs the send box's repeat loop
// (repeatJob) on a goroutine of its own, so that a repeating button does not
// hold up the other buttons or the send box.

// libraryMode is a library message's mode as the send box has it.
func libraryMode(m library.Mode) payload.Mode {
	mode, err := payload.ParseMode(string(m))
	if err != nil {
		return payload.ModeText
	}
	return mode
}

// messageJob is the send of m: its payload in its mode and charset (the
// session's when it names none), with its checksum.
func messageJob(m library.Message, session *charset.Charset) (sendJob, error) {
	cs := session
	if m.Charset != "" {
		var err error
		if cs, err = charset.Lookup(m.Charset); err != nil {
			return sendJob{}, err
		}
	}
	tmpl, err := buildTemplate(m.Payload, libraryMode(m.Mode), cs, lineEndNone)
	if err != nil {
		return sendJob{}, err
	}
	job := sendJob{msg: tmpl}
	if m.Checksum != "" {
		if job.sum, job.order, err = checksum.Lookup(m.Checksum); err != nil {
			return sendJob{}, err
		}
	}
	return job, nil
}

// prepare is the send of m from this session, or why it cannot go.
func (t *messagesTool) prepare(m library.Message) (sendJob, error) {
	to, err := t.route(m)
	if err != nil {
		return sendJob{}, err
	}
	job, err := messageJob(m, t.charset())
	job.to = to
	return job, err
}

// send sends m once, through the send box's worker (UI goroutine).
func (t *messagesTool) send(m library.Message) {
	if !t.enabled {
		return
	}
	job, err := t.prepare(m)
	if err == nil {
		job.done = func(err error) { t.sent(m.Name, err) }
		err = t.box.queue(job)
	}
	if err != nil {
		t.say(m.Name, err)
	}
}

// sent shows how a button's send went.
func (t *messagesTool) sent(name string, err error) {
	if err != nil {
		t.say(name, err)
		return
	}
	t.note.set(trf("Sent “%s”.", name), noteHint)
}

// say shows why a message could not be sent, naming it.
func (t *messagesTool) say(name string, err error) {
	var text string
	var ie *payload.InputError
	var ee *charset.EncodeError
	switch {
	case errors.As(err, &ie), errors.As(err, &ee), errors.Is(err, errEmptyMessage):
		text = payloadText(err)
	default:
		text = sendErrorText(err)
	}
	t.note.set("⚠ "+trf("“%s”: %s", name, text), noteError)
}

// toggleRepeat starts repeating m at its interval, until pressed again, the
// session ends, or m changes; or stops it (UI goroutine).
func (t *messagesTool) toggleRepeat(m library.Message) {
	key := foldName(m.Name)
	if r := t.repeats[key]; r != nil {
		close(r.run.cancel)
		delete(t.repeats, key)
		t.note.set(trf("Stopped repeating “%s”.", m.Name), noteHint)
		t.refresh()
		return
	}
	if !t.enabled || m.Repeat <= 0 {
		return
	}
	job, err := t.prepare(m)
	if err != nil {
		t.say(m.Name, err)
		return
	}
	job.run = &repeatRun{cancel: make(chan struct{})}
	job.every = m.Repeat
	send := t.box.sender(job)
	t.repeats[key] = &buttonRepeat{run: job.run, msg: m}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		err := repeatJob(job, send, t.quit)
		if t.quitting() {
			return
		}
		t.env.ui.Do(func() { t.repeatDone(key, m.Name, job.run, err) })
	}()
	t.note.set(trf("Repeating “%s” every %d ms.", m.Name, m.Repeat.Milliseconds()), noteHint)
	t.refresh()
}

// repeatDone ends a repeat that failed or was stopped (UI goroutine).
func (t *messagesTool) repeatDone(key, name string, run *repeatRun, err error) {
	if r := t.repeats[key]; r != nil && r.run == run {
		delete(t.repeats, key)
		t.refresh()
	}
	if err != nil {
		t.say(name, &repeatStopped{err})
	}
}

// asMessage is what the send box holds as a library message: the text with
// the line end appended the way Send appends it (a {hex:..} placeholder, so
// the bytes are the same in any charset), the mode, the session's charset
// (for text),
// the checksum and byte order, and the repeat interval if Repeat is on. A
// message Send would refuse is refused.
func (b *sendBox) asMessage() (library.Message, error) {
	text, mode := b.entry.Text, b.currentMode()
	if _, err := b.buildMessage(text, mode); err != nil {
		return library.Message{}, err
	}
	cs := b.charsetNow()
	m := library.Message{Mode: library.Mode(mode.String()), Payload: withLineEnd(text, mode, b.lineEnd().bytes(mode, cs))}
	if cs != nil && mode != payload.ModeHex { // hex is bytes already
		m.Charset = cs.Name()
	}
	if c, order := b.currentChecksum(); c != nil {
		m.Checksum = c.Name() + orderSuffix(order)
	}
	if b.repeat.Checked {
		if every, err := parseEvery(b.every.Text); err == nil {
			m.Repeat = every
		}
	}
	return m, nil
}

// orderSuffix is a byte order as a library checksum spells it after the name.
func orderSuffix(o checksum.ByteOrder) string {
	switch o {
	case checksum.OrderBig:
		return ":be"
	case checksum.OrderLittle:
		return ":le"
	}
	return ""
}

// newFromSendBox opens the message editor on what the send box holds, in the
// group shown, named after its first characters.
func (t *messagesTool) newFromSendBox() {
	m, err := t.box.asMessage()
	if err != nil {
		if errors.Is(err, errEmptyMessage) {
			t.note.set("⚠ "+tr("The send box is empty: type a message first"), noteError)
		} else {
			t.note.set("⚠ "+payloadText(err), noteError)
		}
		return
	}
	t.note.set("", noteHint)
	m.Group = t.groupName
	m.Name = t.freeName(suggestedName(t.box.entry.Text))
	t.edit(m, "")
}

// suggestedName is a new message's name: the first line of what is typed,
// up to 24 characters.
func suggestedName(text string) string {
	line, _, _ := strings.Cut(text, "\n")
	return mendName(cut(strings.TrimSpace(line), 24))
}

// freeName is name, or "name (2)", "name (3)", ... if a message has it.
func (t *messagesTool) freeName(name string) string {
	out := name
	for n := 2; ; n++ {
		if _, taken := t.store.find(out); !taken {
			return out
		}
		out = withSuffix(name, " ("+strconv.Itoa(n)+")")
	}
}
