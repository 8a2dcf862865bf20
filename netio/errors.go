package netio

import (
	"errors"
	"net"
	"os"
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

// innerError strips net.OpError and os.SyscallError wrappers, whose text repeats
// the operation and address we already name ("dial tcp 127.0.0.1:1: connect:
// connection refused" becomes "connection refused"). errors.Is still matches.
func innerError(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		err = op.Err
	}
	var sys *os.SyscallError
	if errors.As(err, &sys) && sys.Err != nil {
		err = sys.Err
	}
	return err
}
