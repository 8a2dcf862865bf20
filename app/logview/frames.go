package logview

import (
	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/netio"
)

// frameMark marks a received frame that is not a whole message (framing on a TCP
// stream): cut at the largest frame, left unfinished when the connection ended,
// or sized by a length field that cannot be right. Whole frames and reads
// without framing have no mark.
func frameMark(s netio.FrameStatus) string {
	switch s {
	case netio.FrameOverflow:
		return "⚠ " + tr("(overflow: longer than the max frame, cut there)")
	case netio.FrameIncomplete:
		return "⚠ " + tr("(incomplete frame: the connection ended)")
	case netio.FrameMalformed:
		return "⚠ " + tr("(malformed frame: its length is less than its header)")
	}
	return ""
}

// droppedPhrase words a dropped event: datagrams the system dropped at the
// socket, its receive buffer full, before the session could read them.
func droppedPhrase(n uint64) string {
	if n == 1 {
		return tr("the system dropped 1 datagram: the socket's receive buffer was full")
	}
	return trf("the system dropped %s datagrams: the socket's receive buffer was full", i18n.GroupDigits(n))
}
