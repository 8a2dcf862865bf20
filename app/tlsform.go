package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/selfsigned"
)

// The TLS parts of the TCP panels' forms: the client's "TLS" and "Skip
// verification" checks, the server's "TLS", certificate and key files or
// "Self-signed". Each remembers its value in the panel's preferences.

// newTLSClientChecks makes the client's checks; skipping verification is only
// offered while TLS is on. Their words are written by tlsClientWords.
func newTLSClientChecks(pr prefs) (tlsOn, insecure *widget.Check) {
	insecure = widget.NewCheck("", func(on bool) { pr.set("insecure", onOff(on)) })
	insecure.SetChecked(pr.get("insecure", "") == "on")
	tlsOn = widget.NewCheck("", func(on bool) {
		pr.set("tls", onOff(on))
		setEnabled(on, insecure)
	})
	tlsOn.SetChecked(pr.get("tls", "") == "on")
	setEnabled(tlsOn.Checked, insecure)
	return tlsOn, insecure
}

// tlsClientWords writes the client's checks' words and the warning by the unsafe one.
func tlsClientWords(tlsOn, insecure *widget.Check, warning *noteLine) {
	tlsOn.Text = tr("TLS")
	tlsOn.Refresh()
	insecure.Text = tr("Skip verification (unsafe)")
	insecure.Refresh()
	warning.set("⚠ "+tr("anyone in between could read and change the traffic"), noteHint)
}

// tlsWarning is the note under "Skip verification".
func tlsWarning() *noteLine { return newNoteLine(2) }

// tlsServerForm is the server's TLS settings, the TLS tool of its drawer.
type tlsServerForm struct {
	tls, selfSigned   *widget.Check
	certFile, keyFile *widget.Entry
	certPick, keyPick *widget.Button
	form              *fieldForm
	hint              *widget.Label
	obj               fyne.CanvasObject
	win               fyne.Window
	enabled           bool // the form as a whole (false while the server runs)
	onChange          func()
}

func newTLSServerForm(e env, pr prefs) *tlsServerForm {
	f := &tlsServerForm{win: e.win, enabled: true}
	f.certFile, f.keyFile = widget.NewEntry(), widget.NewEntry()
	f.certFile.SetText(pr.get("cert", ""))
	f.keyFile.SetText(pr.get("key", ""))
	f.certPick = widget.NewButton("", func() { f.choose(f.certFile) })
	f.keyPick = widget.NewButton("", func() { f.choose(f.keyFile) })
	// The checks get their callbacks once both exist and hold their saved state.
	f.selfSigned = widget.NewCheck("", nil)
	f.selfSigned.SetChecked(pr.get("selfsigned", "on") == "on")
	f.tls = widget.NewCheck("", nil)
	f.tls.SetChecked(pr.get("tls", "") == "on")
	f.selfSigned.OnChanged = func(on bool) {
		pr.set("selfsigned", map[bool]string{true: "on", false: "off"}[on]) // default on: "" would not do
		f.update()
	}
	f.tls.OnChanged = func(on bool) {
		pr.set("tls", onOff(on))
		f.update()
	}
	f.form = newFieldForm()
	f.form.wide(f.tls)
	f.form.wide(f.selfSigned)
	cert := f.form.field(func() string { return tr("Certificate") }, container.NewBorder(nil, nil, nil, f.certPick, f.certFile), 2)
	key := f.form.field(func() string { return tr("Key") }, container.NewBorder(nil, nil, nil, f.keyPick, f.keyFile), 2)
	f.certFile.OnChanged = func(string) { cert.setError(nil) }
	f.keyFile.OnChanged = func(string) { key.setError(nil) }
	f.hint = widget.NewLabel("")
	f.hint.Wrapping = fyne.TextWrapWord
	f.hint.Importance = widget.LowImportance
	f.obj = container.NewVBox(f.form.Object(), f.hint)
	f.relabel()
	f.update()
	return f
}

// Object is the TLS tool's content.
func (f *tlsServerForm) Object() fyne.CanvasObject { return f.obj }

// relabel writes the form's words in the UI language.
func (f *tlsServerForm) relabel() {
	f.certFile.SetPlaceHolder(tr("certificate file (PEM)"))
	f.keyFile.SetPlaceHolder(tr("private key file (PEM)"))
	f.certPick.SetText(tr("Choose…"))
	f.keyPick.SetText(tr("Choose…"))
	f.selfSigned.Text = tr("Self-signed (made up on start)")
	f.selfSigned.Refresh()
	f.tls.Text = tr("TLS")
	f.tls.Refresh()
	f.hint.SetText(tr("Clients connect with TLS. A self-signed certificate is made when the server starts; its fingerprint shows in the log."))
	f.form.relabel()
}

// update enables what the checks make relevant.
func (f *tlsServerForm) update() {
	setEnabled(f.enabled, f.tls)
	setEnabled(f.enabled && f.tls.Checked, f.selfSigned)
	needed := f.tls.Checked && !f.selfSigned.Checked
	setEnabled(f.enabled && needed, f.certFile, f.keyFile, f.certPick, f.keyPick)
	if !needed {
		f.form.clearErrors()
	}
	if f.onChange != nil {
		f.onChange()
	}
}

func (f *tlsServerForm) setEnabled(on bool) {
	f.enabled = on
	f.update()
}

// keepIn registers the form's fields with a session's saved settings.
func (f *tlsServerForm) keepIn(s *session) {
	s.keepCheck("tls", f.tls)
	s.keep("selfsigned", func() string { return map[bool]string{true: "on", false: "off"}[f.selfSigned.Checked] },
		func(v string) { f.selfSigned.SetChecked(v != "off") })
	s.keepEntry("cert", f.certFile)
	s.keepEntry("key", f.keyFile)
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
