package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// What the save dialog hands over writes atomically: a writer closed without a
// byte leaves the file as it was (Fyne's own writer had already emptied it), a
// written one replaces the file whole on Close, and a save that cannot happen
// says so and leaves what is there.
func TestFileWritersAreAtomic(t *testing.T) {
	test.NewTempApp(t)
	useAtomicSaves()
	dir := t.TempDir()
	path := filepath.Join(dir, "kept.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Fatalf("opening the writer changed the file to %q", got)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("a writer closed unwritten left %q", got)
	}

	w, _ = storage.Writer(storage.NewFileURI(path))
	w.Write([]byte("new "))
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("the file changed before Close: %q", got)
	}
	w.Write([]byte("content"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new content" {
		t.Errorf("after Close: %q", got)
	}

	sub := filepath.Join(dir, "a-directory")
	os.Mkdir(sub, 0o755)
	w, _ = storage.Writer(storage.NewFileURI(sub))
	w.Write([]byte("x"))
	if err := w.Close(); err == nil {
		t.Error("saving over a directory reported no error")
	}
	if fi, err := os.Stat(sub); err != nil || !fi.IsDir() {
		t.Errorf("the directory is gone: %v", err)
	}
}
