package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// These tests make real writes fail the way a full disk does, as root too: a
// child process (this test binary again) lowers its RLIMIT_FSIZE, so the
// kernel refuses to grow any file past the limit with EFBIG. Go ignores the
// SIGXFSZ that comes with it, so the write returns the error.

const (
	childEnv   = "ATOMICFILE_FSIZE_CHILD" // the directory the child works in
	fsizeLimit = 4096
)

// TestFileSizeLimitChild is the child's side; it does nothing in a normal run.
func TestFileSizeLimitChild(t *testing.T) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("runs only as the child of the file size limit tests")
	}
	lim := syscall.Rlimit{Cur: fsizeLimit, Max: fsizeLimit}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Printf("setrlimit: %v\n", err)
		return
	}
	// "big.json" holds a small file; its new content is past the limit.
	bigErr := Write(filepath.Join(dir, "big.json"), bytes.Repeat([]byte("n"), 4*fsizeLimit), Options{Backup: true})
	// "backup.json" holds a file past the limit (written by the parent); its
	// new content is small, but its backup cannot be written.
	bakErr := Write(filepath.Join(dir, "backup.json"), []byte("small"), Options{Backup: true})
	for _, err := range []error{bigErr, bakErr} {
		var fe *Error
		op := "none"
		if errors.As(err, &fe) {
			op = fe.Op
		}
		fmt.Printf("RESULT op=%s efbig=%v msg=%v\n", op, errors.Is(err, syscall.EFBIG), err)
	}
}

func runFsizeChild(t *testing.T, dir string) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFileSizeLimitChild$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var results []string
	for line := range strings.Lines(string(out)) {
		if r, ok := strings.CutPrefix(line, "RESULT "); ok {
			results = append(results, strings.TrimSpace(r))
		}
	}
	if len(results) != 2 {
		t.Fatalf("child output without two results:\n%s", out)
	}
	return results
}

func TestFullDiskKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	writeFile(t, big, "the good library", 0o644)
	writeFile(t, big+BackupSuffix, "the good backup", 0o644)
	bak := filepath.Join(dir, "backup.json")
	large := strings.Repeat("o", 2*fsizeLimit)
	writeFile(t, bak, large, 0o644)

	results := runFsizeChild(t, dir)

	// The new content did not fit: the temporary file failed at "write".
	want := "op=write efbig=true msg=save " + big + ": write: file too large"
	if results[0] != want {
		t.Errorf("big write:\n got %s\nwant %s", results[0], want)
	}
	if got := readFile(t, big); got != "the good library" {
		t.Errorf("file %q after a failed write", got)
	}
	if got := readFile(t, big+BackupSuffix); got != "the good backup" {
		t.Errorf("backup %q after a failed write", got)
	}

	// The backup did not fit: nothing was replaced.
	want = "op=backup efbig=true msg=save " + bak + ": backup: file too large"
	if results[1] != want {
		t.Errorf("backup:\n got %s\nwant %s", results[1], want)
	}
	if got := readFile(t, bak); got != large {
		t.Errorf("file changed after a failed backup (%d bytes)", len(got))
	}
	if _, err := os.Stat(bak + BackupSuffix); err == nil {
		t.Errorf("a partial backup was left")
	}
	noTemps(t, dir)
}
