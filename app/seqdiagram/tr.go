package seqdiagram

import "github.com/sockdesk/sockdesk/app/i18n"

// tr and trf are i18n.T and i18n.Tf under the short names every UI file uses.
var (
	tr  = i18n.T
	trf = i18n.Tf
)
