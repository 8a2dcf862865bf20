package netio

import (
	"errors"
	"net"
	"os"
	"syscall"
)

// Windows' codes for "address in use", "access denied" and "connection reset":
// syscall.EADDRINUSE, syscall.EACCES and syscall.ECONNRESET do not match them there.
// On other systems no error carries them, so checking them is harmless.
const (
	wsaEADDRINUSE = syscall.Errno(10048)
	wsaEACCES     = syscall.Errno(10013)
	wsaECONNRESET = syscall.Errno(10054)
)

// isReset reports whether err says the peer reset the connection.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, wsaECONNRESET)
}

// IsAddrInUse reports whether err says the address is already taken, so front ends
// can say "port in use" in words.
func IsAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, wsaEADDRINUSE)
}

// ErrNotStarted is returned for a send on an endpoint whose Start has not
// succeeded: a front end racing a failed Start gets an error, not a crash.
var ErrNotStarted = errors.New("not started")

// IsPermission reports whether err says the system refused the operation, as it
// does for a port below 1024 bound without privileges.
func IsPermission(err error) bool {
	return errors.Is(err, syscall.EACCES) || errors.Is(err, wsaEACCES)
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
