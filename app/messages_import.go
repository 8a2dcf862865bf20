package app

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/library"
	"github.com/sockdesk/sockdesk/netio/library/known"
)

// Import and export in the Messages tool. Export writes the messages shown
// (the library, or the group chosen) to a library file. Import reads a
// library file or a Packet Sender JSON export and merges it by name: for each
// incoming message whose name a different message of the library has, it
// asks keep, replace or rename (with "the same for the rest"), then applies
// the decisions at once and shows what it did with each message and every
// note on what of the source could not be carried over.

// jsonFilter offers .json files in the file dialogs.
var jsonFilter = storage.NewExtensionFileFilter([]string{".json"})

// chooseExport asks where to export the messages shown.
func (t *messagesTool) chooseExport() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			t.note.set("⚠ "+capitalize(errorText(err)), noteError)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		t.exportTo(path)
	}, t.env.win)
	name := "sockdesk-messages.json"
	if t.groupName != "" {
		name = mendFileName(t.groupName) + ".json"
	}
	d.SetFileName(name)
	d.SetFilter(jsonFilter)
	d.Show()
}

// mendFileName makes a group's name a file name.
func mendFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, s)
}

// exportTo writes the messages shown to path (atomically), and says so.
func (t *messagesTool) exportTo(path string) {
	lib := t.store.lib
	if t.groupName != "" {
		lib = lib.Group(t.groupName)
	}
	if err := lib.Export(path); err != nil {
		t.note.set("⚠ "+trf("Export failed: %s", errorText(err)), noteError)
		return
	}
	if t.groupName != "" {
		t.report = trf("Exported %d messages of group %q to %s.", lib.Len(), t.groupName, path)
	} else {
		t.report = trf("Exported %d messages to %s.", lib.Len(), path)
	}
	t.note.set(t.report, noteHint)
}

// chooseImport asks for the file to import.
func (t *messagesTool) chooseImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			t.note.set("⚠ "+capitalize(errorText(err)), noteError)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		t.importFile(path)
	}, t.env.win)
	d.SetFilter(jsonFilter)
	d.Show()
}

// importRun is an import waiting for the clashes to be decided.
type importRun struct {
	source  *library.Source
	plan    *library.Plan
	clashes []library.Clash
	next    int              // the clash to ask about next
	all     library.Decision // "the same for the rest": the decision, else Undecided
}

// importFile imports the library or Packet Sender export at path (told by
// its content), asking about each clash (UI goroutine).
func (t *messagesTool) importFile(path string) {
	src, err := library.ReadSource(path, library.Detect, known.Names)
	var plan *library.Plan
	if err == nil {
		plan, err = t.store.lib.PlanImport(src.Messages)
	}
	if err != nil {
		t.showReport(tr("Import failed"), trf("Nothing was imported from %s:", path)+"\n"+importErrorText(err))
		return
	}
	t.continueImport(&importRun{source: src, plan: plan, clashes: plan.Clashes()})
}

// importErrorText lists a source's problems (a file may have several), each
// naming the file and the JSON path of the bad field, in the engine's words.
func importErrorText(err error) string {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = charset.DisplayText(e.Error())
	}
	return strings.Join(lines, "\n")
}

// continueImport asks about the next clash, or imports when none is left.
func (t *messagesTool) continueImport(r *importRun) {
	for r.next < len(r.clashes) {
		c := r.clashes[r.next]
		if r.all == library.Undecided {
			t.askClash(r, c)
			return
		}
		r.plan.Decide(c.Incoming.Name, r.all)
		r.next++
	}
	t.finishImport(r)
}

// clashQuestion is the dialog asking about one clash (tests answer it).
type clashQuestion struct {
	dlg                   *dialog.CustomDialog
	keep, replace, rename *widget.Button
	cancel                *widget.Button
	all                   *widget.Check
	text                  string
}

// askClash asks what to do with an incoming message whose name a different
// message of the library has.
func (t *messagesTool) askClash(r *importRun, c library.Clash) {
	q := &clashQuestion{}
	q.text = trf("The library has a message named “%s”, different from the one imported.", c.Existing.Name) + "\n" +
		trf("In the library: %s", messageCaption(c.Existing)) + "\n" +
		trf("Imported: %s", messageCaption(c.Incoming))
	label := widget.NewLabel(q.text)
	label.Wrapping = fyne.TextWrapWord
	left := len(r.clashes) - r.next - 1
	q.all = widget.NewCheck(trf("The same for the other %d clashes", left), nil)
	if left == 0 {
		q.all.Hide()
	}
	decide := func(d library.Decision) {
		q.dlg.Hide()
		r.plan.Decide(c.Incoming.Name, d)
		if q.all.Checked {
			r.all = d
		}
		r.next++
		t.continueImport(r)
	}
	q.keep = widget.NewButton(tr("Keep the library's"), func() { decide(library.Keep) })
	q.replace = widget.NewButton(tr("Replace it"), func() { decide(library.Replace) })
	q.rename = widget.NewButton(tr("Import as a copy"), func() { decide(library.Rename) })
	q.rename.Importance = widget.HighImportance
	q.cancel = widget.NewButton(tr("Cancel import"), func() {
		q.dlg.Hide()
		t.note.set(tr("Import cancelled: nothing was imported."), noteHint)
	})
	q.dlg = dialog.NewCustomWithoutButtons(tr("Same name"), container.NewVBox(label, q.all), t.env.win)
	q.dlg.SetButtons([]fyne.CanvasObject{q.cancel, q.keep, q.replace, q.rename})
	q.dlg.Resize(fyne.NewSize(620, q.dlg.MinSize().Height))
	t.clash = q
	q.dlg.Show()
}

// finishImport applies the decided plan, saves, and reports.
func (t *messagesTool) finishImport(r *importRun) {
	var res library.Result
	err := t.store.change(func(l *library.Library) error {
		var err error
		res, err = l.Import(r.plan)
		return err
	})
	var ue *library.UndecidedError
	switch {
	case errors.As(err, &ue):
		t.showReport(tr("Import failed"), tr("The library changed while you decided: nothing was imported. Import again."))
		return
	case err != nil:
		t.showReport(tr("Import failed"), libraryErrorText(err))
		return
	}
	t.showReport(tr("Imported"), importReport(r.source, res))
	t.note.set(trf("Imported from %s: %d added, %d replaced, %d renamed, %d kept.", filepath.Base(r.source.File),
		len(res.Added), len(res.Replaced), len(res.Renamed), len(res.Kept)), noteHint)
}

// importReport says what an import did with every message and lists every
// note on what of the source was not carried over.
func importReport(src *library.Source, res library.Result) string {
	var b strings.Builder
	from := tr("a Sockdesk library")
	if src.Format == library.FormatPacketSender {
		from = tr("a Packet Sender export")
	}
	b.WriteString(trf("From %s (%s): %d added, %d replaced, %d renamed, %d kept, %d unchanged.",
		src.File, from, len(res.Added), len(res.Replaced), len(res.Renamed), len(res.Kept), len(res.Unchanged)))
	list := func(title string, names []string) {
		if len(names) > 0 {
			b.WriteString("\n" + title + " " + quoteNames(names))
		}
	}
	list(tr("Added:"), res.Added)
	list(tr("Replaced:"), res.Replaced)
	if len(res.Renamed) > 0 {
		var pairs []string
		for _, r := range res.Renamed {
			pairs = append(pairs, strconv.Quote(r.From)+" → "+strconv.Quote(r.To))
		}
		b.WriteString("\n" + tr("Imported as a copy:") + " " + strings.Join(pairs, ", "))
	}
	list(tr("Kept the library's:"), res.Kept)
	list(tr("Already in the library:"), res.Unchanged)
	if len(src.Notes) > 0 {
		b.WriteString("\n\n" + trf("%d notes on what could not be carried over or was changed:", len(src.Notes)))
		for _, n := range src.Notes {
			b.WriteString("\n• " + charset.DisplayText(n.String()))
		}
	}
	return b.String()
}

func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// showReport shows an import's report in a dialog of its own, scrolled when
// long, and keeps it for tests.
func (t *messagesTool) showReport(title, text string) {
	t.report = text
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, tr("Close"), container.NewVScroll(label), t.env.win)
	d.Resize(fyne.NewSize(620, 420))
	d.Show()
}
