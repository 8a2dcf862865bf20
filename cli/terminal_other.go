//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package cli

// isTerminalFd takes every output for a record where terminals are not known:
// nothing is skipped.
func isTerminalFd(uintptr) bool { return false }
