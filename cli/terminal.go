package cli

import (
	"io"
	"os"
)

// screenKind is what a session's standard output is, which decides what it may
// do when the output is slower than the events.
type screenKind int

const (
	// screenRecord: a file or a pipe. Every event is written; when the reader
	// is slow the program waits for it (a TCP peer is slowed down, a UDP
	// sender's datagrams overflow the socket and are counted as dropped).
	screenRecord screenKind = iota
	// screenTerminal: a person watching. A line the terminal is too slow for
	// is skipped, and the output says how many, as it happens.
	screenTerminal
	// screenNone: the command prints something else (gen's summary), or
	// stdout is the null device.
	screenNone
)

// isDevNull says whether w is os.DevNull.
func isDevNull(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	if err != nil || info.Mode().IsRegular() {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(info, null)
}

// isRegularFile says whether w is a file on disk (stdout redirected to one),
// which a record writes in larger batches than a pipe that a script reads line
// by line.
func isRegularFile(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode().IsRegular()
}

// screenOf says whether w is a terminal, a record, or the null device, where
// nothing needs formatting at all.
func screenOf(w io.Writer) screenKind {
	if isDevNull(w) {
		return screenNone
	}
	if f, ok := w.(*os.File); ok {
		// SyscallConn, not Fd: Fd would switch the descriptor to blocking mode.
		if rc, err := f.SyscallConn(); err == nil {
			term := false
			rc.Control(func(fd uintptr) { term = isTerminalFd(fd) })
			if term {
				return screenTerminal
			}
		}
	}
	return screenRecord
}
