//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package netio

// canWaitReadable says a connection can wait for data without reading it:
// not wired here (Windows), where a connection keeps its buffer while idle.
const canWaitReadable = false

func wouldBlock(uintptr, []byte) (bool, error) { return false, nil }
