package app

import (
	"errors"
	"strings"
	"syscall"

	"sockdesk/netio"
)

// errorText words an engine error for a person: the engine's prefixes go, and the
// common socket failures are said plainly.
func errorText(err error) string {
	switch {
	case netio.IsAddrInUse(err):
		return "that port is already in use by another program or session"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing is listening on that port"
	case errors.Is(err, netio.ErrBroadcastOff):
		return "that is a broadcast address: turn Broadcast on to send to it"
	}
	return strings.ReplaceAll(err.Error(), "netio: ", "")
}
