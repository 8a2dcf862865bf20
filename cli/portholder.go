package cli

import (
	"errors"

	"github.com/sockdesk/sockdesk/netio"
)

// heldBy says who holds a port a bind found in use, as the engine found out
// at the failure: " by python3 (PID 4242: python3 -m http.server 8000)", or
// why nobody could be named ("; the process holding the port cannot be seen
// (it may be another user's; ...)"). Empty when the error does not say.
func heldBy(err error) string {
	var pe *netio.PortInUseError
	if !errors.As(err, &pe) {
		return ""
	}
	if len(pe.Holders) > 0 {
		return " by " + pe.HeldBy()
	}
	return "; " + pe.HeldBy()
}
