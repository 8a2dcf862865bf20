package app

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/eventlog"
)

// fileProgressEvery is how often the progress bar moves while a file is sent.
const fileProgressEvery = 100 * time.Millisecond

// fileSender sends the file at path through the session; it runs on the file
// box's own goroutine and returns when the file is sent, ctx ends, or a send fails.
type fileSender func(ctx context.Context, path string, opts netio.FileOptions) (int64, error)

// fileBox is a session's files tool: "Send file…" with a progress bar and Cancel,
// (over UDP) the datagram size and the delay between datagrams, and "Save
// received…", which writes the bytes that arrive to a file until it is turned
// off or the session ends.
//
// Widgets are touched only on the UI goroutine; a send runs on a goroutine of
// its own, reporting through env.ui.
type fileBox struct {
	env    env
	sink   *liveSink
	send   fileSender
	filter func() eventlog.SaveFilter // whose bytes are saved; nil = everyone's

	sendBtn   *widget.Button
	cancelBtn *widget.Button
	progress  *widget.ProgressBar
	chunk     *widget.Entry // UDP only: bytes per datagram
	delay     *widget.Entry // UDP only: ms between datagrams
	saveBtn   *widget.Button
	status    *widget.Label
	form      *fieldForm
	sendTitle *widget.Label
	saveTitle *widget.Label
	obj       fyne.CanvasObject
	said      func() string // what the status says, in the UI language

	// UI-goroutine state.
	enabled bool
	cancel  context.CancelFunc // the send in progress, nil if none
	saving  *eventlog.SaveFile

	wg sync.WaitGroup // the send's goroutines
}

// newFileBox builds the tool; udp adds the datagram size and delay fields. It
// starts disabled, like the send box.
func newFileBox(e env, sink *liveSink, udp bool, send fileSender) *fileBox {
	b := &fileBox{env: e, sink: sink, send: send}
	b.sendBtn = widget.NewButtonWithIcon("", theme.UploadIcon(), b.chooseFile)
	b.cancelBtn = widget.NewButtonWithIcon("", theme.CancelIcon(), b.cancelSend)
	b.cancelBtn.Hide()
	b.progress = widget.NewProgressBar()
	b.progress.Hide()
	b.saveBtn = widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), b.toggleSave)
	b.status = widget.NewLabel("")
	b.status.Wrapping = fyne.TextWrapWord
	b.form = newFieldForm()
	if udp {
		b.chunk = widget.NewEntry()
		b.chunk.SetText(strconv.Itoa(netio.DefaultUDPChunk))
		b.delay = widget.NewEntry()
		b.delay.SetText("0")
		chunk := b.form.field(func() string { return tr("Bytes per datagram") }, fit.Width(b.chunk, 80), 1)
		delay := b.form.field(func() string { return tr("Delay (ms)") }, fit.Width(b.delay, 80), 1)
		b.chunk.OnChanged = func(string) { chunk.setError(nil) }
		b.delay.OnChanged = func(string) { delay.setError(nil) }
	}
	b.form.wide(b.sendBtn, b.cancelBtn)
	b.sendTitle, b.saveTitle = heading(), heading()
	b.obj = container.NewVBox(b.sendTitle, b.form.Object(), b.progress, widget.NewSeparator(),
		b.saveTitle, container.NewHBox(b.saveBtn), b.status)
	b.relabel()
	b.SetEnabled(false)
	return b
}

// Object is the files tool's content.
func (b *fileBox) Object() fyne.CanvasObject { return b.obj }

// relabel writes the box's words in the UI language.
func (b *fileBox) relabel() {
	b.sendTitle.SetText(tr("Send a file"))
	b.saveTitle.SetText(tr("Save what arrives"))
	b.sendBtn.SetText(tr("Send file…"))
	b.cancelBtn.SetText(tr("Cancel"))
	if b.saving != nil {
		b.saveBtn.SetText(tr("Stop saving"))
	} else {
		b.saveBtn.SetText(tr("Save received…"))
	}
	if b.said != nil {
		b.status.SetText(b.said())
	}
	b.form.relabel()
}

// SetEnabled allows sending and saving while the session is open. Disabling (the
// session ended) cancels a send and stops saving. UI goroutine.
func (b *fileBox) SetEnabled(on bool) {
	b.enabled = on
	if on {
		b.sendBtn.Enable()
		b.saveBtn.Enable()
		return
	}
	b.cancelSend()
	b.stopSave()
	b.sendBtn.Disable()
	b.saveBtn.Disable()
}

// chooseFile asks for the file to send.
func (b *fileBox) chooseFile() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			if err != nil {
				b.showError(err)
			}
			return
		}
		path := r.URI().Path()
		r.Close()
		b.sendFile(path)
	}, b.env.win)
}

// options reads the UDP fields; a bad one is an error naming it.
func (b *fileBox) options() (netio.FileOptions, error) {
	var o netio.FileOptions
	if b.chunk == nil {
		return o, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(b.chunk.Text))
	if err != nil || n < 1 || n > netio.MaxUDPPayload {
		return o, &fieldError{tr("Bytes per datagram"), errors.New(trf("%q is not a number from 1 to %d", b.chunk.Text, netio.MaxUDPPayload))}
	}
	ms, err := strconv.Atoi(strings.TrimSpace(b.delay.Text))
	if err != nil || ms < 0 || time.Duration(ms)*time.Millisecond > netio.MaxFileDelay {
		return o, &fieldError{tr("Delay (ms)"), errors.New(trf("%q is not a number from 0 to %d", b.delay.Text, netio.MaxFileDelay.Milliseconds()))}
	}
	o.Chunk, o.Delay = n, time.Duration(ms)*time.Millisecond
	return o, nil
}

// sendFile starts sending the file at path (UI goroutine). Tests call it
// directly instead of going through the dialog.
func (b *fileBox) sendFile(path string) {
	if !b.enabled || b.cancel != nil {
		return
	}
	opts, err := b.options()
	if err != nil {
		b.showError(err)
		return
	}
	b.form.clearErrors()
	prog := new(netio.FileProgress)
	opts.Progress = prog
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	b.sendBtn.Disable()
	b.cancelBtn.Show()
	b.progress.SetValue(0)
	b.progress.Show()
	b.setStatus(func() string { return trf("Sending %s…", filepath.Base(path)) })

	done := make(chan struct{})
	b.wg.Add(2)
	go func() {
		defer b.wg.Done()
		defer close(done)
		n, err := b.send(ctx, path, opts)
		_, total := prog.Get()
		b.env.ui.Do(func() { b.sent(path, n, total, err, cancel) })
	}()
	go func() {
		defer b.wg.Done()
		tick := time.NewTicker(fileProgressEvery)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				f := prog.Fraction()
				b.env.ui.Do(func() {
					if b.progress.Visible() {
						b.progress.SetValue(f)
					}
				})
			case <-done:
				return
			}
		}
	}()
}

// sent reports the end of a send (UI goroutine). cancel is that send's, so that a
// report arriving after a newer send began does not end the newer one.
func (b *fileBox) sent(path string, n, total int64, err error, cancel context.CancelFunc) {
	cancel()
	name := filepath.Base(path)
	switch {
	case errors.Is(err, context.Canceled):
		b.setStatus(func() string {
			return trf("Sending %s cancelled after %s of %s bytes", name, i18n.GroupDigits(uint64(n)), i18n.GroupDigits(uint64(total)))
		})
	case err != nil:
		b.showError(err)
	default:
		b.setStatus(func() string { return trf("Sent %s: %s bytes", name, i18n.GroupDigits(uint64(n))) })
	}
	b.cancel = nil
	b.cancelBtn.Hide()
	b.progress.Hide()
	if b.enabled {
		b.sendBtn.Enable()
	}
}

// cancelSend stops the send in progress, if any; its report follows.
func (b *fileBox) cancelSend() {
	if b.cancel != nil {
		b.cancel()
	}
}

// toggleSave asks for a file and starts saving, or stops saving.
func (b *fileBox) toggleSave() {
	if b.saving != nil {
		b.stopSave()
		return
	}
	dialog.ShowFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			if err != nil {
				b.showError(err)
			}
			return
		}
		path := w.URI().Path()
		w.Close()
		b.startSave(path)
	}, b.env.win)
}

// startSave writes received bytes to path from now on (UI goroutine). Tests
// call it directly.
func (b *fileBox) startSave(path string) {
	if !b.enabled || b.saving != nil {
		return
	}
	var filter eventlog.SaveFilter
	if b.filter != nil {
		filter = b.filter()
	}
	sf, err := eventlog.CreateSaveFile(path, filter)
	if err != nil {
		b.showError(err)
		return
	}
	sf.OnError(func(err error) {
		b.env.ui.Do(func() {
			if b.saving == sf {
				b.stopSave()
			}
			b.showError(err)
		})
	})
	b.saving = sf
	b.sink.save.Store(sf)
	b.saveBtn.SetText(tr("Stop saving"))
	if filter.Client != 0 {
		b.setStatus(func() string { return trf("Saving bytes received from client #%d to %s", filter.Client, path) })
	} else {
		b.setStatus(func() string { return trf("Saving received bytes to %s", path) })
	}
}

// stopSave closes the save file, if one is open, and says how much it holds.
func (b *fileBox) stopSave() {
	sf := b.saving
	if sf == nil {
		return
	}
	b.saving = nil
	b.sink.save.CompareAndSwap(sf, nil)
	b.saveBtn.SetText(tr("Save received…"))
	if err := sf.Close(); err != nil {
		b.showError(err)
		return
	}
	written, path := sf.Written(), sf.Path()
	b.setStatus(func() string { return trf("Saved %s bytes to %s", i18n.GroupDigits(uint64(written)), path) })
}

// showError shows err at its field, or under the buttons.
func (b *fileBox) showError(err error) {
	if b.form.showError(err) {
		return
	}
	b.setStatus(func() string { return "⚠ " + errorText(err) })
}

// setStatus shows what msg says under the buttons. UI goroutine.
func (b *fileBox) setStatus(msg func() string) {
	b.said = msg
	b.status.SetText(msg())
}

// Stop cancels a send, waits for its goroutines and closes the save file; the
// panel calls it on Close, after closing its endpoint.
func (b *fileBox) Stop() {
	b.cancelSend()
	b.wg.Wait()
	b.stopSave()
}
