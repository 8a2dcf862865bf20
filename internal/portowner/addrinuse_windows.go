package portowner

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// IsAddrInUse says whether a bind or listen error means another socket
// holds the address: the moment to call Lookup. Windows reports
// WSAEADDRINUSE; a socket opened with SO_EXCLUSIVEADDRUSE makes it
// WSAEACCES instead, which a port in the system's reserved ranges also
// gives (Lookup then finds no socket).
func IsAddrInUse(err error) bool {
	return errors.Is(err, windows.WSAEADDRINUSE) || errors.Is(err, windows.WSAEACCES) || errors.Is(err, syscall.EADDRINUSE)
}
