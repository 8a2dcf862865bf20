package app

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage/repository"

	"github.com/sockdesk/sockdesk/internal/atomicfile"
)

// Fyne's save dialog opens the chosen file for writing — truncating it — before
// it hands the writer over, so a save that then failed (a full disk, an error
// while formatting) would leave the user's file empty. useAtomicSaves wraps
// Fyne's file repository so that every file: writer is atomic instead: nothing
// happens to the file until something is written; what is written goes to a
// temporary file beside it, which replaces the file when the writer is closed
// and the writing went well (package atomicfile). A writer closed without a
// byte written leaves the file as it was: the callers that take only the path
// from the dialog and write the file themselves (atomically) rely on it.
//
// It runs on Fyne's goroutine when a window is made (a driver registers its
// plain file repository when it starts; a test makes a driver per test).
func useAtomicSaves() {
	repo, err := repository.ForScheme("file")
	if err != nil {
		return
	}
	if _, done := repo.(atomicFiles); done {
		return
	}
	if files, ok := repo.(fileRepository); ok {
		repository.Register("file", atomicFiles{files})
	}
}

// fileRepository is what Fyne's file repository does; atomicFiles keeps all of
// it but its Writer.
type fileRepository interface {
	repository.Repository
	repository.WritableRepository
	repository.AppendableRepository
	repository.ListableRepository
	repository.HierarchicalRepository
	repository.CopyableRepository
	repository.MovableRepository
	repository.DeleteAllRepository
}

type atomicFiles struct{ fileRepository }

func (r atomicFiles) Writer(u fyne.URI) (fyne.URIWriteCloser, error) {
	return &atomicWriter{uri: u}, nil
}

// atomicWriter streams what is written to atomicfile.WriteFunc, which runs on a
// goroutine started by the first Write and ended by Close.
type atomicWriter struct {
	uri  fyne.URI
	pw   *io.PipeWriter
	done chan error
}

func (w *atomicWriter) URI() fyne.URI { return w.uri }

func (w *atomicWriter) Write(p []byte) (int, error) {
	if w.pw == nil {
		pr, pw := io.Pipe()
		w.pw, w.done = pw, make(chan error, 1)
		go func() {
			err := atomicfile.WriteFunc(w.uri.Path(), func(f io.Writer) error {
				_, err := io.Copy(f, pr)
				return err
			}, atomicfile.Options{})
			pr.CloseWithError(err) // a failed save fails the writes still to come
			w.done <- err
		}()
	}
	return w.pw.Write(p)
}

// Close commits what was written; its error says if the file was not saved.
func (w *atomicWriter) Close() error {
	if w.pw == nil {
		return nil
	}
	w.pw.Close()
	return <-w.done
}
