package library

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// A child process (this test binary again) with a small RLIMIT_FSIZE saves a
// library too big for it over a good one: the kernel refuses the write with
// EFBIG, as a full disk refuses it with ENOSPC, for root too.

const saveChildEnv = "LIBRARY_SAVE_CHILD" // the file the child saves over

// TestSaveChild is the child's side; it does nothing in a normal run.
func TestSaveChild(t *testing.T) {
	path := os.Getenv(saveChildEnv)
	if path == "" {
		t.Skip("runs only as the child of TestSaveOverFailingWriteKeepsLibrary")
	}
	lim := syscall.Rlimit{Cur: 8192, Max: 8192}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Printf("RESULT setrlimit: %v\n", err)
		return
	}
	l := New(nil)
	for i := range 200 {
		l.Add(Message{Name: fmt.Sprintf("message %d", i), Mode: ModeText, Payload: strings.Repeat("x", 100)})
	}
	err := l.Save(path)
	fmt.Printf("RESULT efbig=%v %v\n", errors.Is(err, syscall.EFBIG), err)
}

func TestSaveOverFailingWriteKeepsLibrary(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "library.json")
	good := full(t)
	if err := good.Save(path); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSaveChild$")
	cmd.Env = append(os.Environ(), saveChildEnv+"="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := "RESULT efbig=true save " + path + ": write: file too large"
	if !strings.Contains(string(out), want) {
		t.Errorf("child output:\n%s\nwant a line %q", out, want)
	}
	kept, err := Load(path, testCheck)
	if err != nil {
		t.Fatalf("the library no longer loads: %v", err)
	}
	if !slices.Equal(kept.Messages(), good.Messages()) {
		t.Errorf("the library changed: %+v", kept.Messages())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "library.json" {
			t.Errorf("left in the directory: %s", e.Name())
		}
	}
}
