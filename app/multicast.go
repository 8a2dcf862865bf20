package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/sockdesk/sockdesk/app/fit"
	"github.com/sockdesk/sockdesk/netio"
)

// multicastBox is the UDP panel's "Multicast" section: groups to join on Open
// (left on Close), and the interface, TTL and loopback switch used both for the
// joins and for sending to a group. Its settings are fixed while the session is
// open, because the engine applies them to the socket.
type multicastBox struct {
	prefs  prefs
	groups *widget.Entry
	iface  *widget.Select
	ttl    *widget.Entry
	loop   *widget.Check
	hint   *widget.Label
	form   *fieldForm
	obj    fyne.CanvasObject
}

func newMulticastBox(p prefs) *multicastBox {
	b := &multicastBox{prefs: p}
	b.groups = widget.NewEntry()
	b.groups.SetText(p.get("mc.groups", ""))
	b.iface = widget.NewSelect(append([]string{b.defaultIface()}, interfaceNames()...), nil)
	if name := p.get("mc.iface", ""); name != "" {
		b.iface.Options = appendMissing(b.iface.Options, name) // a saved interface that is gone still shows
		b.iface.SetSelected(name)
	} else {
		b.iface.SetSelectedIndex(0)
	}
	b.ttl = widget.NewEntry()
	b.ttl.SetPlaceHolder("1")
	b.ttl.SetText(p.get("mc.ttl", ""))
	b.loop = widget.NewCheck("", nil)
	b.loop.SetChecked(p.get("mc.noloop", "") != "on")
	b.form = newFieldForm()
	groups := b.form.field(func() string { return tr("Groups") }, b.groups, 2).also(func() string { return tr("Multicast group") })
	b.groups.OnChanged = func(string) { groups.setError(nil) }
	b.form.field(func() string { return tr("Interface") }, b.iface, 2)
	ttl := b.form.field(func() string { return tr("TTL") }, fit.Width(b.ttl, 60), 1)
	b.ttl.OnChanged = func(string) { ttl.setError(nil) }
	b.form.wide(b.loop)
	b.hint = widget.NewLabel("")
	b.hint.Wrapping = fyne.TextWrapWord
	b.hint.Importance = widget.LowImportance
	b.obj = container.NewVBox(b.form.Object(), b.hint)
	b.relabel()
	return b
}

// Object is the multicast tool's content.
func (b *multicastBox) Object() fyne.CanvasObject { return b.obj }

// relabel writes the box's words in the UI language.
func (b *multicastBox) relabel() {
	b.groups.SetPlaceHolder(tr("e.g. 239.1.2.3, ff02::1:3"))
	b.loop.Text = tr("Loopback")
	b.loop.Refresh()
	b.hint.SetText(tr("Groups are joined on Open and left on Close; the socket then binds 0.0.0.0 or :: with the local port. Interface, TTL and Loopback also apply to sending to a group."))
	if len(b.iface.Options) > 0 {
		b.iface.Options[0] = b.defaultIface()
		b.iface.Refresh()
		if b.iface.SelectedIndex() == 0 {
			b.iface.SetSelectedIndex(0)
		}
	}
	b.form.relabel()
}

// keepIn registers the box's fields with a session's saved settings.
func (b *multicastBox) keepIn(s *session) {
	s.keepEntry("mc.groups", b.groups)
	s.keep("mc.iface", func() string {
		if b.iface.SelectedIndex() > 0 {
			return b.iface.Selected
		}
		return ""
	}, func(v string) {
		if v == "" {
			b.iface.SetSelectedIndex(0)
			return
		}
		b.iface.Options = appendMissing(b.iface.Options, v)
		b.iface.SetSelected(v)
	})
	s.keepEntry("mc.ttl", b.ttl)
	s.keep("mc.noloop", func() string { return onOff(!b.loop.Checked) }, func(v string) { b.loop.SetChecked(v != "on") })
}

func (b *multicastBox) defaultIface() string { return tr("Default (system's choice)") }

// interfaceNames lists the host's interfaces that are up.
func interfaceNames() []string {
	ifs, _ := netio.Interfaces()
	var out []string
	for _, ifc := range ifs {
		if ifc.Up {
			out = append(out, ifc.Name)
		}
	}
	return out
}

func appendMissing(list []string, v string) []string {
	for _, s := range list {
		if s == v {
			return list
		}
	}
	return append(list, v)
}

// configure reads the fields into cfg; a bad one is an error naming it.
func (b *multicastBox) configure(cfg *netio.UDPConfig) error {
	var groups []string
	for _, s := range strings.Split(b.groups.Text, ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		g, err := netio.ParseGroup(s)
		if err != nil {
			return &fieldError{tr("Multicast group"), err}
		}
		groups = append(groups, g.String())
	}
	iface := ""
	if b.iface.SelectedIndex() > 0 {
		iface = b.iface.Selected
		if _, err := netio.LookupInterface(iface); err != nil {
			return &fieldError{tr("Interface"), err}
		}
	}
	ttl := 0
	if t := strings.TrimSpace(b.ttl.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > netio.MaxMulticastTTL {
			return &fieldError{tr("TTL"), fmt.Errorf(tr("%q is not a number from 1 to 255 (empty = 1)"), b.ttl.Text)}
		}
		ttl = n
	}
	cfg.Join, cfg.Iface, cfg.MulticastTTL, cfg.MulticastNoLoop = groups, iface, ttl, !b.loop.Checked
	return nil
}

// joinError names the field an engine error about the groups is about.
func (b *multicastBox) joinError(err error) error {
	var ie *netio.InterfaceError
	var je *netio.JoinError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ie):
		return &fieldError{tr("Interface"), errors.New(ie.Reason)}
	case errors.As(err, &je):
		return &fieldError{tr("Multicast group"), err}
	}
	return err
}

func (b *multicastBox) save() {
	b.prefs.set("mc.groups", strings.TrimSpace(b.groups.Text))
	iface := ""
	if b.iface.SelectedIndex() > 0 {
		iface = b.iface.Selected
	}
	b.prefs.set("mc.iface", iface)
	b.prefs.set("mc.ttl", strings.TrimSpace(b.ttl.Text))
	b.prefs.set("mc.noloop", onOff(!b.loop.Checked))
}

func (b *multicastBox) setEnabled(on bool) {
	setEnabled(on, b.groups, b.iface, b.ttl, b.loop)
}
