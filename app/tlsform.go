package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/selfsigned"
)

// The TLS parts of the TCP panels' forms: the client's "TLS" and "Skip
// verification" checks, the server's "TLS", certificate and key files or
// "Self-signed". Each remembers its value in the panel's preferences.

// newTLSClientChecks makes the client's checks; skipping verification is only
// offered while TLS is on.
func newTLSClientChecks(pr prefs) (tlsOn, insecure *widget.Check) {
	insecure = widget.NewCheck(tr("Skip verification (unsafe)"), func(on bool) { pr.set("insecure", onOff(on)) })
	insecure.SetChecked(pr.get("insecure", "") == "on")
	tlsOn = widget.NewCheck(tr("TLS"), func(on bool) {
		pr.set("tls", onOff(on))
		setEnabled(on, insecure)
	})
	tlsOn.SetChecked(pr.get("tls", "") == "on")
	setEnabled(tlsOn.Checked, insecure)
	return tlsOn, insecure
}

// tlsClientRow lays out the client's checks, with a warning sign by the unsafe one.
func tlsClientRow(tlsOn, insecure *widget.Check) fyne.CanvasObject {
	return container.NewHBox(tlsOn, insecure, widget.NewIcon(theme.WarningIcon()),
		widget.NewLabelWithStyle(tr("anyone in between could read and change the traffic"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
}

// tlsServerForm is the server's TLS settings.
type tlsServerForm struct {
	tls, selfSigned   *widget.Check
	certFile, keyFile *widget.Entry
	certPick, keyPick *widget.Button
	files             *fyne.Container // the two file rows, shown when they are needed
	win               fyne.Window
	enabled           bool // the form as a whole (false while the server runs)
}

func newTLSServerForm(e env, pr prefs) *tlsServerForm {
	f := &tlsServerForm{win: e.win, enabled: true}
	f.certFile, f.keyFile = widget.NewEntry(), widget.NewEntry()
	f.certFile.SetPlaceHolder(tr("certificate file (PEM)"))
	f.keyFile.SetPlaceHolder(tr("private key file (PEM)"))
	f.certFile.SetText(pr.get("cert", ""))
	f.keyFile.SetText(pr.get("key", ""))
	f.certPick = widget.NewButton(tr("Choose…"), func() { f.choose(f.certFile) })
	f.keyPick = widget.NewButton(tr("Choose…"), func() { f.choose(f.keyFile) })
	// The checks get their callbacks once both exist and hold their saved state.
	f.selfSigned = widget.NewCheck(tr("Self-signed (made up on start)"), nil)
	f.selfSigned.SetChecked(pr.get("selfsigned", "on") == "on")
	f.tls = widget.NewCheck(tr("TLS"), nil)
	f.tls.SetChecked(pr.get("tls", "") == "on")
	f.selfSigned.OnChanged = func(on bool) {
		pr.set("selfsigned", map[bool]string{true: "on", false: "off"}[on]) // default on: "" would not do
		f.update()
	}
	f.tls.OnChanged = func(on bool) {
		pr.set("tls", onOff(on))
		f.update()
	}
	f.files = container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, nil, f.certPick, f.certFile),
		container.NewBorder(nil, nil, nil, f.keyPick, f.keyFile))
	f.update()
	return f
}

// update enables what the checks make relevant.
func (f *tlsServerForm) update() {
	setEnabled(f.enabled, f.tls)
	setEnabled(f.enabled && f.tls.Checked, f.selfSigned)
	needed := f.tls.Checked && !f.selfSigned.Checked
	setEnabled(f.enabled && needed, f.certFile, f.keyFile, f.certPick, f.keyPick)
	if needed {
		f.files.Show()
	} else {
		f.files.Hide()
	}
}

// row is the form's one TLS row: the checks, then the files when needed.
func (f *tlsServerForm) row() fyne.CanvasObject {
	return container.NewBorder(nil, nil, container.NewHBox(f.tls, f.selfSigned), nil, f.files)
}

func (f *tlsServerForm) setEnabled(on bool) {
	f.enabled = on
	f.update()
}

// choose opens a file dialog and puts the chosen file's path in entry.
func (f *tlsServerForm) choose(entry *widget.Entry) {
	if f.win == nil {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		entry.SetText(r.URI().Path())
		r.Close()
	}, f.win)
	d.Show()
}

// options reads the form into the engine's options (nil without TLS), naming
// the field that is missing.
func (f *tlsServerForm) options() (*netio.TLSServerOptions, error) {
	if !f.tls.Checked {
		return nil, nil
	}
	if f.selfSigned.Checked {
		pair, err := selfsigned.New(nil, selfsigned.Validity)
		if err != nil {
			return nil, err
		}
		return &netio.TLSServerOptions{Cert: &pair.Cert}, nil
	}
	switch {
	case f.certFile.Text == "":
		return nil, &fieldError{tr("Certificate"), errors.New(tr("choose the certificate's file, or check Self-signed"))}
	case f.keyFile.Text == "":
		return nil, &fieldError{tr("Key"), errors.New(tr("choose the private key's file"))}
	}
	// Read now, so that a wrong file is reported against the form's fields.
	if _, err := netio.LoadKeyPair(f.certFile.Text, f.keyFile.Text); err != nil {
		return nil, &fieldError{tr("Certificate"), err}
	}
	return &netio.TLSServerOptions{CertFile: f.certFile.Text, KeyFile: f.keyFile.Text}, nil
}
