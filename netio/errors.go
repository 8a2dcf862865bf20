package netio

import (
	"errors"
	"syscall"
)

// IsAddrInUse reports whether err says the address is already taken, so front ends
// can say "port in use" in words.
func IsAddrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
