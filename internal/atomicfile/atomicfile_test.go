package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, content string, perm fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
}

// noTemps fails the test if a temporary file was left in dir.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}

func TestWriteCreatesFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lib.json")
	if err := Write(path, []byte("one"), Options{Backup: true}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "one" {
		t.Errorf("content %q, want %q", got, "one")
	}
	if _, err := os.Stat(path + BackupSuffix); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a backup of a file that did not exist: %v", err)
	}
	noTemps(t, dir)
}

func TestWriteRelativePath(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := Write("rel.json", []byte("x"), Options{}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, "rel.json"); got != "x" {
		t.Errorf("content %q", got)
	}
	noTemps(t, ".")
}

func TestWriteKeepsPermission(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.json")
	writeFile(t, path, "old", 0o600)
	if err := os.Chmod(path, 0o640); err != nil { // exactly, whatever the umask
		t.Fatal(err)
	}
	if err := Write(path, []byte("new"), Options{Backup: true}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + BackupSuffix} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o640 {
			t.Errorf("%s: permission %v, want -rw-r-----", p, fi.Mode().Perm())
		}
	}
}

func TestBackupHoldsPreviousVersion(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lib.json")
	for _, v := range []string{"v1", "v2", "v3"} {
		if err := Write(path, []byte(v), Options{Backup: true}); err != nil {
			t.Fatal(err)
		}
	}
	if got := readFile(t, path); got != "v3" {
		t.Errorf("file %q, want v3", got)
	}
	if got := readFile(t, path+BackupSuffix); got != "v2" {
		t.Errorf("backup %q, want v2", got)
	}
	// Without Backup the old backup is left alone.
	if err := Write(path, []byte("v4"), Options{}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path+BackupSuffix); got != "v2" {
		t.Errorf("backup %q after a save without backup, want v2", got)
	}
	noTemps(t, dir)
}

func TestWriteFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	link := filepath.Join(dir, "link.json")
	writeFile(t, real, "old", 0o644)
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := Write(link, []byte("new"), Options{Backup: true}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if got := readFile(t, real); got != "new" {
		t.Errorf("real file %q, want new", got)
	}
	if got := readFile(t, real+BackupSuffix); got != "old" {
		t.Errorf("backup %q, want old", got)
	}
}

// A path whose directory is a regular file fails for everyone, root included.
func TestWriteDirectoryIsAFile(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "plain")
	writeFile(t, notDir, "I am a file", 0o644)
	path := filepath.Join(notDir, "lib.json")
	err := Write(path, []byte("x"), Options{Backup: true})
	var fe *Error
	if !errors.As(err, &fe) || fe.Path != path || fe.Op != "create" {
		t.Fatalf("error %v, want a create *Error naming %s", err, path)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("message %q does not name the file", err)
	}
	if runtime.GOOS != "windows" && !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("cause %v, want ENOTDIR", errors.Unwrap(err))
	}
	if got := readFile(t, notDir); got != "I am a file" {
		t.Errorf("the file in the way changed: %q", got)
	}
	noTemps(t, dir)
}

func TestWriteOverDirectoryRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lib.json")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	err := Write(path, []byte("x"), Options{})
	var fe *Error
	if !errors.As(err, &fe) || fe.Op != "replace" {
		t.Fatalf("error %v, want replace *Error", err)
	}
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		t.Errorf("the directory is gone: %v", err)
	}
	noTemps(t, dir)
}

// When the backup cannot be replaced (here a directory is in its place, which
// stops root too), nothing changes: the file keeps its old content.
func TestFailedBackupKeepsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lib.json")
	writeFile(t, path, "good", 0o644)
	if err := os.MkdirAll(filepath.Join(path+BackupSuffix, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := Write(path, []byte("new"), Options{Backup: true})
	var fe *Error
	if !errors.As(err, &fe) || fe.Op != "backup" || fe.Path != path {
		t.Fatalf("error %v, want a backup *Error naming the file", err)
	}
	if got := readFile(t, path); got != "good" {
		t.Errorf("file %q after a failed save, want good", got)
	}
	noTemps(t, dir)
}

func TestWriteFuncErrorKeepsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lib.json")
	writeFile(t, path, "good", 0o644)
	boom := errors.New("encoder failed")
	err := WriteFunc(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	}, Options{Backup: true})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want the writer's", err)
	}
	if got := readFile(t, path); got != "good" {
		t.Errorf("file %q, want good", got)
	}
	if _, err := os.Stat(path + BackupSuffix); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a backup was made for a save that failed: %v", err)
	}
	noTemps(t, dir)
}

// A read-only directory stops everyone but root, who is not stopped by
// permissions; the tests above fail for root too.
func TestWriteReadOnlyDirectory(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("root (or Windows) ignores a directory's write permission")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "lib.json")
	writeFile(t, path, "good", 0o644)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	err := Write(path, []byte("new"), Options{Backup: true})
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want a permission error naming %s", err, path)
	}
	if got := readFile(t, path); got != "good" {
		t.Errorf("file %q, want good", got)
	}
}
