package cli

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/netio"
)

// Windows reports socket errors as WSA codes, which syscall.EADDRINUSE and friends do
// not match there; these are the codes, harmless elsewhere.
const (
	wsaEACCES        = syscall.Errno(10013)
	wsaEADDRNOTAVAIL = syscall.Errno(10049)
)

// listenError turns a failure to bind bind:port into the message the user needs: a port
// in use or forbidden is a run-time failure (exit 1), an address that is not this
// host's is bad input (exit 2).
func listenError(bind string, port int, err error) error {
	addr := fmt.Sprintf("port %d", port)
	if bind != "" {
		addr = hostport.BindAddress(bind, port)
	}
	var ae *hostport.Error
	switch {
	case netio.IsAddrInUse(err):
		return failure("--port: %s is already in use%s", addr, heldBy(err))
	case errors.Is(err, syscall.EACCES), errors.Is(err, wsaEACCES):
		return failure("--port: permission denied binding %s (ports below 1024 need privileges)", addr)
	case errors.As(err, &ae):
		return usageErr("--bind: %s", ae.Reason)
	case errors.Is(err, syscall.EADDRNOTAVAIL), errors.Is(err, wsaEADDRNOTAVAIL):
		return usageErr("--bind: %s: not an address of this host", addr)
	}
	return failure("%s", errText(err))
}
