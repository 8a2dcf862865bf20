package netio

import (
	"errors"

	"github.com/sockdesk/sockdesk/internal/neterr"
)

// IsAddrInUse reports whether err says the address is already taken, so front ends
// can say "port in use" in words.
func IsAddrInUse(err error) bool { return neterr.IsAddrInUse(err) }

// IsPermission reports whether err says the system refused the operation, as it
// does for a port below 1024 bound without privileges.
func IsPermission(err error) bool { return neterr.IsPermission(err) }

// ErrNotStarted is returned for a send on an endpoint whose Start has not
// succeeded: a front end racing a failed Start gets an error, not a crash.
var ErrNotStarted = errors.New("not started")
