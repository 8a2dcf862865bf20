// Package atomicfile writes files people keep so that they are never left
// half-written: the new content goes to a temporary file in the same directory,
// is flushed to the disk, and only then renamed over the old file, which a
// reader therefore sees whole, old or new, whatever happens in between (a full
// disk, a crash, a power cut). Optionally the previous version is kept next to
// it as NAME.bak, itself replaced the same way.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// BackupSuffix is appended to a file's name to name its backup.
const BackupSuffix = ".bak"

// DefaultPerm is the permission of a file that did not exist before, before
// the umask. A file that exists keeps its permission.
const DefaultPerm fs.FileMode = 0o644

// Options tune Write.
type Options struct {
	// Backup keeps the previous content of the file, if there was one, in
	// path+BackupSuffix. The backup is written (atomically) before the new
	// content replaces the file; if it cannot be, nothing changes.
	Backup bool
	// Perm is the permission of a new file; 0 means DefaultPerm.
	Perm fs.FileMode
}

// Error is a failed write: the file the caller asked for, the step that
// failed, and the cause (errors.Is finds syscall.ENOSPC, fs.ErrPermission,
// ...). Up to "replace" the file (and its backup) are as they were and no
// temporary file is left; after a failed "sync directory" the new content is
// in place but a crash could still undo the rename.
type Error struct {
	Path string // the file being written, as the caller named it
	Op   string // "create", "write", "sync", "backup", "replace", "sync directory"
	Err  error
}

func (e *Error) Error() string {
	return fmt.Sprintf("save %s: %s: %v", e.Path, e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Write replaces the file at path with data, atomically. A symbolic link at
// path is followed: the file it points to is replaced and the link kept.
func Write(path string, data []byte, opts Options) error {
	return WriteFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, opts)
}

// WriteFunc is Write with the content produced by write, which may write in
// pieces. An error from write aborts the save like a failed write to disk.
func WriteFunc(path string, write func(io.Writer) error, opts Options) error {
	target, err := resolve(path)
	if err != nil {
		return &Error{Path: path, Op: "create", Err: cause(err)}
	}
	perm, exact := opts.Perm, false
	if perm == 0 {
		perm = DefaultPerm
	}
	old, err := os.Stat(target)
	switch {
	case err == nil && old.Mode().IsRegular():
		perm, exact = old.Mode().Perm(), true
	case err == nil:
		return &Error{Path: path, Op: "replace", Err: fmt.Errorf("%s is not a regular file", old.Mode().Type())}
	case !errors.Is(err, fs.ErrNotExist):
		return &Error{Path: path, Op: "create", Err: cause(err)}
	}

	tmp, op, err := writeTemp(target, perm, exact, write)
	if err != nil {
		return &Error{Path: path, Op: op, Err: cause(err)}
	}
	if opts.Backup && old != nil {
		if err := backup(target); err != nil {
			os.Remove(tmp)
			return &Error{Path: path, Op: "backup", Err: cause(err)}
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return &Error{Path: path, Op: "replace", Err: cause(err)}
	}
	if err := syncDir(filepath.Dir(target)); err != nil {
		return &Error{Path: path, Op: "sync directory", Err: cause(err)}
	}
	return nil
}

// resolve follows a symbolic link at path, so that the file it points to is
// replaced rather than the link.
func resolve(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil // a missing file is created; other errors surface on create
	}
	return filepath.EvalSymlinks(path)
}

// writeTemp writes a complete, synced temporary file next to target and
// returns its name, or the failed step and its cause, having removed it. The
// file gets perm less the umask, or exactly perm when exact is set (the
// permission of a file it will replace).
func writeTemp(target string, perm fs.FileMode, exact bool, write func(io.Writer) error) (name, op string, err error) {
	f, err := createTemp(target, perm)
	if err != nil {
		return "", "create", err
	}
	fail := func(op string, err error) (string, string, error) {
		f.Close()
		os.Remove(f.Name())
		return "", op, err
	}
	if err := write(f); err != nil {
		return fail("write", err)
	}
	if exact {
		if err := f.Chmod(perm); err != nil {
			return fail("create", err)
		}
	}
	if err := f.Sync(); err != nil {
		return fail("sync", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", "write", err
	}
	return f.Name(), "", nil
}

// createTemp creates a new hidden file in target's directory, named after it
// so that one left by a crash says whose it was.
func createTemp(target string, perm fs.FileMode) (*os.File, error) {
	dir, base := filepath.Split(target)
	var err error
	for range 5 {
		var f *os.File
		f, err = os.OpenFile(filepath.Join(dir, "."+base+".tmp-"+randomSuffix()), os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, err
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// backup copies the current content of target to target+BackupSuffix,
// atomically, with the same permission.
func backup(target string) error {
	src, err := os.Open(target)
	if err != nil {
		return err
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	bak := target + BackupSuffix
	tmp, _, err := writeTemp(bak, fi.Mode().Perm(), true, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	})
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, bak); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// cause drops the *fs.PathError, *os.LinkError or *os.SyscallError around an
// error: they name a temporary file or a system call, while Error names the
// file the caller asked for and the step that failed.
func cause(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	var se *os.SyscallError
	switch {
	case errors.As(err, &pe):
		return cause(pe.Err)
	case errors.As(err, &le):
		return cause(le.Err)
	case errors.As(err, &se):
		return se.Err
	}
	return err
}
