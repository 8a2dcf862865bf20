package app

import (
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// quickSelect is a Select over the saved messages that rereads them from the
// preferences each time it opens, so a message saved in another panel shows up.
type quickSelect struct {
	widget.Select
	reload func()
}

func newQuickSelect(changed func(string), reload func()) *quickSelect {
	s := &quickSelect{reload: reload}
	s.OnChanged = changed
	s.PlaceHolder = tr("(none saved)")
	s.ExtendBaseWidget(s)
	return s
}

// Tapped opens the list with fresh options.
func (s *quickSelect) Tapped(ev *fyne.PointEvent) {
	if s.reload != nil && !s.Disabled() {
		s.reload()
	}
	s.Select.Tapped(ev)
}

// TypedKey rereads the options before Space/Up/Down open the list or
// Left/Right step through it.
func (s *quickSelect) TypedKey(ev *fyne.KeyEvent) {
	if s.reload != nil {
		s.reload()
	}
	s.Select.TypedKey(ev)
}

func (b *sendBox) buildQuick() {
	b.quick = newQuickSelect(b.chooseQuick, b.reloadQuick)
	b.saveBtn = widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), b.askSaveQuick)
	b.deleteBtn = widget.NewButtonWithIcon("", theme.DeleteIcon(), b.deleteQuick)
	b.reloadQuick()
}

// reloadQuick sets the options from the preferences, keeping the selection if
// that message still exists (UI goroutine).
func (b *sendBox) reloadQuick() {
	names := b.prefs.quickSendNames()
	if names == nil {
		names = []string{}
	}
	if !slices.Equal(names, b.quick.Options) {
		b.quick.SetOptions(names)
	}
	b.quick.PlaceHolder = tr("(none saved)")
	if len(names) > 0 {
		b.quick.PlaceHolder = tr("(choose)")
	}
	if b.quick.Selected != "" && !slices.Contains(names, b.quick.Selected) {
		b.selectQuick("")
	}
	b.quick.Refresh()
	b.updateDeleteBtn()
}

// selectQuick changes the Select's choice without loading the message.
func (b *sendBox) selectQuick(name string) {
	b.loadingQuick = true
	defer func() { b.loadingQuick = false }()
	if name == "" {
		b.quick.ClearSelected()
	} else {
		b.quick.SetSelected(name)
	}
}

func (b *sendBox) updateDeleteBtn() {
	if b.quick.Selected == "" {
		b.deleteBtn.Disable()
	} else {
		b.deleteBtn.Enable()
	}
}

// chooseQuick loads a saved message into the entry when the user picks it.
func (b *sendBox) chooseQuick(name string) {
	if b.deleteBtn != nil {
		b.updateDeleteBtn()
	}
	if b.loadingQuick || name == "" {
		return
	}
	q, ok := b.prefs.findQuickSend(name)
	if !ok {
		b.reloadQuick()
		return
	}
	b.lastMode = validMode(q.Mode) // the saved text is in its own mode: nothing to convert
	b.mode.SetSelectedIndex(int(validMode(q.Mode)))
	b.entry.SetText(q.Text)
}

// askSaveQuick asks for a name and saves the entry's current text and mode
// under it (replacing a message of that name).
func (b *sendBox) askSaveQuick() {
	text, mode := b.entry.Text, b.currentMode()
	if text == "" {
		b.showSendError(errors.New(tr("Nothing to save: type a message first")))
		return
	}
	b.saveName = widget.NewEntry()
	b.saveName.SetPlaceHolder(tr("e.g. Hello in GBK"))
	b.saveName.SetText(b.quick.Selected)
	b.saveName.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(tr("enter a name"))
		}
		return nil
	}
	items := []*widget.FormItem{
		widget.NewFormItem(tr("Name"), b.saveName),
		widget.NewFormItem(tr("Mode"), widget.NewLabel(modeLabel(mode))),
	}
	d := dialog.NewForm(tr("Save message"), tr("Save"), tr("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		name := strings.TrimSpace(b.saveName.Text)
		if name == "" {
			return
		}
		b.prefs.saveQuickSend(quickSend{Name: name, Text: text, Mode: mode})
		b.reloadQuick()
		b.selectQuick(name)
		b.updateDeleteBtn()
	}, b.env.win)
	d.Resize(fyne.NewSize(380, d.MinSize().Height))
	b.saveDlg = d
	d.Show()
	if c := b.env.win.Canvas(); c != nil {
		c.Focus(b.saveName)
	}
}

// deleteQuick removes the chosen saved message.
func (b *sendBox) deleteQuick() {
	name := b.quick.Selected
	if name == "" {
		return
	}
	b.prefs.deleteQuickSend(name)
	b.selectQuick("")
	b.reloadQuick()
}
