package logview

import (
	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
)

// logRelayMessage words a relay pair's events other than its bytes, as
// eventlog.FormatLine does, in the UI language (the error, if any, is added by
// logMessage).
func logRelayMessage(e *netio.Event) string {
	switch e.Kind {
	case netio.EventAccepted:
		return trf("accepted (local %s), connecting to target %s", e.Local, e.Target)
	case netio.EventConnected:
		return trf("connected to target %s (local %s)", e.Target, e.Local)
	case netio.EventClosed:
		msg := logRelayClosedPhrase(e.Dir, e.Reason)
		if e.Text != "" {
			msg += " " + trf("(unfinished bytes: %s)", charset.DisplayText(e.Text))
		}
		return msg
	case netio.EventError:
		return tr("error") // the engine's error names the target
	}
	return e.Kind.String()
}

// logRelayClosedPhrase says who ended a relay pair, as eventlog.FormatLine
// does: dir is the stream that ended first, so its sender closed first.
func logRelayClosedPhrase(dir netio.Direction, r netio.CloseReason) string {
	if r == netio.ReasonLocal || dir == netio.DirNone {
		return logClosedPhrase(r, SideNone)
	}
	toClient := dir == netio.DirToClient
	switch {
	case r == netio.ReasonPeerClosed && toClient:
		return tr("target closed first")
	case r == netio.ReasonPeerClosed:
		return tr("client closed first")
	case r == netio.ReasonReset && toClient:
		return tr("target reset the connection")
	case r == netio.ReasonReset:
		return tr("client reset the connection")
	case toClient:
		return trf("target closed (%s)", string(r))
	}
	return trf("client closed (%s)", string(r))
}
