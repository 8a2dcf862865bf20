// Package neterr classifies socket errors the same way on every system: Windows
// reports "address in use", "access denied" and "connection reset" with its own
// codes, which syscall.EADDRINUSE and friends do not match there.
package neterr

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
)

// Windows' codes for "address in use", "access denied" and "connection reset".
// On other systems no error carries them, so checking them is harmless.
const (
	wsaEADDRINUSE = syscall.Errno(10048)
	wsaEACCES     = syscall.Errno(10013)
	wsaECONNRESET = syscall.Errno(10054)
)

// IsReset reports whether err says the peer reset the connection.
func IsReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, wsaECONNRESET)
}

// IsAddrInUse reports whether err says the address is already taken.
func IsAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, wsaEADDRINUSE)
}

// IsPermission reports whether err says the system refused the operation, as it
// does for a port below 1024 bound without privileges.
func IsPermission(err error) bool {
	return errors.Is(err, syscall.EACCES) || errors.Is(err, wsaEACCES)
}

// Inner strips net.OpError and os.SyscallError wrappers, whose text repeats the
// operation and address the caller names already ("dial tcp 127.0.0.1:1: connect:
// connection refused" becomes "connection refused"). errors.Is still matches.
func Inner(err error) error {
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

// worded is an error worded for people; it wraps the error it came from so that
// errors.Is and errors.As still see that.
type worded struct {
	msg string
	err error
}

func (e *worded) Error() string { return e.msg }
func (e *worded) Unwrap() error { return e.err }

// Worded returns an error whose text is the formatted message alone and which
// unwraps to err: the cause stays matchable while the words replace its text.
func Worded(err error, format string, a ...any) error {
	return &worded{msg: fmt.Sprintf(format, a...), err: err}
}

// StripPath drops an *os.PathError wrapper, for a caller whose own error names the
// path already.
func StripPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
