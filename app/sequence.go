package app

import (
	"errors"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"sync"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/internal/atomicfile"
	"github.com/sockdesk/sockdesk/netio/sequence"
)

// toolSequence is the id of the sequence tool (a workspace remembers it open).
const toolSequence = "sequence"

// The sequence tool runs a conversation file (docs/sequence-format.md: send
// this, expect that, wait, repeat) in a TCP client, TCP server or UDP session:
//
//	[Open…] [Recent ▾] [Save]  login.yaml •
//	┌──┬──────────────────────────────┐
//	│ 1│connect: tcp://127.0.0.1:9000 │   the file, edited in place; a parse
//	│ 2│steps:                        │   error's line (or the failed step's)
//	│ 3│  - send: "LOGIN\r\n"         │   is marked
//	└──┴──────────────────────────────┘
//	⚠ line 6, column 5: …
//	[▶ Run] [■ Stop]  Failed at step 2 (line 4)
//	✓ connect tcp://… (line 1)   0.31 ms   each step as it ends
//	✗ step 2 (line 4): expect …  2.00 s    (the failed one highlighted)
//	Expected: a message containing "OK"
//	Got: "ERR denied\r\n"
//
// How a run uses the session: while the session is open (connected, listening)
// the sequence runs over the session's own connection (for a server, with the
// client picked in its table, or its only client), and the session's log shows
// the conversation as it goes — the file's connect: or listen: is not used. While
// the session is closed, the sequence opens its own connection as the file says
// and this session's log shows its events (the session's button waits until the
// run ends). When a step fails, the messages it waited for are marked in the log.
// The file's path is saved with the session (a workspace); recent files are
// shared by every session.
type sequenceBox struct {
	s     *session
	kind  seqSessionKind
	conn  func() (*sessionConn, error) // the session's connection while open (sequence_conn.go)
	prefs prefs                        // the recent files, shared by all sessions

	fileLabel *widget.Label
	openBtn   *widget.Button
	saveBtn   *widget.Button
	recent    *widget.Select
	editor    *seqEditor
	note      *widget.Label   // a problem with the file, with its line (the line kept for it when none)
	top       *fyne.Container // the file's row, the editor and the note
	runBtn    *widget.Button
	stopBtn   *widget.Button
	status    *widget.Label
	results   *seqResults
	object    fyne.CanvasObject

	// UI goroutine only.
	path   string        // the file open, "" for none
	saved  string        // the text as it was last opened or saved
	noteOf error         // what the note says, nil for nothing
	said   func() string // what the status says, in the UI language
	run    *seqRun       // the run under way, nil when none
	ran    string        // the text of the last run, whose results are listed
	closed bool

	wg sync.WaitGroup // a run's goroutines
}

// seqSessionKind is the kind of session a sequence runs in: it decides which
// files fit (udp:// in UDP; connect: or listen: in TCP).
type seqSessionKind int

const (
	seqUDP seqSessionKind = iota
	seqTCPClient
	seqTCPServer
)

// addSequenceTool gives a session the sequence tool; conn is the session's
// connection while it is open.
func addSequenceTool(s *session, kind seqSessionKind, conn func() (*sessionConn, error)) *sequenceBox {
	b := &sequenceBox{s: s, kind: kind, conn: conn, prefs: newPrefs(s.app, "sequence")}
	b.fileLabel = widget.NewLabel("")
	b.fileLabel.Truncation = fyne.TextTruncateEllipsis
	b.openBtn = widget.NewButtonWithIcon("", theme.FolderOpenIcon(), b.chooseFile)
	b.saveBtn = widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), b.save)
	b.recent = widget.NewSelect(nil, b.openRecent)
	b.editor = newSeqEditor()
	b.editor.onEdited = b.edited
	b.note = widget.NewLabel("")
	b.note.Wrapping = fyne.TextWrapWord
	b.note.Importance = widget.DangerImportance
	b.runBtn = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), b.start)
	b.runBtn.Importance = widget.HighImportance
	b.stopBtn = widget.NewButtonWithIcon("", theme.MediaStopIcon(), b.stop)
	b.stopBtn.Disable()
	b.status = widget.NewLabel("")
	b.status.Wrapping = fyne.TextWrapWord
	b.results = newSeqResults()
	b.results.onPick = b.picked

	files := container.NewBorder(nil, nil, nil, container.NewHBox(b.openBtn, b.recent, b.saveBtn), b.fileLabel)
	b.top = container.NewBorder(files, b.note, nil, nil, b.editor.Object())
	bottom := container.NewBorder(container.NewVBox(container.NewHBox(b.runBtn, b.stopBtn), b.status), nil, nil, nil, b.results.Object())
	split := container.NewVSplit(b.top, bottom)
	split.Offset = 0.4
	b.object = container.NewStack(seqMinWidth(), split)
	b.refreshRecent()

	s.addTool(toolSequence, func() string { return tr("Sequence") }, theme.ListIcon(), b.object)
	s.words(b.relabel) // now, and at each language switch
	s.keep("sequence.file", func() string { return b.path }, b.restore)
	return b
}

// seqMinWidth keeps the tool wide enough for a sequence's lines beside the log
// in the drawer's pane.
func seqMinWidth() fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(420, 0))
	return r
}

// relabel writes the tool's words in the UI language, keeping the file, the
// text, the results and any run under way.
func (b *sequenceBox) relabel() {
	b.openBtn.SetText(tr("Open…"))
	b.saveBtn.SetText(tr("Save"))
	b.recent.PlaceHolder = tr("Recent")
	b.recent.Refresh()
	b.runBtn.SetText(tr("Run"))
	b.stopBtn.SetText(tr("Stop"))
	b.editor.entry.SetPlaceHolder(tr(seqPlaceholder))
	b.showFileName()
	b.showNote(b.noteOf)
	if b.said != nil {
		b.status.SetText(b.said())
	}
	b.results.relabel()
}

// seqPlaceholder is what the empty editor shows: a small sequence to start from.
const seqPlaceholder = `# A sequence: open one (Open…) or type it here.
connect: tcp://127.0.0.1:9000
timeout: 2s
steps:
  - send: "LOGIN admin\r\n"
  - expect: "OK"`

// showFileName shows the file's name, with • while the text has changes not saved.
func (b *sequenceBox) showFileName() {
	name := tr("Untitled")
	if b.path != "" {
		name = filepath.Base(b.path)
	}
	if b.modified() {
		name += " •"
	}
	b.fileLabel.SetText(name)
}

func (b *sequenceBox) modified() bool { return b.editor.Text() != b.saved }

// edited follows a person's change to the text: the name says it is not
// saved, and a mark on a line (a parse error's, the failed step's) goes, as
// the lines may have moved.
func (b *sequenceBox) edited() {
	b.showFileName()
	if b.noteOf != nil {
		b.showNote(nil)
	}
	b.editor.Mark(0)
}

// showNote shows a problem with the file under the editor, and marks its line.
func (b *sequenceBox) showNote(err error) {
	b.noteOf = err
	text := ""
	if err != nil {
		text = "⚠ " + fileErrorText(err)
	}
	if text != b.note.Text {
		b.note.SetText(text)
		b.top.Refresh() // a longer note may wrap onto more lines
	}
	var fe *sequence.FileError
	if errors.As(err, &fe) && fe.Line > 0 {
		b.editor.Mark(fe.Line)
	}
}

// setStatus shows what msg says beside Run. UI goroutine.
func (b *sequenceBox) setStatus(msg func() string) {
	b.said = msg
	b.status.SetText(msg())
}

// setStatusError shows a failure beside Run.
func (b *sequenceBox) setStatusError(err error) {
	b.setStatus(func() string { return "⚠ " + errorText(err) })
}

// chooseFile asks for a sequence file to open (after asking whether to drop
// changes not saved).
func (b *sequenceBox) chooseFile() {
	b.unlessModified(func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil {
				b.setStatusError(err)
				return
			}
			if r == nil {
				return
			}
			path := r.URI().Path()
			r.Close()
			b.load(path)
		}, b.s.win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{".yaml", ".yml"}))
		if b.path != "" {
			if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(b.path))); err == nil {
				d.SetLocation(dir)
			}
		}
		d.Show()
	})
}

// openRecent opens a file from the recent list.
func (b *sequenceBox) openRecent(path string) {
	if path == "" {
		return
	}
	b.recent.ClearSelected()
	b.unlessModified(func() { b.load(path) })
}

// unlessModified runs then, after asking first if the text has changes that
// are not saved.
func (b *sequenceBox) unlessModified(then func()) {
	if !b.modified() {
		then()
		return
	}
	name := tr("Untitled")
	if b.path != "" {
		name = filepath.Base(b.path)
	}
	dialog.ShowConfirm(tr("Discard changes?"), trf("%s has changes that are not saved. Discard them?", name), func(ok bool) {
		if ok {
			then()
		}
	}, b.s.win)
}

// load opens the sequence file at path into the editor and checks it.
func (b *sequenceBox) load(path string) {
	text, err := readSequenceFile(path)
	if err != nil {
		b.setStatusError(err)
		return
	}
	b.path, b.saved = path, text
	b.editor.SetText(text)
	b.remember(path)
	b.showFileName()
	b.check()
}

// readSequenceFile reads a file no larger than the engine takes, as text.
func readSequenceFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	name := filepath.Base(path)
	if st, err := f.Stat(); err == nil && st.Size() > sequence.MaxFileSize {
		return "", errors.New(trf("%s is %s bytes: a sequence file is at most %s", name,
			i18n.GroupDigits(uint64(st.Size())), i18n.GroupDigits(sequence.MaxFileSize)))
	}
	data, err := io.ReadAll(io.LimitReader(f, sequence.MaxFileSize+1))
	if err != nil {
		return "", err
	}
	if !utf8.Valid(data) {
		return "", errors.New(trf("%s is not UTF-8 text: a sequence file is YAML", name))
	}
	return string(data), nil
}

// restore opens the file a workspace saved with the session. A file that is
// gone keeps its path (it may come back: a drive not mounted yet), and the
// status says why it is not open.
func (b *sequenceBox) restore(path string) {
	if path == "" || path == b.path {
		return
	}
	text, err := readSequenceFile(path)
	b.path = path
	if err != nil {
		b.saved = b.editor.Text()
		b.showFileName()
		b.setStatusError(err)
		return
	}
	b.saved = text
	b.editor.SetText(text)
	b.showFileName()
	b.check()
}

// save writes the text to its file, whole or not at all (a temporary file
// renamed over it); without a file it asks for one.
func (b *sequenceBox) save() {
	if b.path == "" {
		b.saveAs()
		return
	}
	b.saveTo(b.path)
}

func (b *sequenceBox) saveAs() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			b.setStatusError(err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		b.saveTo(path)
	}, b.s.win)
	d.SetFileName("sequence.yaml")
	d.Show()
}

// saveTo writes the text to path (UI goroutine; a sequence file is small).
func (b *sequenceBox) saveTo(path string) {
	text := b.editor.Text()
	if err := atomicfile.Write(path, []byte(text), atomicfile.Options{}); err != nil {
		b.setStatusError(err)
		return
	}
	b.path, b.saved = path, text
	b.remember(path)
	b.showFileName()
	name := filepath.Base(path)
	b.setStatus(func() string { return trf("Saved %s", name) })
	b.check()
}

// check parses the text and shows its first problem, with its line marked.
func (b *sequenceBox) check() (*sequence.Sequence, bool) {
	seq, err := sequence.Parse(b.fileName(), []byte(b.editor.Text()), nil)
	b.showNote(err)
	if err != nil {
		b.editor.Mark(markedLine(err))
	}
	return seq, err == nil
}

// markedLine is the line of a problem with the file, or 0.
func markedLine(err error) int {
	var fe *sequence.FileError
	if errors.As(err, &fe) {
		return fe.Line
	}
	return 0
}

// fileName names the text for the engine's messages.
func (b *sequenceBox) fileName() string {
	if b.path == "" {
		return "sequence.yaml"
	}
	return filepath.Base(b.path)
}

// remember puts path first in the recent files.
func (b *sequenceBox) remember(path string) {
	b.prefs.addRecent("file", path)
	b.refreshRecent()
}

func (b *sequenceBox) refreshRecent() {
	files := b.prefs.recent("file")
	b.recent.SetOptions(files)
	setEnabled(len(files) > 0, b.recent)
}
