//go:build !linux && !windows

package portowner

import "net/netip"

// On macOS and the BSDs the socket tables sit behind sysctls the standard
// library does not decode; lsof reads them.
func lookup(proto string, want netip.AddrPort) ([]Process, error) {
	return lookupLsof(proto, want)
}
