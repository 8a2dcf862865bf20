package wording

import (
	"errors"
	"strings"

	"github.com/sockdesk/sockdesk/app/i18n"
	"github.com/sockdesk/sockdesk/internal/portowner"
	"github.com/sockdesk/sockdesk/netio"
)

// portHolders says who holds a port a bind found in use: the programs and
// their PIDs, as the system's socket tables showed them when the bind failed,
// or why none could be named.
func portHolders(e *netio.PortInUseError) string {
	if len(e.Holders) > 0 {
		names := make([]string, len(e.Holders))
		for i, p := range e.Holders {
			if p.Name == "" {
				names[i] = i18n.Tf("PID %d", p.PID)
			} else {
				names[i] = i18n.Tf("%s (PID %d)", p.Name, p.PID)
			}
		}
		return i18n.Tf("that port is already in use by %s", strings.Join(names, ", "))
	}
	switch {
	case e.LookupErr == nil:
		return i18n.T("that port is already in use by another program or session")
	case errors.Is(e.LookupErr, portowner.ErrNotVisible):
		return i18n.T("that port is already in use by a program this user may not see (another user's, or the system's; an administrator could see it)")
	case errors.Is(e.LookupErr, portowner.ErrNoSocket):
		return i18n.T("that port is already in use, but no socket on it appears in the system's socket tables")
	case errors.Is(e.LookupErr, portowner.ErrUnsupported):
		return i18n.T("that port is already in use; finding the program that holds it is not supported on this system")
	}
	return i18n.Tf("that port is already in use; the program holding it could not be found: %s", strip(e.LookupErr))
}
