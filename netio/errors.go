package netio

import (
	"errors"
	"syscall"
)

// wsaEADDRINUSE is Windows' code for "address in use": syscall.EADDRINUSE does not
// match it there. On other systems no error carries it, so checking it is harmless.
const wsaEADDRINUSE = syscall.Errno(10048)

// IsAddrInUse reports whether err says the address is already taken, so front ends
// can say "port in use" in words.
func IsAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, wsaEADDRINUSE)
}
