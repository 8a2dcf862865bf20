package logview

import (
	"strings"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// TLS details in the log: a TLS endpoint's connected, accepted and listening
// events get a short note on their row and the details on rows under it, in
// every log mode, so that nothing is lost to a narrow window's ellipsis.

const tlsTimeLayout = "2006-01-02 15:04 UTC"

// tlsNote is what a TLS event's row adds to its message.
func tlsNote(t *netio.TLSInfo) string {
	if t.Version == "" {
		return tr("TLS") // a listener: its certificate follows
	}
	if t.VerifyProblem != "" {
		return t.Version + " · " + tr("certificate NOT verified")
	}
	return t.Version
}

// tlsRows are the detail rows under a TLS event.
func tlsRows(t *netio.TLSInfo) []string {
	const indent = "      "
	var rows []string
	if t.Version != "" {
		line := trf("cipher suite %s", t.CipherSuite)
		if t.ALPN != "" {
			line += ", ALPN " + t.ALPN
		}
		rows = append(rows, line)
	}
	if c := t.Cert; c != nil {
		subject := c.Subject
		if len(c.Names) > 0 {
			subject += " (" + strings.Join(c.Names, ", ") + ")"
		}
		rows = append(rows,
			trf("certificate %s", subject),
			trf("issued by %s", c.Issuer),
			trf("valid from %s to %s", c.NotBefore.Format(tlsTimeLayout), c.NotAfter.Format(tlsTimeLayout)),
			"SHA-256 "+c.SHA256)
	}
	switch {
	case t.Verified:
		rows = append(rows, trf("verified for %s", t.ServerName))
	case t.VerifyProblem != "":
		rows = append(rows, "⚠ "+trf("NOT verified: %s (connected anyway: verification skipped)", t.VerifyProblem))
	}
	for i := range rows {
		rows[i] = indent + charset.DisplayText(rows[i])
	}
	return rows
}
