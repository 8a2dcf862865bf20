package app

import (
	"errors"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/library"
)

// toolMessages is the id of the Messages tool.
const toolMessages = "messages"

// messageRoute says where a message goes from a session: the function that
// sends its bytes there (on the send box's worker or a repeat's goroutine),
// or why the message does not fit the session (another protocol, a
// destination the session cannot reach). It runs on the UI goroutine when
// the button is pressed.
type messageRoute func(library.Message) (func([]byte) error, error)

// messagesTool is a sending session's Messages tool: a panel of buttons, one
// per message of the app's library (or of one group of it), in the library's
// order. A click sends the message through the send box's worker, built as
// the send box builds what is typed (placeholders, charset, checksum); a
// message with a repeat interval has a toggle that repeats it until pressed
// again. Each button's menu edits, duplicates, moves or deletes its message;
// "New from send box" makes a message of what is typed. Import and Export
// share the library or the group shown.
//
// The library is the app's (libraryStore): a change made in one session's
// panel shows in every other's at once. Widgets and the library are touched
// on the UI goroutine only; repeats run on goroutines of their own, which
// Stop ends and waits for.
type messagesTool struct {
	env     env
	store   *libraryStore
	box     *sendBox
	charset func() *charset.Charset
	route   messageRoute

	groupLabel *widget.Label
	group      *widget.Select // "All messages", then the groups
	groupName  string         // the group shown; "" for every message
	newBtn     *widget.Button
	importBtn  *widget.Button
	exportBtn  *widget.Button
	reloadBtn  *widget.Button
	note       *noteLine       // what a click did, or why it could not
	hint       *widget.Label   // no messages yet; the library cannot be read
	rows       *fyne.Container // one messageRow per message shown
	shown      []*messageRow
	obj        fyne.CanvasObject
	enabled    bool // the session is open: buttons send
	unwatch    func()

	repeats  map[string]*buttonRepeat // running repeats, by folded name
	quit     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup // the repeats' goroutines

	// The dialogs last shown (tests answer them).
	editor  *messageEditor
	confirm *dialog.ConfirmDialog
	clash   *clashQuestion
	report  string // the last import's or export's report
}

// messageRow is one message's button, its repeat toggle (for a message with
// a repeat interval), its menu, and a line about it.
type messageRow struct {
	msg     library.Message
	send    *widget.Button
	repeat  *widget.Button // nil without a repeat interval
	more    *widget.Button
	caption *noteLine
	obj     fyne.CanvasObject
}

// buttonRepeat is a message repeating from its toggle.
type buttonRepeat struct {
	run *repeatRun
	msg library.Message // as it was when started: a change to it stops the repeat
}

// addMessagesTool gives a sending session the Messages tool, after the Send
// tool: box is its send box, route where its messages go. The group shown is
// one of the settings a workspace keeps ("group").
func (s *session) addMessagesTool(box *sendBox, route messageRoute) {
	if s.env.lib == nil { // a panel made outside a main window (tests)
		s.env.lib = newLibraryStore("")
	}
	t := newMessagesTool(s.env, s.env.lib, box, s.Charset, route)
	s.messages = t
	s.addTool(toolMessages, func() string { return tr("Messages") }, theme.MailComposeIcon(), t.Object())
	s.words(t.relabel)
	s.keep("group", func() string { return t.groupName }, t.showGroup)
}

func newMessagesTool(e env, store *libraryStore, box *sendBox, cs func() *charset.Charset, route messageRoute) *messagesTool {
	t := &messagesTool{env: e, store: store, box: box, charset: cs, route: route,
		repeats: map[string]*buttonRepeat{}, quit: make(chan struct{})}
	t.groupLabel = widget.NewLabel("")
	t.group = widget.NewSelect(nil, nil)
	t.newBtn = widget.NewButtonWithIcon("", theme.ContentAddIcon(), t.newFromSendBox)
	t.importBtn = widget.NewButtonWithIcon("", theme.DownloadIcon(), t.chooseImport)
	t.exportBtn = widget.NewButtonWithIcon("", theme.UploadIcon(), t.chooseExport)
	t.reloadBtn = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), store.reload)
	t.note = newNoteLine(2)
	t.hint = widget.NewLabel("")
	t.hint.Wrapping = fyne.TextWrapWord
	t.hint.Importance = widget.LowImportance
	t.rows = container.NewVBox()
	t.obj = container.NewVBox(
		container.NewBorder(nil, nil, t.groupLabel, nil, t.group),
		t.newBtn,
		container.NewGridWithColumns(2, t.importBtn, t.exportBtn),
		t.note,
		widget.NewSeparator(),
		t.hint,
		t.reloadBtn,
		t.rows,
	)
	box.onEnabled = t.setEnabled
	t.enabled = box.enabled
	t.unwatch = store.watch(t.refresh)
	t.relabel()
	return t
}

// Object is the tool's content.
func (t *messagesTool) Object() fyne.CanvasObject { return t.obj }

// relabel writes the tool's words in the UI language.
func (t *messagesTool) relabel() {
	t.groupLabel.SetText(tr("Show"))
	t.newBtn.SetText(tr("New from send box"))
	t.importBtn.SetText(tr("Import…"))
	t.exportBtn.SetText(tr("Export…"))
	t.reloadBtn.SetText(tr("Reload"))
	t.refresh()
}

// showGroup shows the buttons of group name ("" for all); a group no message
// is in yet is offered all the same, so a workspace can name one a library
// gets later.
func (t *messagesTool) showGroup(name string) {
	t.groupName = strings.TrimSpace(name)
	t.refresh()
}

// groupOptions are the group choices: all messages, then each group.
func (t *messagesTool) groupOptions() []string {
	groups := t.store.groups()
	if t.groupName != "" && !containsFold(groups, t.groupName) {
		groups = append(groups, t.groupName)
	}
	return append([]string{tr("All messages")}, groups...)
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// setGroupChoice writes the group Select's options and choice without
// calling back.
func (t *messagesTool) setGroupChoice() {
	opts := t.groupOptions()
	choice := 0
	for i, g := range opts[1:] {
		if t.groupName != "" && strings.EqualFold(g, t.groupName) {
			choice = i + 1
		}
	}
	t.group.OnChanged = nil
	t.group.Options = opts
	t.group.SetSelectedIndex(choice)
	t.group.OnChanged = func(string) {
		if i := t.group.SelectedIndex(); i > 0 {
			t.groupName = t.group.Options[i]
		} else {
			t.groupName = ""
		}
		t.refresh()
	}
	t.group.Refresh()
}

// visible is the messages the panel shows.
func (t *messagesTool) visible() []library.Message {
	if t.groupName == "" {
		return t.store.messages()
	}
	return t.store.lib.InGroup(t.groupName)
}

// refresh rebuilds the buttons from the library, as it is now (UI goroutine):
// after every change, from any session. A repeating message that went or
// changed stops.
func (t *messagesTool) refresh() {
	t.setGroupChoice()
	for key, r := range t.repeats {
		if m, ok := t.store.find(r.msg.Name); !ok || m != r.msg {
			close(r.run.cancel)
			delete(t.repeats, key)
		}
	}
	msgs := t.visible()
	t.shown = t.shown[:0]
	objs := make([]fyne.CanvasObject, 0, len(msgs))
	for i, m := range msgs {
		r := t.newRow(m, i, len(msgs))
		t.shown = append(t.shown, r)
		objs = append(objs, r.obj)
	}
	t.rows.Objects = objs
	t.rows.Refresh()
	t.reloadBtn.Hide()
	switch {
	case t.store.broken != nil:
		t.hint.SetText(trf("The library %s cannot be read: %s. Nothing is saved to it until it is mended; then press Reload.",
			t.store.path, errorText(t.store.broken)))
		t.hint.Importance = widget.DangerImportance
		t.reloadBtn.Show()
	case t.store.lib.Len() == 0:
		t.hint.SetText(tr("No messages yet: type one in the send box and press “New from send box”, or import a library or a Packet Sender export."))
		t.hint.Importance = widget.LowImportance
	case len(msgs) == 0:
		t.hint.SetText(trf("No message is in group %q.", t.groupName))
		t.hint.Importance = widget.LowImportance
	default:
		t.hint.SetText("")
	}
	if t.hint.Text == "" {
		t.hint.Hide()
	} else {
		t.hint.Show()
	}
	t.hint.Refresh()
	setEnabled(t.store.broken == nil, t.newBtn, t.importBtn, t.exportBtn)
	t.obj.Refresh()
}

// maxButtonName is how many characters of a name a button shows; the rest is
// cut with "…" so that a long name does not widen the pane.
const maxButtonName = 32

func (t *messagesTool) newRow(m library.Message, i, n int) *messageRow {
	r := &messageRow{msg: m}
	r.send = widget.NewButtonWithIcon(cut(charset.DisplayText(m.Name), maxButtonName), theme.MailSendIcon(), func() { t.send(m) })
	r.send.Alignment = widget.ButtonAlignLeading
	r.more = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), nil)
	r.more.Importance = widget.LowImportance
	r.more.OnTapped = func() { t.showMenu(r) }
	right := container.NewHBox()
	if m.Repeat > 0 {
		r.repeat = widget.NewButtonWithIcon("", theme.MediaReplayIcon(), func() { t.toggleRepeat(m) })
		if t.repeats[foldName(m.Name)] != nil {
			r.repeat.SetIcon(theme.MediaStopIcon())
			r.repeat.Importance = widget.DangerImportance
		}
		right.Add(r.repeat)
	}
	right.Add(r.more)
	r.caption = newNoteLine(1) // cut with "…": a long payload does not widen the pane
	r.caption.set(messageCaption(m), noteHint)
	if !t.enabled {
		r.send.Disable()
		if r.repeat != nil {
			r.repeat.Disable()
		}
	}
	r.obj = container.NewVBox(container.NewBorder(nil, nil, nil, right, r.send), r.caption)
	return r
}

// messageCaption is the line under a button: the payload as typed, then
// what else the message sets (mode, charset, checksum, protocol and
// destination, repeat interval).
func messageCaption(m library.Message) string {
	parts := []string{cut(charset.DisplayText(m.Payload), 40)}
	parts = append(parts, modeLabel(libraryMode(m.Mode)))
	if m.Charset != "" {
		parts = append(parts, m.Charset)
	}
	if m.Checksum != "" {
		parts = append(parts, "+"+m.Checksum)
	}
	switch {
	case m.Protocol != library.AnyProtocol && m.Destination != "":
		parts = append(parts, strings.ToUpper(string(m.Protocol))+" → "+m.Destination)
	case m.Destination != "":
		parts = append(parts, "→ "+m.Destination)
	case m.Protocol != library.AnyProtocol:
		parts = append(parts, strings.ToUpper(string(m.Protocol)))
	}
	if m.Repeat > 0 {
		parts = append(parts, trf("every %d ms", m.Repeat.Milliseconds()))
	}
	return strings.Join(parts, " · ")
}

// cut shortens s to n characters, the last one "…".
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func foldName(name string) string { return strings.ToLower(name) }

// setEnabled follows the session: while it is open the buttons send; when it
// ends, every repeat stops.
func (t *messagesTool) setEnabled(on bool) {
	t.enabled = on
	if !on {
		t.stopRepeats()
	}
	t.refresh()
}

// menuItems are a button's menu: edit, duplicate, move up or down among the
// buttons shown, delete.
func (t *messagesTool) menuItems(r *messageRow) []*fyne.MenuItem {
	m := r.msg
	i := t.shownIndex(m.Name)
	edit := fyne.NewMenuItem(tr("Edit…"), func() { t.edit(m, m.Name) })
	edit.Icon = theme.DocumentCreateIcon()
	dup := fyne.NewMenuItem(tr("Duplicate"), func() { t.duplicate(m.Name) })
	dup.Icon = theme.ContentCopyIcon()
	up := fyne.NewMenuItem(tr("Move up"), func() { t.move(m.Name, -1) })
	up.Icon = theme.MoveUpIcon()
	up.Disabled = i <= 0
	down := fyne.NewMenuItem(tr("Move down"), func() { t.move(m.Name, 1) })
	down.Icon = theme.MoveDownIcon()
	down.Disabled = i < 0 || i >= len(t.shown)-1
	del := fyne.NewMenuItem(tr("Delete…"), func() { t.askDelete(m.Name) })
	del.Icon = theme.DeleteIcon()
	return []*fyne.MenuItem{edit, dup, up, down, fyne.NewMenuItemSeparator(), del}
}

// showMenu opens a button's menu under its "…".
func (t *messagesTool) showMenu(r *messageRow) {
	d := t.env.app.Driver()
	c := d.CanvasForObject(r.more)
	if c == nil {
		return
	}
	pos := d.AbsolutePositionForObject(r.more).Add(fyne.NewPos(0, r.more.Size().Height))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", t.menuItems(r)...), c, pos)
}

func (t *messagesTool) shownIndex(name string) int {
	for i, r := range t.shown {
		if strings.EqualFold(r.msg.Name, name) {
			return i
		}
	}
	return -1
}

// row is the button of the message named name, if it is shown (tests).
func (t *messagesTool) row(name string) *messageRow {
	if i := t.shownIndex(name); i >= 0 {
		return t.shown[i]
	}
	return nil
}

// apply changes the library; a failure is said in the note.
func (t *messagesTool) apply(fn func(*library.Library) error) bool {
	if err := t.store.change(fn); err != nil {
		t.note.set("⚠ "+libraryErrorText(err), noteError)
		return false
	}
	return true
}

func (t *messagesTool) duplicate(name string) {
	if t.apply(func(l *library.Library) error { _, err := l.Duplicate(name); return err }) {
		t.note.set("", noteHint)
	}
}

// move moves a message one place up (by -1) or down (by 1) among the buttons
// shown: it takes the place of its neighbour there.
func (t *messagesTool) move(name string, by int) {
	i := t.shownIndex(name)
	j := i + by
	if i < 0 || j < 0 || j >= len(t.shown) {
		return
	}
	neighbour := t.shown[j].msg.Name
	t.apply(func(l *library.Library) error { return l.Move(name, l.Index(neighbour)) })
}

// askDelete asks before deleting a message: it goes from every session's panel.
func (t *messagesTool) askDelete(name string) {
	d := dialog.NewConfirm(tr("Delete message?"),
		trf("Delete “%s” from the library? Its button goes from every session.", name),
		func(ok bool) {
			if ok && t.apply(func(l *library.Library) error { return l.Delete(name) }) {
				t.note.set(trf("Deleted “%s”.", name), noteHint)
			}
		}, t.env.win)
	d.SetConfirmText(tr("Delete"))
	d.SetConfirmImportance(widget.DangerImportance)
	t.confirm = d
	d.Show()
}

// libraryErrorText words a failed change of the library.
func libraryErrorText(err error) string {
	var ne *library.NameError
	var be *brokenError
	switch {
	case errors.As(err, &be):
		return be.Error()
	case errors.As(err, &ne) && errors.Is(err, library.ErrNameTaken):
		return trf("%q is the name of another message", ne.Taken)
	case errors.As(err, &ne):
		return trf("There is no message %q any more", ne.Name)
	}
	return capitalize(errorText(err))
}

// stopRepeats cancels every running repeat (UI goroutine).
func (t *messagesTool) stopRepeats() {
	for key, r := range t.repeats {
		close(r.run.cancel)
		delete(t.repeats, key)
	}
}

// Stop ends every repeat and waits for their goroutines, and leaves the
// library's watchers. After it nothing reports through env.ui. UI goroutine.
func (t *messagesTool) Stop() {
	t.stopOnce.Do(func() {
		close(t.quit)
		t.stopRepeats()
		t.unwatch()
	})
	t.wg.Wait()
}

func (t *messagesTool) quitting() bool {
	select {
	case <-t.quit:
		return true
	default:
		return false
	}
}
