//go:build !windows

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// syncDir flushes a directory's entries, so that a rename in it survives a
// crash. File systems that cannot sync a directory (EINVAL, ENOTSUP) are
// taken at their word: there is nothing more to do there.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	d.Close()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}
