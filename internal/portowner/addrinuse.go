//go:build !windows

package portowner

import (
	"errors"
	"syscall"
)

// IsAddrInUse says whether a bind or listen error means another socket
// holds the address: the moment to call Lookup.
func IsAddrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
